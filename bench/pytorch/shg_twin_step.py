#!/usr/bin/env python3
"""The grey-box SHG twin and one PAT training step in PyTorch, side by side with PNN Edge's Java.

Same equations as models/src/main/java/org/pnnedge/models/twin/ShgTwin.java (mask look-up tables, envelope and
spectral phase, neighbour crosstalk, autoconvolution, spectrometer bands, offsets, compression, saturation), float64,
autograd for the vector-Jacobian product. Checks itself against an export of the Java twin and PAT step
(org.pnnedge.models.pnn.PatStepExport) and times what the Java JMH benchmarks time:

  twin forward+VJP, 1 sample   <-> TwinBenchmark.shgForwardVjp (ShgTwin.forward + vjp of one sample)
  twin forward+VJP, batch 256  (PyTorch's best case, reported per sample)
  PAT digital step, batch 8    <-> PnnStepBenchmark.digitalStep (at a fixed device forward pass: the twin's forward
                                   + VJP at the measured inputs, chain rule, softmax cross-entropy + range penalty,
                                   Adam, clamp of theta)

Usage: shg_twin_step.py --export export.json [--threads 1,2] [--iterations 10] [--jmh jmh.json]
Run by bench/run-pytorch.sh. Needs Debian's python3-torch (CPU).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch

torch.set_default_dtype(torch.float64)

BINS, INPUTS, PARAMS, OUTPUTS, KNOTS = 48, 16, 32, 16, 33
SH_FIRST, SH_LAST, BAND = 27, 67, 8
LUT_A = 0
LUT_P = LUT_A + KNOTS
AMP = LUT_P + KNOTS
PHASE = AMP + BINS
KAPPA_L = PHASE + BINS
KAPPA_R = KAPPA_L + 1
WEIGHTS = KAPPA_R + 1
OFFSET = WEIGHTS + OUTPUTS * BAND
BETA = OFFSET + OUTPUTS
SIZE = BETA + 1


class ShgTwin:
    """ShgTwin.forward for a batch; autograd gives the VJP."""

    def __init__(self, calibration):
        c = torch.tensor(calibration)
        assert c.numel() == SIZE, f"calibration has {c.numel()} values, expected {SIZE}"
        self.lut_a = c[LUT_A:LUT_A + KNOTS]
        self.lut_p = c[LUT_P:LUT_P + KNOTS]
        self.amp = c[AMP:AMP + BINS]
        phase = c[PHASE:PHASE + BINS]
        self.cos_psi, self.sin_psi = torch.cos(phase), torch.sin(phase)
        self.kl, self.kr = c[KAPPA_L].item(), c[KAPPA_R].item()
        self.offset = c[OFFSET:OFFSET + OUTPUTS]
        self.beta = c[BETA].item()
        # bin 3k+1 = input k; bin 3(p//2) + 2(p%2) = parameter p; as an index into cat([x, theta])
        perm = []
        for b in range(BINS):
            perm.append((b - 1) // 3 if b % 3 == 1 else INPUTS + 2 * (b // 3) + (b % 3) // 2)
        self.perm = torch.tensor(perm)
        width = (SH_LAST - SH_FIRST + 1.0) / OUTPUTS
        first = [math.floor(SH_FIRST - 0.5 + (k + 0.5) * width + 0.5) - BAND // 2 for k in range(OUTPUTS)]  # Math.round
        self.sh_lo = max(0, min(first))
        self.sh_hi = min(2 * BINS - 2, max(first) + BAND - 1)
        band = torch.tensor([[f + j for j in range(BAND)] for f in first])
        valid = (band >= self.sh_lo) & (band <= self.sh_hi)
        self.band = (band.clamp(self.sh_lo, self.sh_hi) - self.sh_lo).reshape(-1)
        self.weights = c[WEIGHTS:WEIGHTS + OUTPUTS * BAND].reshape(OUTPUTS, BAND) * valid

    def forward(self, x, theta):
        b = x.shape[0]
        u = torch.cat([x, theta], 1)[:, self.perm].clamp(0.0, 1.0)
        t = u * (KNOTS - 1)
        i = torch.clamp(t.detach().floor().long(), max=KNOTS - 2)
        f = t - i
        a = self.lut_a[i] * (1 - f) + self.lut_a[i + 1] * f
        p = self.lut_p[i] * (1 - f) + self.lut_p[i + 1] * f
        tr, ti = a * torch.cos(p), a * torch.sin(p)
        e_re = self.amp * (self.cos_psi * tr - self.sin_psi * ti)
        e_im = self.amp * (self.cos_psi * ti + self.sin_psi * tr)
        zero = torch.zeros(b, 1)
        f_re = e_re + self.kl * torch.cat([zero, e_re[:, :-1]], 1) + self.kr * torch.cat([e_re[:, 1:], zero], 1)
        f_im = e_im + self.kl * torch.cat([zero, e_im[:, :-1]], 1) + self.kr * torch.cat([e_im[:, 1:], zero], 1)
        # second harmonic S_s = sum_{i+j=s} F_i F_j: the autoconvolution by FFT (zero-padded to 96 >= 2*48 - 1, so
        # not circular); 10x faster in PyTorch than an outer product summed along anti-diagonals, same to ~1e-15
        spec = torch.fft.fft(torch.complex(f_re, f_im), n=2 * BINS)
        sh = torch.fft.ifft(spec * spec)[:, self.sh_lo:self.sh_hi + 1]
        inten = sh.real * sh.real + sh.imag * sh.imag
        r = (inten[:, self.band].reshape(b, OUTPUTS, BAND) * self.weights).sum(2)
        v = self.offset + r - self.beta * r * r
        return torch.where(v > 1.0, torch.ones_like(v), v)


class PatStep:
    """PnnPass.backward + Adam + clampTheta for one layer at a fixed device forward pass (PAT)."""

    def __init__(self, twin, s):
        self.twin = twin
        t = lambda k: torch.tensor(s[k])
        self.n = s["batch"]
        self.penalty = s["rangePenalty"]
        self.channels = torch.tensor(s["classChannels"])
        z = t("z")
        self.src = torch.cat([z, torch.zeros(self.n, INPUTS - z.shape[1])], 1)  # channels past the features get 0
        self.labels = torch.tensor(s["labels"])
        self.xq, self.theta_q, self.y_dev = t("xq"), t("thetaQ"), t("yDevice")
        self.shift, self.scale = t("shift"), t("scale")
        self.read_shift, self.read_scale = t("readShift"), t("readScale")
        self.params = [t(k).requires_grad_() for k in ("theta", "gain", "offset", "readGain", "readOffset")]
        self.opt = torch.optim.Adam(self.params, lr=0.02, betas=(0.9, 0.999), eps=1e-8)

    def loss(self):
        theta, gain, offset, read_gain, read_offset = self.params
        x_pre = gain * (self.src - self.shift) * self.scale + offset
        inside = ((x_pre >= 0) & (x_pre <= 1)).to(x_pre.dtype)
        # straight-through: the twin is evaluated at what the device received, gradients flow to the parameters
        x = self.xq + (x_pre - x_pre.detach()) * inside
        th = self.theta_q + (theta - theta.detach())
        y_twin = self.twin.forward(x, th.expand(self.n, PARAMS))
        y = self.y_dev + (y_twin - y_twin.detach())  # the measured outputs forward, the twin's Jacobian backward
        logits = read_gain * (y[:, self.channels] - self.read_shift) * self.read_scale + read_offset
        excess = x_pre - x_pre.clamp(0.0, 1.0)
        ce = torch.nn.functional.cross_entropy(logits, self.labels)
        return ce, ce + self.penalty * (excess * excess).sum() / self.n

    def step(self):
        self.opt.zero_grad(set_to_none=False)
        ce, total = self.loss()
        total.backward()
        self.opt.step()
        with torch.no_grad():
            self.params[0].clamp_(0.0, 1.0)
        return ce


def max_rel(a, b):
    a, b = torch.as_tensor(a), torch.as_tensor(b)
    return ((a - b).abs().max() / b.abs().max().clamp(min=1e-300)).item()


def check(export):
    twin = ShgTwin(export["twin"]["calibration"])
    rows = export["rows"]
    x = torch.tensor([r["x"] for r in rows]).requires_grad_()
    th = torch.tensor([r["theta"] for r in rows]).requires_grad_()
    dy = torch.tensor([r["dy"] for r in rows])
    y = twin.forward(x, th)
    dx, dth = torch.autograd.grad(y, [x, th], dy)
    s = export["step"]
    step = PatStep(twin, s)
    ce, total = step.loss()
    total.backward()
    out = {
        "twin y": max_rel(y.detach(), [r["y"] for r in rows]),
        "twin dL/dx": max_rel(dx, [r["dx"] for r in rows]),
        "twin dL/dtheta": max_rel(dth, [r["dtheta"] for r in rows]),
        "step loss": max_rel(ce.detach(), s["loss"]),
    }
    for p, k in zip(step.params, ("gradTheta", "gradGain", "gradOffset", "gradReadGain", "gradReadOffset")):
        out["step " + k] = max_rel(p.grad, s[k])
    return out


def timed(fn, iterations, warmup=3, seconds=1.0):
    """Like a JMH fork: warm-up iterations, then `iterations` of about `seconds` each; per-op time of each."""
    per_op = []
    for it in range(warmup + iterations):
        ops = 0
        t0 = time.perf_counter()
        while True:
            fn()
            ops += 1
            el = time.perf_counter() - t0
            if el >= seconds:
                break
        if it >= warmup:
            per_op.append(el / ops)
    return statistics.median(per_op), min(per_op), max(per_op)


def benchmarks(export):
    twin = ShgTwin(export["twin"]["calibration"])
    g = torch.Generator().manual_seed(42)
    xs = 0.1 + 0.8 * torch.rand(256, INPUTS, generator=g)
    ths = 0.1 + 0.8 * torch.rand(256, PARAMS, generator=g)
    dys = 2 * torch.rand(256, OUTPUTS, generator=g) - 1
    row = [0]

    def one():
        i = row[0]
        row[0] = (i + 1) & 255
        x = xs[i:i + 1].clone().requires_grad_()
        th = ths[i:i + 1].clone().requires_grad_()
        return torch.autograd.grad(twin.forward(x, th), [x, th], dys[i:i + 1])

    def batch256():
        x = xs.clone().requires_grad_()
        th = ths.clone().requires_grad_()
        return torch.autograd.grad(twin.forward(x, th), [x, th], dys)

    step = PatStep(twin, export["step"])
    return [("twin forward+VJP, 1 sample", "TwinBenchmark.shgForwardVjp", one, 1),
            ("twin forward+VJP, batch 256 (per sample)", None, batch256, 256),
            ("PAT digital step, batch 8", "PnnStepBenchmark.digitalStep", step.step, 1)]


def jmh_scores(path):
    """benchmark name -> (median over forks, min, max) in microseconds, from a JMH JSON result file."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for r in json.load(f):
            name = ".".join(r["benchmark"].split(".")[-2:])
            forks = [statistics.mean(fork) for fork in r["primaryMetric"]["rawData"]]
            out[name] = (statistics.median(forks), min(forks), max(forks))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--export", required=True, help="JSON from org.pnnedge.models.pnn.PatStepExport")
    ap.add_argument("--threads", default="1,2", help="torch.set_num_threads values to time (default 1,2)")
    ap.add_argument("--iterations", type=int, default=10, help="measured 1-s iterations (after 3 warm-up)")
    ap.add_argument("--jmh", help="JMH JSON of the Java side, for the ratio column")
    a = ap.parse_args()
    with open(a.export) as f:
        export = json.load(f)
    print(f"torch {torch.__version__}, python {sys.version.split()[0]}, float64, "
          f"{torch.get_num_interop_threads()} inter-op threads")
    errors = check(export)
    print("\nPyTorch vs Java, max |difference| / max |Java value|:")
    for k, v in errors.items():
        print(f"  {k:24s} {v:.1e}")
    worst = max(errors.values())
    if worst > 1e-9:
        sys.exit(f"shg_twin_step.py: PyTorch and Java disagree by {worst:.1e} (> 1e-9); not timing")
    java = jmh_scores(a.jmh)
    print("\n| what | torch threads | PyTorch µs/op median [min–max] | Java µs/op median [min–max] (1 thread) "
          "| PyTorch / Java |")
    print("|---|---:|---:|---:|---:|")
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        for label, jmh_name, fn, per in benchmarks(export):
            med, lo, hi = (v / per * 1e6 for v in timed(fn, a.iterations))
            j = java.get(jmh_name) if jmh_name else None
            jcol = f"{j[0]:.1f} [{j[1]:.1f}–{j[2]:.1f}]" if j else "–"
            ratio = f"{med / j[0]:.1f}×" if j else "–"
            print(f"| {label} | {threads} | {med:.1f} [{lo:.1f}–{hi:.1f}] | {jcol} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
