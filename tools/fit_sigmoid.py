#!/usr/bin/python3
"""Fits the piecewise polynomial of the sigmoid kernels (kernels/ops_sigmoid.hpp: kSigmoidC0..C6).

Regenerate (about 15 s):   /usr/bin/python3 tools/fit_sigmoid.py > /tmp/tables.txt
   then paste the printed arrays over the ones in kernels/ops_sigmoid.hpp. Needs numpy (the system
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
import sys

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


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
    f = sigmoid(-(t + centre))
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


def max_ulp(coef, centre, n=200001):
    """(max ULP error of s for x = -a < 0, of 1 - s for x = a > 0) over a in the interval."""
    lo, hi = t_range(centre)
    a = np.unique(np.linspace(centre + lo, centre + hi, n).astype(np.float32))
    ts = (a - np.float32(centre)).astype(np.float32)  # exact (Sterbenz) for centre >= 1, = a for 0
    s = horner32(coef, ts)
    ref = sigmoid(-a.astype(np.float64))
    neg = np.abs(s.astype(np.float64) - ref) / np.spacing(ref.astype(np.float32)).astype(np.float64)
    q = (np.float32(1.0) - s).astype(np.float64)
    pos = np.abs(q - (1.0 - ref)) / np.spacing((1.0 - ref).astype(np.float32)).astype(np.float64)
    return float(neg.max()), float(pos.max())


def best_fit(centre, deg):
    """Tries c0 = the float nearest sigmoid(centre) and its 3 neighbours each side; keeps the best."""
    near = np.float32(sigmoid(-centre))
    cands = [near]
    for d in (np.inf, -np.inf):
        v = near
        for _ in range(3):
            v = np.nextafter(v, np.float32(d))
            cands.append(v)
    if centre == 0:
        cands = [np.float32(0.5)]  # sigmoid(+-0) = 1/2 exactly
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
        vals = ", ".join(hexf(tab[k][i]) for k in range(a.intervals))
        print(f"alignas(64) static constexpr float {a.name}{i}[{a.intervals}] = {{{vals}}};")
    fast_tier()


def fast_tier(deg=3, lut=16):
    """The fast tier's e^-x = 2^N 2^(j/lut) e^-t: the table 2^(j/lut) and e^-t ~ 1 + t (b1 + t (b2 + ..))
    on |t| <= ln2 / (2 lut) (+ a margin for the reduction's rounding), minimax relative, float."""
    h = np.log(2.0) / (2 * lut) * 1.001
    k = np.arange(4000)
    t = np.concatenate([h * np.cos(np.pi * (k + 0.5) / 4000), [-h, h]])
    f = np.exp(-t)
    fixed = {0: 1.0}
    for i in range(1, deg + 1):
        c = lawson(t, f, deg, fixed)
        fixed[i] = float(np.float32(c[i]))
    p = sum(fixed[i] * t**i for i in range(deg + 1))
    err = np.max(np.abs(p - f) / f) * 2.0**24
    print(f"// fast tier: e^-t for |t| <= ln2/{2 * lut}, degree {deg}: max relative error {err:.3f} x 2^-24")
    print(f"alignas(64) static constexpr float kSigmoidExp2[{lut}] = "
          f"{{{', '.join(hexf(2.0 ** (j / lut)) for j in range(lut))}}};")
    print("// b1 .. b" + str(deg) + ": " + ", ".join(hexf(fixed[i]) for i in range(1, deg + 1)))


if __name__ == "__main__":
    main()
