#!/usr/bin/env python3
"""Digital stand-ins for the hybrid hearing bundle's parts (BENCHMARKS.md, "Hearing: a hybrid hearing bundle, 1.1.0").

Trains, on a training CSV in talker13 units (`pnn data ... --units talker13[-sampled]`, optionally with the TTS pool's
rows appended), logistic regression (= the hybrid's digital projection and readout with nothing between them) and a
network with one hidden tanh layer of 16 and 32 units (the role the SHG layers play), all z-scored, full-batch Adam,
seed 0, and prints each one's accuracy on the test CSVs (talker13-running sets). Deterministic for the same files.
With --ensemble N: the 16-unit network from seeds 0..N-1, each seed's accuracy and that of their mean probabilities.

    python3 bench/hybrid_digital_check.py TRAIN.csv TEST.csv [TEST.csv ...]
    python3 bench/hybrid_digital_check.py --ensemble 5 TRAIN.csv TEST.csv [TEST.csv ...]
"""
import sys

import numpy as np


def load(path):
    rows = [line.strip().split(",") for line in open(path) if not line.startswith("#")][1:]
    return np.array([[float(v) for v in r[:-1]] for r in rows]), np.array([int(r[-1]) for r in rows])


def fit(x, y, hidden=0, epochs=3000, rate=0.05, l2=1e-4, seed=0):
    rng = np.random.default_rng(seed)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    classes = y.max() + 1
    target = np.eye(classes)[y]
    params = []
    if hidden:
        params += [rng.normal(0, 1 / np.sqrt(z.shape[1]), (z.shape[1], hidden)), np.zeros(hidden)]
        params += [rng.normal(0, 1 / np.sqrt(hidden), (hidden, classes)), np.zeros(classes)]
    else:
        params += [np.zeros((z.shape[1], classes)), np.zeros(classes)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]

    def forward(zz):
        h = np.tanh(zz @ params[0] + params[1]) if hidden else zz
        w, b = params[-2], params[-1]
        return h, h @ w + b

    for t in range(1, epochs + 1):
        h, logits = forward(z)
        g = (probabilities(logits) - target) / len(z)
        w = params[-2]
        grads = [h.T @ g + l2 * w, g.sum(0)]
        if hidden:
            gh = (g @ w.T) * (1 - h ** 2)
            grads = [z.T @ gh + l2 * params[0], gh.sum(0)] + grads
        for i, (param, grad) in enumerate(zip(params, grads)):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad * grad
            param -= rate * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    return lambda xt: forward((xt - mu) / sd)[1]  # logits


def probabilities(logits):
    p = np.exp(logits - logits.max(1, keepdims=True))
    return p / p.sum(1, keepdims=True)


def name(path):
    return path.rsplit("/", 1)[-1].removesuffix(".csv")


def main(train, tests):
    x, y = load(train)
    for hidden in (0, 16, 32):
        logits = fit(x, y, hidden)
        label = "logistic regression" if hidden == 0 else "one hidden tanh layer of %d" % hidden
        scores = []
        for path in tests:
            xt, yt = load(path)
            scores.append("%s %.1f %%" % (name(path), 100 * (logits(xt).argmax(1) == yt).mean()))
        print("%s: %s" % (label, " | ".join(scores)))


def ensemble(n, train, tests):
    """Does averaging several networks' answers help? One hidden layer of 16, seeds 0..n-1."""
    x, y = load(train)
    sets = [(name(path),) + load(path) for path in tests]
    mean = {k: 0 for k, _, _ in sets}
    for seed in range(n):
        logits = fit(x, y, 16, seed=seed)
        scores = []
        for k, xt, yt in sets:
            p = probabilities(logits(xt))
            mean[k] = mean[k] + p / n
            scores.append("%s %.1f %%" % (k, 100 * (p.argmax(1) == yt).mean()))
        print("hidden 16, seed %d: %s" % (seed, " | ".join(scores)), flush=True)
    print("mean of the %d seeds' probabilities: %s" % (n, " | ".join(
        "%s %.1f %%" % (k, 100 * (mean[k].argmax(1) == yt).mean()) for k, _, yt in sets)))


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--ensemble":
        if not sys.argv[2].isdigit() or int(sys.argv[2]) < 1:
            sys.exit("hybrid_digital_check: --ensemble needs a whole number of seeds >= 1, got %r" % sys.argv[2])
        ensemble(int(sys.argv[2]), sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 3 and not sys.argv[1].startswith("--"):
        main(sys.argv[1], sys.argv[2:])
    else:
        sys.exit(__doc__)
