#!/usr/bin/env python3
"""Digital stand-ins for the hybrid hearing bundle's parts (BENCHMARKS.md, "Hearing: a hybrid hearing bundle, 1.1.0").

Trains, on a training CSV in talker13 units (`pnn data ... --units talker13[-sampled]`, optionally with the TTS pool's
rows appended), logistic regression (= the hybrid's digital projection and readout with nothing between them) and a
network with one hidden tanh layer of 16 and 32 units (the role the SHG layers play), all z-scored, full-batch Adam,
seed 0, and prints each one's accuracy on the test CSVs (talker13-running sets). Deterministic for the same files.

    python3 bench/hybrid_digital_check.py TRAIN.csv TEST.csv [TEST.csv ...]
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
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - target) / len(z)
        w = params[-2]
        grads = [h.T @ g + l2 * w, g.sum(0)]
        if hidden:
            gh = (g @ w.T) * (1 - h ** 2)
            grads = [z.T @ gh + l2 * params[0], gh.sum(0)] + grads
        for i, (param, grad) in enumerate(zip(params, grads)):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad * grad
            param -= rate * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    return lambda xt: forward((xt - mu) / sd)[1].argmax(1)


def main(train, tests):
    x, y = load(train)
    for hidden in (0, 16, 32):
        predict = fit(x, y, hidden)
        name = "logistic regression" if hidden == 0 else "one hidden tanh layer of %d" % hidden
        scores = []
        for path in tests:
            xt, yt = load(path)
            scores.append("%s %.1f %%" % (path.rsplit("/", 1)[-1].removesuffix(".csv"), 100 * (predict(xt) == yt).mean()))
        print("%s: %s" % (name, " | ".join(scores)))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
