#!/usr/bin/env python3
"""Digital check of talker normalisations beyond the single log-mean G of talker13 (BENCHMARKS.md, "Hearing: a
per-formant talker mean and vowel duration, checked digitally").

Trains a logistic regression on the real Hillenbrand (1995) formants of the 7 PAT vowels and tests it on words
measured by the audio front end (bench/MeasureWavs.java: name, 12 formants, F0, nucleus ms; the talker is the file
name before its last '_' for TTS words, its first part for `pnn data synth --wav-dir` tokens), with the talker's
normalisation constant taken four ways:
  all      over all the talker's words, the test word included (a balanced session: each vowel once)
  loo      over the talker's other words (what a talker's next word meets once the others are known)
  running  over the words before it in file order, the first from F0 (what `pnn listen` meets)
and three normalisations: single G (talker13: ln F_k - G, G the mean of ln F1..F3 with the vowel correction d_v),
per-formant G_k (Nearey 1978's formant-intrinsic log-mean: ln F_k - G_k per formant, each with its own d_v,k),
Lobanov z-scores of ln F1..F3 (mean and SD per talker; 'all' only). Optionally adds the talker-relative log duration.
Vowel corrections and the first-word prior come from the training talkers; test labels are used only for d_v of
earlier words (a prompted enrolment, as talker13-running).

usage: talker_norm_check.py HILLENBRAND_VOWDATA NAME=MEASURED.csv [NAME=MEASURED.csv ...]
"""
import collections
import re
import sys

import numpy as np

V = ['ae', 'ah', 'aw', 'uw', 'er', 'iy', 'ih']
WORDS = {'had': 'ae', 'hod': 'ah', 'hawed': 'aw', 'whod': 'uw', 'heard': 'er', 'heed': 'iy', 'hid': 'ih'}


def hillenbrand(path):
    rows = []
    for line in open(path):
        p = line.split()
        if len(p) != 16 or not re.match(r'^[mwbg]\d\d[a-z][a-z]$', p[0]) or p[0][3:5] not in V:
            continue
        x = [float(t) for t in p[1:]]
        formants = [x[2], x[3], x[4]] + x[6:15]
        if x[1] == 0 or min(formants) == 0:
            continue
        rows.append((p[0][:3], p[0][3:5], np.log(formants), np.log(x[1]), np.log(x[0])))
    return rows


def measured(path):
    rows = []
    for r in (line.strip().split(',') for line in open(path)):
        name = r[0][:-4]
        parts = name.split('_')
        talker, vowel = (parts[0], parts[1]) if parts[1] in V else (name.rsplit('_', 1)[0], WORDS[parts[-1]])
        x = [float(t) for t in r[1:]]
        rows.append((talker, vowel, np.log(x[:12]), np.log(x[12]), np.log(x[13])))
    return rows


def by_talker(rows):
    t = collections.defaultdict(list)
    for i, r in enumerate(rows):
        t[r[0]].append(i)
    return t


class Norm:
    """Vowel corrections d[v, k] and the first-word prior, from the training talkers."""

    def __init__(self, train):
        d, n = np.zeros((7, 4)), np.zeros(7)
        for idx in by_talker(train).values():
            if len({train[i][1] for i in idx}) < 7:
                continue
            x = np.array([np.append(train[i][2][:3], train[i][4]) for i in idx])
            for j, i in enumerate(idx):
                d[V.index(train[i][1])] += x[j] - x.mean(0)
                n[V.index(train[i][1])] += 1
        self.d = d / n[:, None]
        a = np.array([[1, r[3]] for r in train])
        y = np.array([np.append(r[2][:3], r[4]) - self.d[V.index(r[1])] for r in train])
        self.prior = np.linalg.lstsq(a, y, rcond=None)[0]

    def constants(self, rows, idx, i, n, mode):
        if mode == 'all':
            ref = idx
        elif mode == 'loo':
            ref = [j for j in idx if j != i]
        else:
            ref = idx[max(0, n - 7):n]
        if not ref:
            return self.prior[0] + self.prior[1] * rows[i][3]
        return np.mean([np.append(rows[j][2][:3], rows[j][4]) - self.d[V.index(rows[j][1])] for j in ref], axis=0)

    def features(self, rows, norm, mode, duration=False):
        x, y = [], []
        for idx in by_talker(rows).values():
            if norm == 'lobanov':
                f = np.array([rows[i][2][:3] for i in idx])
                mu, sd = f.mean(0), f.std(0) + 1e-9
            for n, i in enumerate(idx):
                r = rows[i]
                c = self.constants(rows, idx, i, n, mode)
                gk = c[:3] if norm == 'per-formant' else np.full(3, c[:3].mean())
                if norm == 'lobanov':
                    f = list((r[2] - np.tile(mu, 4)) / np.tile(sd, 4)) + [r[3] - mu.mean()]
                else:
                    f = list(r[2] - np.tile(gk, 4)) + [r[3] - gk.mean()]
                if duration:
                    f.append(r[4] - c[3])
                x.append(f)
                y.append(V.index(r[1]))
        return np.array(x), np.array(y)


def logistic(x, y, l2=1e-3, steps=3000, rate=0.5):
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    w, b, onehot = np.zeros((z.shape[1], 7)), np.zeros(7), np.eye(7)[y]
    for _ in range(steps):
        s = z @ w + b
        p = np.exp(s - s.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(y)
        w -= rate * (z.T @ g + l2 * w)
        b -= rate * g.sum(0)
    return lambda x2: np.argmax(((x2 - mu) / sd) @ w + b, 1)


def main():
    train = hillenbrand(sys.argv[1])
    tests = {a.split('=')[0]: measured(a.split('=')[1]) for a in sys.argv[2:]}
    norm = Norm(train)
    print('| normalisation | G over | ' + ' | '.join(tests) + ' |')
    print('|---|---|' + '---:|' * len(tests))
    for name, duration in (('single G', False), ('per-formant G', False), ('Lobanov', False),
                           ('single G + duration', True), ('per-formant G + duration', True)):
        kind = name.split(' +')[0].replace('single G', 'single').replace('per-formant G', 'per-formant').lower()
        for mode in (['all'] if kind == 'lobanov' else ['all', 'loo', 'running']):
            model = logistic(*norm.features(train, kind, 'all', duration))
            cells = []
            for rows in tests.values():
                x, y = norm.features(rows, kind, mode, duration)
                cells.append(f'{100 * np.mean(model(x) == y):.1f} % ({np.sum(model(x) == y)}/{len(y)})')
            print(f'| {name} | {mode} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
