"""Helper of bench/run-listen-words.sh: builds one recording per voice and scores `pnn listen --json` on it.

  listen_words.py concat WAVS OUT R  writes OUT/rNN/VOICE.wav and VOICE.words.json: the words in order
                                     heed hid had hod hawed whod heard rotated left by R (R = 0: that order)
  listen_words.py score WAVS OUT N   reads OUT/rNN/VOICE.jsonl for R < N (and OUT/classify.jsonl), writes
                                     OUT/words.csv, prints the per-group table
"""
import json
import os
import sys
import wave
from collections import OrderedDict

ORDER = ["heed", "hid", "had", "hod", "hawed", "whod", "heard"]
VOWEL = {"heed": "iy", "hid": "ih", "had": "ae", "hod": "ah", "hawed": "aw", "whod": "uw", "heard": "er"}
GAP_S = 0.6


def speakers(wavs):
    """The speaker group of each voice from WAVS/voices.tsv (bench/render-withheld-voices.sh), when there is one."""
    path = os.path.join(wavs, "voices.tsv")
    if not os.path.exists(path):
        return {}
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if not line.startswith("#")]
    return {r[0]: r[1] for r in rows if len(r) > 1}


def group(voice, known=None):
    if known and voice in known:
        return known[voice]
    if voice.endswith("-x1.18"):
        return "child (proxy)"
    if voice == "krb":
        return "child"
    if voice in ("kal", "ked") or voice.startswith("esp-m"):
        return "man"
    return "woman"


def voices(wavs):
    out = OrderedDict()
    for f in sorted(os.listdir(wavs)):
        if not f.endswith(".wav"):
            continue
        v, w = f[:-4].rsplit("_", 1)
        out.setdefault(v, {})[w] = os.path.join(wavs, f)
    return out


def rec(out, r):
    return os.path.join(out, f"r{int(r):02d}")


def concat(wavs, out, r):
    os.makedirs(rec(out, r), exist_ok=True)
    for v, words in voices(wavs).items():
        frames, params, spans, t = [], None, [], GAP_S
        said = [w for w in ORDER if w in words]
        k = int(r) % len(said)
        for w in said[k:] + said[:k]:
            with wave.open(words[w]) as src:
                p = src.getparams()
                if params is None:
                    params = p
                    # 8-bit PCM is unsigned (silence 0x80, e.g. SAM's WAVs); wider PCM is signed (silence 0)
                    zero = b"\x80" if p.sampwidth == 1 else b"\0" * p.sampwidth
                    silence = zero * (int(round(GAP_S * p.framerate)) * p.nchannels)
                    frames.append(silence)
                if (p.framerate, p.sampwidth, p.nchannels) != (params.framerate, params.sampwidth, params.nchannels):
                    sys.exit(f"{words[w]}: format differs from the voice's first word")
                data = src.readframes(p.nframes)
            frames += [data, silence]
            spans.append({"word": w, "vowel": VOWEL[w], "start_s": t, "end_s": t + p.nframes / p.framerate})
            t += p.nframes / p.framerate + GAP_S
        with wave.open(os.path.join(rec(out, r), v + ".wav"), "wb") as o:
            o.setparams(params)
            o.writeframes(b"".join(frames))
        with open(os.path.join(rec(out, r), v + ".words.json"), "w") as o:
            json.dump(spans, o)


def score(wavs, out, n):
    classify = {}
    cpath = os.path.join(out, "classify.jsonl")
    if os.path.exists(cpath):
        for line in open(cpath):
            d = json.loads(line)
            classify[d["file"][:-4]] = d["answer"]
    rows, tally, known = [], OrderedDict(), speakers(wavs)
    for r, v in [(r, v) for r in range(int(n)) for v in voices(wavs)]:
        spans = json.load(open(os.path.join(rec(out, r), v + ".words.json")))
        segs = [json.loads(l) for l in open(os.path.join(rec(out, r), v + ".jsonl")) if l.strip()]
        for pos, s in enumerate(spans):
            mine = [g for g in segs if s["start_s"] - GAP_S / 2 <= (g["start_s"] + g["end_s"]) / 2 <= s["end_s"] + GAP_S / 2]
            heard = [g for g in mine if "label" in g]
            a = heard[0] if heard else None
            c = classify.get(v + "_" + s["word"])
            row = {"rotation": r, "position": pos, "voice": v, "group": group(v, known), "word": s["word"],
                   "vowel": s["vowel"], "segments": len(mine),
                   "listen": a["label"] if a else "", "listen_conf": a["confidence"] if a else "",
                   "listen_f123": a["formants_hz"][:3] if a else "", "listen_f0": a["f0_hz"] if a else "",
                   "seg_s": f'{a["start_s"]:.2f}-{a["end_s"]:.2f}' if a else "",
                   "word_s": f'{s["start_s"]:.2f}-{s["end_s"]:.2f}',
                   "classify": c["label"] if c else "", "classify_f123": c["formants_hz"][:3] if c and "formants_hz" in c else ""}
            rows.append(row)
            t = tally.setdefault(row["group"], [0, 0, 0, 0])
            t[0] += row["listen"] == s["vowel"]
            t[1] += row["classify"] == s["vowel"] and r == 0
            t[2] += 1
            t[3] += r == 0
    with open(os.path.join(out, "words.csv"), "w") as o:
        o.write(",".join(rows[0].keys()) + "\n")
        for r in rows:
            o.write(",".join("/".join(f"{f:.0f}" for f in x) if isinstance(x, list) else str(x) for x in r.values()) + "\n")
    tally["all"] = [sum(t[i] for t in tally.values()) for i in range(4)]
    print(f"| group | pnn listen --wav, {n} word order(s) | classify --wav (one file per word) |")
    print("|---|---:|---:|")
    for g, t in tally.items():
        c = f"{t[1]}/{t[3]} = {100 * t[1] / t[3]:.1f} %" if classify else "–"
        print(f"| {g} | {t[0]}/{t[2]} = {100 * t[0] / t[2]:.1f} % | {c} |")
    pos = OrderedDict()
    for row in rows:
        p = pos.setdefault(row["position"], [0, 0])
        p[0] += row["listen"] == row["vowel"]
        p[1] += 1
    print("listen, by position in the recording: " + ", ".join(f"{k + 1}: {a}/{b}" for k, (a, b) in pos.items()))
    print(f"per word: {os.path.join(out, 'words.csv')}")


if __name__ == "__main__":
    {"concat": concat, "score": score}[sys.argv[1]](*sys.argv[2:])
