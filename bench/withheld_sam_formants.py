"""Helper of bench/run-withheld-voices.sh --digital: the formants SAM was asked to make, beside what the front end
measured, to tell the front end's errors from SAM's vowels.

  withheld_sam_formants.py TABLES_ES6 VOICES_TSV WAV_DIR MEASURED_CSV OUT_CSV

TABLES_ES6 is sam-js's src/renderer/tables.es6 (frequencyData: F1, F2, F3 per phoneme in SAM's units); VOICES_TSV
the set's voices.tsv (speed pitch mouth throat); MEASURED_CSV `pnn data wavs --units hz-f0` of WAV_DIR's SAM WAVs
(one row per WAV in file-name order). Writes OUT_CSV in the same format and order with SAM's specified F1-F3 at all
four time points and the measured F0, and prints how many words the front end measured within 20 % of them.
SAM's own arithmetic (SetMouthThroat): F1' = ((mouth * F1) >> 8 & 255) << 1, F2' likewise with throat, F3 as is.
Hz: the renderer advances the oscillator phase by F/256 of a cycle every 162/50 = 3.24 output samples at 22,050 Hz,
so 1 unit = 22050 / 3.24 / 256 = 26.6 Hz.
"""
import os
import re
import sys

HZ_PER_UNIT = 22050 / 3.24 / 256
PHONEME = {"iy": "IY", "ih": "IH", "ae": "AE", "ah": "AA", "aw": "AO", "uw": "UW", "er": "ER"}


def main(tables, voices_tsv, wav_dir, measured, out):
    freq = {}
    for f1, f2, f3, name in re.findall(r"0x([0-9A-F]{6}) \| 0x([0-9A-F]{6}) \| 0x([0-9A-F]{6}), // '(..)'",
                                       open(tables).read()):
        freq.setdefault(name.strip(), (int(f1, 16) & 255, int(f2, 16) >> 8 & 255, int(f3, 16) >> 16 & 255))
    settings = {}
    for line in open(voices_tsv, encoding="utf-8"):
        c = line.rstrip("\n").split("\t")
        if len(c) > 5 and c[3] == "sam":
            settings[c[0]] = [int(x) for x in c[5].split()]
    wavs = sorted(f for f in os.listdir(wav_dir) if f.endswith(".wav"))
    lines = open(measured).read().splitlines()
    head = [l for l in lines if l.startswith("#")] + [lines[len([l for l in lines if l.startswith("#")])]]
    labels = head[0].split(":", 1)[1].strip().split(",")
    rows = [l.split(",") for l in lines[len(head):] if l.strip()]
    if len(rows) != len(wavs):
        sys.exit(f"{measured}: {len(rows)} rows for {len(wavs)} WAVs (a refused word?): cannot pair them")
    written, close, per_voice = list(head), 0, {}
    for wav, r in zip(wavs, rows):
        voice = wav[:-4].rsplit("_", 1)[0]
        _, _, mouth, throat = settings[voice]
        f1, f2, f3 = freq[PHONEME[labels[int(r[-1])]]]
        hz = [(((mouth * f1) >> 8 & 255) << 1) * HZ_PER_UNIT, (((throat * f2) >> 8 & 255) << 1) * HZ_PER_UNIT,
              f3 * HZ_PER_UNIT]
        written.append(",".join(["%.1f" % x for x in hz * 4] + [r[12], r[13]]))
        ok = abs(float(r[0]) / hz[0] - 1) <= 0.2 and abs(float(r[1]) / hz[1] - 1) <= 0.2
        close += ok
        per_voice.setdefault(voice, [0, 0])
        per_voice[voice][0] += ok
        per_voice[voice][1] += 1
    with open(out, "w") as o:
        o.write("\n".join(written) + "\n")
    print(f"SAM words whose measured F1 and F2 are both within 20 % of SAM's specified ones: {close}/{len(rows)} ("
          + ", ".join(f"{v} {a}/{n}" for v, (a, n) in per_voice.items()) + ")")


if __name__ == "__main__":
    main(*sys.argv[1:])
