#!/usr/bin/python3
"""Fits the piecewise polynomial of the accurate softplus kernel (kSoftplusC0..C<D>).

Regenerate (about 20 s):   /usr/bin/python3 tools/fit_softplus.py > /tmp/tables.txt
   then paste the printed arrays over the ones in the kernel header. Needs numpy (the system python
   /usr/bin/python3 has it; the first python3 on PATH may not). Options: --degree D (default 6),
   --intervals N (default 16), --scan (print only the sampled errors of degrees 4 .. 7, no tables).

What is fitted: f(a) = softplus(-a) = log1p(e^-a) for a = |x| in [0, N - 1/2), on N intervals of width 1
centred at the integers k = 0 .. N-1 (the first one is [0, 1/2]), as p_k(t) = sum_i C_i[k] t^i with
t = a - k, |t| <= 1/2: the interval structure of the sigmoid kernel (tools/fit_sigmoid.py), so the slot
is k = round(a) from the low mantissa bits of a + 1.5 * 2^23 and t = a - k is exact. The kernel returns
f for x < 0 (softplus(x) = f(|x|)) and x + f for x > 0 (softplus(x) = x + softplus(-x), one rounding).
The error measure is the error in ULPs of the float f (relative, weighted per binade: f for x < 0 is
small and needs relative accuracy; x + f only needs f to absolute accuracy). Fit: minimax by Lawson's
algorithm (iteratively reweighted least squares on a dense Chebyshev grid, in double); the
coefficients are rounded to float from the constant term up, refitting the higher ones after each
rounding, and the constant term is chosen among the 7 floats nearest f(k) by the max error of the
float evaluation (Horner with FMAs, emulated, and the final x + f). The reference is numpy's
log1p(exp(-a)) in double (relative error ~1e-16, i.e. < 1e-8 float ULP). The printed errors are samples
(200001 floats per interval, both interval ends included); the exhaustive test is the judge of the kernel.
"""
import argparse
import sys

import numpy as np


def softplus_neg(a):
    """f(a) = softplus(-a) = log1p(e^-a), in double."""
    return np.log1p(np.exp(-a))


def lawson(t, f, deg, fixed, iters=60):
    """Minimax (in ULPs of the float f) fit of f(t) by sum_i c_i t^i, c_i given for i in `fixed`."""
    cols = [i for i in range(deg + 1) if i not in fixed]
    g = f.copy()
    for i, c in fixed.items():
        g = g - c * t**i
    u = np.spacing(f.astype(np.float32)).astype(np.float64)  # error in ULPs of the float result
    V = np.stack([t**i for i in cols], axis=1) / u[:, None]
    rhs = g / u
    w = np.ones_like(t) / len(t)
    c = None
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(V * sw[:, None], rhs * sw, rcond=None)
        err = np.abs(V @ c - rhs)
        w = w * err
        s = w.sum()
        if s == 0:
            break
        w /= s
    out = dict(fixed)
    for i, ci in zip(cols, c):
        out[i] = ci
    return out


def t_range(centre):
    return (0.0 if centre == 0 else -0.5), 0.5


def fit_interval(centre, deg, c0, n=4000):
    lo, hi = t_range(centre)
    k = np.arange(n)
    t = np.concatenate([0.5 * (lo + hi) + 0.5 * (hi - lo) * np.cos(np.pi * (k + 0.5) / n), [lo, hi]])
    f = softplus_neg(t + centre)
    fixed = {0: c0}
    for i in range(1, deg + 1):
        c = lawson(t, f, deg, fixed)
        fixed[i] = float(np.float32(c[i]))
    return [fixed[i] for i in range(deg + 1)]


def horner32(coef, t):
    """Float Horner with fused multiply-adds (a*b + c in double is exact for floats, then rounded)."""
    p = np.full_like(t, np.float32(coef[-1]))
    for c in reversed(coef[:-1]):
        p = (p.astype(np.float64) * t.astype(np.float64) + np.float64(np.float32(c))).astype(np.float32)
    return p


_samples = {}


