#!/usr/bin/python3
"""Fits the piecewise polynomial of the accurate softplus kernel (kSoftplusC0..C<D>).

Regenerate (about 20 s):   /usr/bin/python3 tools/fit_softplus.py > /tmp/tables.txt
   (kernels/tables/softplus.inc: /usr/bin/python3 tools/gen_tables.py writes it). Needs numpy (the system python
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
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitlib import (best_c0, c0_candidates, cheb_nodes, cpp_array, fit_rounded, horner32,  # noqa: E402
                    interval_samples, t_range, ulp_err)


def softplus_neg(a):
    """f(a) = softplus(-a) = log1p(e^-a), in double."""
    return np.log1p(np.exp(-a))


def fit_interval(centre, deg, c0, n=4000):
    t = cheb_nodes(*t_range(centre), n)
    return fit_rounded(t, softplus_neg(t + centre), deg, {0: c0})


_samples = {}


def samples(centre, n=200001):
    """The float a sampled on the interval, t = a - k (exact), and the reference f(a) (cached)."""
    if centre not in _samples:
        a, ts = interval_samples(centre, n)
        _samples[centre] = (a, ts, softplus_neg(a.astype(np.float64)))
    return _samples[centre]


def max_ulp(coef, centre):
    """(max ULP error of f for x = -a < 0, of a + f for x = a > 0) over a in the interval."""
    a, ts, ref = samples(centre)
    p = horner32(coef, ts)
    neg = ulp_err(p.astype(np.float64), ref)
    a64 = a.astype(np.float64)
    y = (a64 + p.astype(np.float64)).astype(np.float32)  # the double sum is exact, then one rounding
    pos = ulp_err(y.astype(np.float64), a64 + ref)
    return float(neg.max()), float(pos.max())


def approx_ulp(coef, centre):
    """Max error of the polynomial with these (float) coefficients evaluated in double, ULPs of f."""
    a, ts, ref = samples(centre)
    t = ts.astype(np.float64)
    p = sum(c * t**i for i, c in enumerate(coef))
    return float(np.max(ulp_err(p, ref)))


def best_fit(centre, deg):
    """Tries c0 = the float nearest f(centre) and its 3 neighbours each side; keeps the best."""
    return best_c0(c0_candidates(softplus_neg(centre)), lambda c0: fit_interval(centre, deg, c0),
                   lambda coef: max_ulp(coef, centre))


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
        print(cpp_array(f"{a.name}{i}", [tab[k][i] for k in range(a.intervals)]))


if __name__ == "__main__":
    main()
