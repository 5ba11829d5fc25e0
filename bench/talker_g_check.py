#!/usr/bin/env python3
"""Variants of the talker13 running G, as evaluation sets (BENCHMARKS.md, "Hearing: a hybrid hearing bundle, 1.1.0").

For each set (a `pnn data ... --units hz-f0` CSV, its `--units talker13-running` twin made by the project, and who
spoke each row) it writes talker13 features with G taken five ways, to compare a bundle on them with `pnn eval`:
  table    G from the talker's at most 7 earlier words, d_v from the embedded table: the project's talker13-running
           (the script refuses to go on unless this reproduces the twin to 1e-9);
  f0only   G0(F0) for every word, as for a lone word;
  skipuwer as table, but /u/ and /ɝ/ (the vowels text-to-speech voices say most unlike Hillenbrand's) never enter G;
  pooldv   as table, d_v measured on the POOL set's voices instead (per voice: each vowel's mean ln F1-3 minus the
           voice's mean over its 7 vowels; averaged; shifted to the table's 7-vowel mean);
  middv    as table, d_v the mean of the table's and the pool's.
The constants come from the project (bench/TalkerConstants.java, run with JAVA and the ./pnn jars): run it from the
checkout's root after ./pnn has built its jars.

    python3 bench/talker_g_check.py JAVA OUT POOL_HZ POOL_WAVS REFUSED NAME=HZ,RUNNING,SPEAKERS [NAME=...]
SPEAKERS: a folder of WAVs (talker = file name before its last '_', in file-name order, as `pnn data wavs` reads
them), or "7" (synthetic sets: 7 consecutive rows a talker). REFUSED: the WAVs the front end refused in any of the
folders (comma-separated file names, as `pnn data wavs` prints them; "-" for none); a folder whose WAVs do not
match its CSV's rows stops the script.
Writes OUT/VARIANT-NAME.csv.
"""
import os
import subprocess
import sys

import numpy as np

LABELS = ["ae", "ah", "aw", "uw", "er", "iy", "ih"]


def load(path):
    lines = [line.rstrip("\n") for line in open(path)]
    head = [line for line in lines if line.startswith("#")]
    rows = [line.split(",") for line in lines if not line.startswith("#")]
    return head, rows[0], np.array([[float(v) for v in r[:-1]] for r in rows[1:]]), np.array([int(r[-1]) for r in rows[1:]])


def speakers(spec, n, refused=()):
    if spec == "7":
        return [i // 7 for i in range(n)]
    names = sorted(f for f in os.listdir(spec) if f.endswith(".wav") and f not in refused)
    if len(names) != n:
        sys.exit("%s: %d WAVs but %d rows: name the refused files" % (spec, len(names), n))
    return [f.rsplit("_", 1)[0] for f in names]


def constants(java, f0s):
    cp = "runtime/target/pnn-runtime.jar:runtime/target/lib/*"
    out = subprocess.run([java, "-cp", cp, "bench/TalkerConstants.java"], input="\n".join(map(repr, f0s)),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    dv = {p[1]: float(p[2]) for p in (line.split() for line in out) if p and p[0] == "dv"}
    g0 = {float(p[1]): float(p[2]) for p in (line.split() for line in out) if p and p[0] == "g0"}
    return dv, g0


def features(x, y, who, dv, g0, window=7, skip=()):
    out, seen = [], {}
    for i, row in enumerate(x):
        past = seen.setdefault(who[i], [])
        g = np.mean(past[-window:]) if past and window else g0[row[12]]
        out.append(np.concatenate([np.log(row[:12]) - g, [np.log(row[12]) - g]]))
        if LABELS[y[i]] not in skip:
            past.append(np.mean(np.log(row[:3])) - dv[LABELS[y[i]]])
    return np.array(out)


def main(java, out, pool_hz, pool_wavs, refused, sets):
    refused = () if refused == "-" else tuple(refused.split(","))
    parsed = {}
    for spec in sets:
        name, files = spec.split("=", 1)
        hz, running, who = files.split(",")
        _, _, x, y = load(hz)
        head, header, want, y2 = load(running)
        if not (y == y2).all():
            sys.exit("%s: labels of %s and %s differ" % (name, hz, running))
        parsed[name] = (x, y, speakers(who, len(x), refused), head, header, want)
    _, _, px, py = load(pool_hz)
    pw = speakers(pool_wavs, len(px), refused)
    f0s = sorted({float(r[12]) for x, *_ in parsed.values() for r in x})
    dv, g0 = constants(java, f0s)
    by_voice = {}
    for row, label, voice in zip(px, py, pw):
        by_voice.setdefault(voice, {})[LABELS[label]] = np.mean(np.log(row[:3]))
    dev = {label: [] for label in LABELS}
    for vowels in by_voice.values():
        if len(vowels) == 7:
            mean = np.mean(list(vowels.values()))
            for label, g in vowels.items():
                dev[label].append(g - mean)
    shift = np.mean([dv[label] for label in LABELS])
    pool_dv = {label: np.mean(dev[label]) + shift for label in LABELS}
    print("d_v table: " + ", ".join("%s %+.3f" % (k, dv[k]) for k in LABELS))
    print("d_v pool:  " + ", ".join("%s %+.3f" % (k, pool_dv[k]) for k in LABELS))
    mid_dv = {label: (dv[label] + pool_dv[label]) / 2 for label in LABELS}
    os.makedirs(out, exist_ok=True)
    for name, (x, y, who, head, header, want) in parsed.items():
        table = features(x, y, who, dv, g0)
        if np.abs(table - want).max() > 1e-9:
            sys.exit("%s: does not reproduce talker13-running (max diff %g)" % (name, np.abs(table - want).max()))
        for variant, f in (("table", table), ("f0only", features(x, y, who, dv, g0, window=0)),
                           ("skipuwer", features(x, y, who, dv, g0, skip=("uw", "er"))),
                           ("pooldv", features(x, y, who, pool_dv, g0)), ("middv", features(x, y, who, mid_dv, g0))):
            with open(os.path.join(out, "%s-%s.csv" % (variant, name)), "w") as w:
                w.write("\n".join(head + [",".join(header)]) + "\n")
                for r, label in zip(f, y):
                    w.write(",".join(repr(float(v)) for v in r) + "," + str(label) + "\n")
    print("wrote %d sets x 5 variants to %s" % (len(parsed), out))


if __name__ == "__main__":
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    main(*sys.argv[1:6], sys.argv[6:])