def samples(centre, n=200001):
    """The float a sampled on the interval, t = a - k (exact), and the reference f(a) (cached)."""
    if centre not in _samples:
        lo, hi = t_range(centre)
        a = np.unique(np.linspace(centre + lo, centre + hi, n).astype(np.float32))
        ts = (a - np.float32(centre)).astype(np.float32)  # exact (Sterbenz) for centre >= 1, = a for 0
        _samples[centre] = (a, ts, softplus_neg(a.astype(np.float64)))
    return _samples[centre]


def max_ulp(coef, centre):
    """(max ULP error of f for x = -a < 0, of a + f for x = a > 0) over a in the interval."""
    a, ts, ref = samples(centre)
    p = horner32(coef, ts)
    neg = np.abs(p.astype(np.float64) - ref) / np.spacing(ref.astype(np.float32)).astype(np.float64)
    a64 = a.astype(np.float64)
    y = (a64 + p.astype(np.float64)).astype(np.float32)  # the double sum is exact, then one rounding
    yref = a64 + ref
    pos = np.abs(y.astype(np.float64) - yref) / np.spacing(yref.astype(np.float32)).astype(np.float64)
    return float(neg.max()), float(pos.max())


def approx_ulp(coef, centre):
    """Max error of the polynomial with these (float) coefficients evaluated in double, ULPs of f."""
    a, ts, ref = samples(centre)
    t = ts.astype(np.float64)
    p = sum(c * t**i for i, c in enumerate(coef))
    return float(np.max(np.abs(p - ref) / np.spacing(ref.astype(np.float32)).astype(np.float64)))


def best_fit(centre, deg):
    """Tries c0 = the float nearest f(centre) and its 3 neighbours each side; keeps the best."""
    near = np.float32(softplus_neg(centre))
    cands = [near]
    for d in (np.inf, -np.inf):
        v = near
        for _ in range(3):
            v = np.nextafter(v, np.float32(d))
            cands.append(v)
    best = None
    for c0 in cands:
        coef = fit_interval(centre, deg, float(c0))
        e = max_ulp(coef, centre)
        if best is None or max(e) < max(best[1]):
            best = (coef, e)
    return best


def hexf(v):
    """C++ hex float literal of the float v, trailing zero digits removed."""
    if v == 0:
        return "0.0f"
    mant, exp = float(np.float32(v)).hex().split("p")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}p{exp}f"


def run(deg, intervals, verbose=True):
    tab = []
    worst = [0.0, 0.0, 0.0]
    for k in range(intervals):
        coef, e = best_fit(float(k), deg)
        ap = approx_ulp(coef, float(k))
        tab.append(coef)
        worst = [max(worst[0], e[0]), max(worst[1], e[1]), max(worst[2], ap)]
        if verbose:
            lo, hi = t_range(k)
            print(f"// slot {k:2d}, |x| in [{k + lo:4.1f}, {k + hi:4.1f}]: max error {e[0]:.3f} ULP (x < 0), "
                  f"{e[1]:.3f} ULP (x > 0); polynomial alone {ap:.3f} ULP", file=sys.stderr)
    return tab, worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degree", type=int, default=6)
    ap.add_argument("--intervals", type=int, default=16)
    ap.add_argument("--name", default="kSoftplusC")
    ap.add_argument("--scan", action="store_true")
    a = ap.parse_args()
    if a.scan:
        for deg in range(4, 8):
            _, w = run(deg, a.intervals, verbose=False)
            print(f"// degree {deg}: f (x < 0) {w[0]:.3f} ULP, x + f (x > 0) {w[1]:.3f} ULP, "
                  f"polynomial alone (double evaluation) {w[2]:.3f} ULP of f")
        return
    tab, worst = run(a.degree, a.intervals)
    print(f"// f(a) = softplus(-a) = log1p(e^-a) for a < {a.intervals - 0.5}: {a.intervals} intervals, degree "
          f"{a.degree}; max error of the float evaluation {worst[0]:.3f} ULP (x < 0: f), {worst[1]:.3f} ULP "
          f"(x > 0: x + f) (sampled; the polynomial alone {worst[2]:.3f} ULP of f)")
    for i in range(a.degree + 1):
        vals = ", ".join(hexf(tab[k][i]) for k in range(a.intervals))
        print(f"alignas(64) static constexpr float {a.name}{i}[{a.intervals}] = {{{vals}}};")


if __name__ == "__main__":
    main()
