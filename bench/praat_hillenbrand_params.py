#!/usr/bin/env python3
"""Synthesis parameters for bench/render-praat-hillenbrand.sh: one row per Hillenbrand token to render.

    praat_hillenbrand_params.py VOWDATA pat7|all12 OUT.tsv

Reads vowdata.dat (Hillenbrand et al. 1995) and writes a tab-separated table that
bench/render-praat-hillenbrand.praat reads: talker, word file name, group, vowel duration (s), F0 (Hz), and four
formant points (F1-F3 at a fraction of the vowel): 20 %, 50 %, 80 % and the steady-state values at the time where
the piecewise-linear 20/50/80 % track comes closest to them (sum of |ln(F_track / F_ss)| over F1-F3, on a grid of
0.22..0.78 in steps of 0.01, 0.49..0.51 left out so no two points coincide), and the talker's F4 and F5.
F4: the median of the talker's measured F4 at steady state (column 7, all 12 vowels, zeros left out); a talker with
none gets the median of its group's talkers. F5 = F4 x 9/7 (a uniform tube's 5th/4th resonance ratio, i.e. the
vocal-tract length that F4 implies). Tokens with F0 = 0 or any of the 12 formant features 0 are left out, as
HillenbrandReader does. Deterministic: the same input gives the same bytes.
"""
import math
import statistics
import sys

WORDS = {"iy": "heed", "ih": "hid", "ae": "had", "ah": "hod", "aw": "hawed", "uw": "whod", "er": "heard",
         "ei": "hayed", "eh": "head", "oa": "hoed", "oo": "hood", "uh": "hud"}
PAT7 = ["iy", "ih", "ae", "ah", "aw", "uw", "er"]
GROUPS = {"m": "man", "w": "woman", "b": "boy", "g": "girl"}


def track(points, t, k):
    """Formant k of the piecewise-linear track through (fraction, (F1, F2, F3)) points at fraction t."""
    for (t0, f0), (t1, f1) in zip(points, points[1:]):
        if t0 <= t <= t1:
            return f0[k] + (f1[k] - f0[k]) * (t - t0) / (t1 - t0)
    raise ValueError(t)


def main(vowdata, vowels, out):
    keep = PAT7 if vowels == "pat7" else list(WORDS)
    rows = []
    f4 = {}
    for line in open(vowdata, encoding="latin-1"):
        f = line.split()
        if len(f) != 16 or len(f[0]) != 5 or f[0][0] not in GROUPS or not f[0][1:3].isdigit():
            continue
        name, v = f[0][:3], f[0][3:]
        x = [int(c) for c in f[1:]]
        if x[5] > 0:
            f4.setdefault(name, []).append(x[5])
        if v not in keep:
            continue
        feats = x[2:5] + x[6:15]
        if x[1] <= 0 or min(feats) <= 0:
            continue
        rows.append((name, v, x))
    talker_f4 = {t: statistics.median(v) for t, v in f4.items()}
    group_f4 = {g: statistics.median(v for t, v in talker_f4.items() if t[0] == g) for g in GROUPS}
    with open(out, "w", encoding="ascii", newline="\n") as o:
        o.write("\t".join(["talker", "word", "group", "dur", "f0", "tss"]
                          + [f"F{k}_{p}" for p in ("20", "ss", "50", "80") for k in (1, 2, 3)]
                          + ["F4", "F5"]) + "\n")
        for name, v, x in sorted(rows, key=lambda r: (r[0], WORDS[r[1]])):
            ss, p20, p50, p80 = x[2:5], x[6:9], x[9:12], x[12:15]
            pts = [(0.2, p20), (0.5, p50), (0.8, p80)]
            grid = [i / 100 for i in range(22, 79) if not 49 <= i <= 51]
            tss = min(grid, key=lambda t: (sum(abs(math.log(track(pts, t, k) / ss[k])) for k in range(3)), t))
            F4 = talker_f4.get(name, group_f4[name[0]])
            o.write("\t".join([name, WORDS[v], GROUPS[name[0]], f"{x[0] / 1000:.3f}", str(x[1]), f"{tss:.2f}"]
                              + [str(c) for c in p20 + ss + p50 + p80]
                              + [f"{F4:.0f}", f"{F4 * 9 / 7:.0f}"]) + "\n")
    print(f"{len(rows)} tokens, {len({r[0] for r in rows})} talkers", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[2] not in ("pat7", "all12"):
        sys.exit("usage: praat_hillenbrand_params.py VOWDATA pat7|all12 OUT.tsv")
    main(*sys.argv[1:])
