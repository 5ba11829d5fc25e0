#!/usr/bin/env bash
# Makes the Mosquitto password file for the accounts of ./acl: a random password per account, hashed into
# PASSWD (mosquitto_passwd), and for each account an env file OUTDIR/<user>.env holding PNN_MQTT_PASSWORD=...
# (mode 0600) to install as the device's /etc/pnn-edge/secrets.env. Nothing secret is kept in git.
#
#   make-credentials.sh PASSWD OUTDIR user...       e.g. make-credentials.sh /etc/mosquitto/pnn.passwd ./secrets operator pi-7 pi-8
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 PASSWD OUTDIR user..." >&2
  exit 2
fi
passwd_file="$1"; outdir="$2"; shift 2
command -v mosquitto_passwd >/dev/null || { echo "mosquitto_passwd not found (apt-get install -y mosquitto)" >&2; exit 1; }
umask 077
mkdir -p "$outdir"
[[ -e "$passwd_file" ]] || : > "$passwd_file"
for user in "$@"; do
  if [[ ! "$user" =~ ^[A-Za-z0-9_.-]+$ ]]; then
    echo "bad user name '$user' (a device id: A-Z a-z 0-9 _ . -)" >&2
    exit 2
  fi
  pw="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  mosquitto_passwd -b "$passwd_file" "$user" "$pw"
  printf 'PNN_MQTT_PASSWORD=%s\n' "$pw" > "$outdir/$user.env"
done
chmod 600 "$passwd_file"
echo "wrote $passwd_file and $(($#)) env file(s) in $outdir (mode 0600)"
