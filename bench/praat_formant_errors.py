#!/usr/bin/env python3
"""The audio front end's formants of the Praat-rendered Hillenbrand words against what each word was rendered with.

    praat_formant_errors.py PARAMS.tsv MEASURED.csv

PARAMS.tsv: bench/praat_hillenbrand_params.py's table (the synthesis targets); MEASURED.csv: bench/MeasureWavs.java's
output (file name, 12 formants in HillenbrandReader's order, F0, nucleus ms). Prints markdown tables: per group,
the median and 90th percentile of |measured - target| / target for F1 and F2 at steady state (the front end's
median over the nucleus' middle third against the table's steady-state value) and at 20/50/80 %, the share of words
with F1 and F2 at steady state within 10 % and 20 %, and the measured F0 and nucleus duration against the targets;
then the same per vowel.
"""
import csv
import statistics
import sys

ORDER = ["man", "woman", "boy", "girl"]
VOWELS = ["heed", "hid", "had", "hod", "hawed", "whod", "heard", "hayed", "head", "hoed", "hood", "hud"]


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main(params, measured):
    target = {}
    for r in csv.DictReader(open(params, encoding="ascii"), delimiter="\t"):
        target[f"{r['talker']}_{r['word']}.wav"] = r
    rows = []
    for line in csv.reader(open(measured, encoding="ascii")):
        t = target.get(line[0])
        if t is None:
            continue
        m = [float(x) for x in line[1:15]]
        err = {}
        for j, p in enumerate(("ss", "20", "50", "80")):
            for k in (1, 2):
                want = float(t[f"F{k}_{p}"])
                err[f"F{k}_{p}"] = abs(m[3 * j + k - 1] - want) / want
        err["f0"] = abs(m[12] - float(t["f0"])) / float(t["f0"])
        err["dur"] = m[13] / (1000 * float(t["dur"]))
        rows.append((t["group"], t["word"], err))
    missing = len(target) - len(rows)

    def tri(e, k):
        return " / ".join("%.1f" % (100 * statistics.median(x["F%d_%s" % (k, p)] for x in e)) for p in ("20", "50", "80"))

    def table(key, keys):
        print(f"| {key} | n | F1 ss median / p90 | F2 ss median / p90 | F1, F2 ss both within 10 % / 20 % "
              "| F1 20/50/80 median | F2 20/50/80 median | F0 median error | nucleus / vowel duration (median) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for g in keys:
            e = [r[2] for r in rows if (r[0] if key == "group" else r[1]) == g]
            if not e:
                continue
            f = lambda n: [x[n] for x in e]
            w10 = sum(max(x["F1_ss"], x["F2_ss"]) <= 0.10 for x in e)
            w20 = sum(max(x["F1_ss"], x["F2_ss"]) <= 0.20 for x in e)
            print(f"| {g} | {len(e)} | {100 * statistics.median(f('F1_ss')):.1f} / {100 * pct(f('F1_ss'), 0.9):.1f} % "
                  f"| {100 * statistics.median(f('F2_ss')):.1f} / {100 * pct(f('F2_ss'), 0.9):.1f} % "
                  f"| {100 * w10 / len(e):.0f} / {100 * w20 / len(e):.0f} % "
                  f"| {tri(e, 1)} % | {tri(e, 2)} % "
                  f"| {100 * statistics.median(f('f0')):.1f} % | {statistics.median(f('dur')):.2f} |")
    table("group", ORDER)
    print()
    table("word", VOWELS)
    allv = [r[2] for r in rows]
    print()
    print(f"All {len(allv)} words: F1 ss median {100 * statistics.median(x['F1_ss'] for x in allv):.1f} %, "
          f"F2 ss median {100 * statistics.median(x['F2_ss'] for x in allv):.1f} %; "
          f"{missing} rendered words not measured (refused by the front end).")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: praat_formant_errors.py PARAMS.tsv MEASURED.csv")
    main(*sys.argv[1:])
