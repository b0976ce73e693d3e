#!/usr/bin/python3
"""Fits the piecewise polynomial of the sigmoid kernels (kernels/ops_sigmoid.hpp: kSigmoidC0..C6).

Regenerate (about 15 s):   /usr/bin/python3 tools/fit_sigmoid.py > /tmp/tables.txt
   (kernels/tables/sigmoid.inc, sigmoid_exp2.inc: /usr/bin/python3 tools/gen_tables.py writes them). Needs numpy (the system
   python /usr/bin/python3 has it; the first python3 on PATH may not). Options: --degree D (default
   6), --intervals N (default 16).

What is fitted: s(a) = sigmoid(-a) = 1 / (1 + e^a) for a = |x| in [0, N - 1/2), on N intervals of width 1
centred at the integers k = 0 .. N-1 (the first one is [0, 1/2]), as p_k(t) = sum_i C_i[k] t^i with
t = a - k, |t| <= 1/2. The kernel's slot is k = round(a), taken from the low mantissa bits of
a + 1.5 * 2^23; it returns s for x < 0 and 1 - s for x > 0 (one rounding).
The error measure is the error in ULPs of the float s (relative, weighted per binade: s for x < 0 is
small and needs relative accuracy; 1 - s only needs s to absolute accuracy). Fit: minimax by Lawson's
algorithm (iteratively reweighted least squares on a dense Chebyshev grid, in double); the
coefficients are rounded to float from the constant term up, refitting the higher ones after each
rounding, and the constant term is chosen among the 7 floats nearest s(k) by the max error of the
float evaluation (Horner with FMAs, emulated, and the final 1 - s). The printed errors are samples
(200001 floats per interval); tests/test_exhaustive.cpp is the judge of the kernels.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitlib import (best_c0, c0_candidates, cheb_nodes, cpp_array, fit_rounded, hexf,  # noqa: E402
                    horner32, interval_samples, t_range, ulp_err)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def fit_interval(centre, deg, c0, n=4000):
    t = cheb_nodes(*t_range(centre), n)
    return fit_rounded(t, sigmoid(-(t + centre)), deg, {0: c0})


def max_ulp(coef, centre, n=200001):
    """(max ULP error of s for x = -a < 0, of 1 - s for x = a > 0) over a in the interval."""
    a, ts = interval_samples(centre, n)
    s = horner32(coef, ts)
    ref = sigmoid(-a.astype(np.float64))
    neg = ulp_err(s.astype(np.float64), ref)
    pos = ulp_err((np.float32(1.0) - s).astype(np.float64), 1.0 - ref)
    return float(neg.max()), float(pos.max())


def best_fit(centre, deg):
    """Tries c0 = the float nearest sigmoid(centre) and its 3 neighbours each side; keeps the best."""
    cands = [np.float32(0.5)] if centre == 0 else c0_candidates(sigmoid(-centre))  # sigmoid(+-0) = 1/2
    return best_c0(cands, lambda c0: fit_interval(centre, deg, c0), lambda coef: max_ulp(coef, centre))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degree", type=int, default=6)
    ap.add_argument("--intervals", type=int, default=16)
    ap.add_argument("--name", default="kSigmoidC")
    a = ap.parse_args()
    tab = []
    worst = [0.0, 0.0]
    for k in range(a.intervals):
        coef, e = best_fit(float(k), a.degree)
        tab.append(coef)
        worst = [max(worst[0], e[0]), max(worst[1], e[1])]
        lo, hi = t_range(k)
        print(f"// slot {k:2d}, |x| in [{k + lo:4.1f}, {k + hi:4.1f}]: max error {e[0]:.3f} ULP (x < 0), "
              f"{e[1]:.3f} ULP (x > 0)", file=sys.stderr)
    print(f"// s(a) = sigmoid(-a) for a < {a.intervals - 0.5}: {a.intervals} intervals, degree {a.degree}; max "
          f"error of the float evaluation {worst[0]:.3f} ULP (x < 0: s), {worst[1]:.3f} ULP (x > 0: 1 - s) (sampled)")
    for i in range(a.degree + 1):
        print(cpp_array(f"{a.name}{i}", [tab[k][i] for k in range(a.intervals)]))
    fast_tier()


def fast_tier(deg=3, lut=16):
    """The fast tier's e^-x = 2^N 2^(j/lut) e^-t: the table 2^(j/lut) and e^-t ~ 1 + t (b1 + t (b2 + ..))
    on |t| <= ln2 / (2 lut) (+ a margin for the reduction's rounding), minimax relative, float."""
    h = np.log(2.0) / (2 * lut) * 1.001
    t = cheb_nodes(-h, h)
    f = np.exp(-t)
    b = fit_rounded(t, f, deg, {0: 1.0})
    p = sum(b[i] * t**i for i in range(deg + 1))
    err = np.max(np.abs(p - f) / f) * 2.0**24
    print(f"// fast tier: e^-t for |t| <= ln2/{2 * lut}, degree {deg}: max relative error {err:.3f} x 2^-24")
    print(cpp_array("kSigmoidExp2", [2.0 ** (j / lut) for j in range(lut)]))
    print("// b1 .. b" + str(deg) + ": " + ", ".join(hexf(b[i]) for i in range(1, deg + 1)))


if __name__ == "__main__":
    main()
