#!/usr/bin/python3
"""Fits the piecewise polynomial of a table-driven SiLU kernel (kSiluC0hi, kSiluC0lo, kSiluC1..C<D>).

Regenerate (about 5 s):   /usr/bin/python3 tools/fit_silu.py --out /tmp/silu_tables.txt
   (kernels/tables/silu.inc, from --no-lo: /usr/bin/python3 tools/gen_tables.py writes it). Needs numpy and mpmath (the system python
   /usr/bin/python3 has them; the first python3 on PATH may not). Per-slot errors go to stderr.
   Options: --degree D (default 7; 6 is too little, see below), --intervals N (default 16), --no-lo
   (tables for a kernel that drops C0lo: C1.. fitted for C0 = C0hi alone, kSiluC0lo not printed),
   --scan (only the sampled errors of degrees 5 .. 8, no tables), --out FILE (also write the tables
   there). The generic helpers (Lawson fit, hex literals, samples) come from tools/fitlib.py.

The design (that of the GELU kernel, tools/fit_gelu.py, split mode). a = |x|, slot k = round(a) (low
mantissa bits of a + 1.5 * 2^23), 16 slots of width 1 centred at k = 0 .. 15, i.e. |x| < 15.5; the
kernel handles larger |x| otherwise.
  Slot 0 (|x| <= 1/2): t = x, signed. sigmoid(x) = 1/2 + x P(x), P(x) = C1 + x (C2 + .. x C<D>) in
    float Horner with FMAs (the same code as the other slots; the zero coefficients cost a rounded
    product each). sigmoid - 1/2 = tanh(x/2)/2 is odd: C2 = C4 = C6 = 0. The kernel returns
    y = fma(x, fl(x P(x)), 0.5 x). C0hi[0] = 1/2, C0lo[0] = 0. The odd coefficients: minimax of the
    error of y in its ULPs (P fitted to tanh(x/2)/(2x) with weight ulp(silu(x)) / x^2), rounded to float
    from C1 up, refitting the higher ones after each rounding.
  Slots k >= 1: t = a - k (exact), g(a) = a sigmoid(-a) = a / (1 + e^a), g(k + t) = C0hi + C0lo + t P(t),
    P = C1 + t (C2 + .. t C<D>) in float Horner with FMAs, t P an exact product pair added to C0hi by
    Fast2Sum (g as a double-float, ~2^-40 apart from P's own error). C0hi = float(g(k)),
    C0lo = float(g(k) - C0hi) (mpmath, 40 digits). C1 .. C<D>: minimax (Lawson, 4000 Chebyshev nodes
    and the ends, double) of the error in ULPs of the float g with C0 fixed at C0hi + C0lo, rounded to
    float from C1 up with refits. The kernel returns y = -g for x < 0 and y = x - g for x > 0, each
    rounded once.
Error measure: ULPs of the float result y (spacing of float(|reference|)); reference silu per point in
double (x / (1 + e^-x), g = a / (1 + e^a): relative error ~1e-16, < 1e-8 float ULP). Float arithmetic
is emulated exactly: every FMA and every "rounded once" is the exact value (double-double, two_sum)
rounded to float with ties resolved by the low part (no double rounding). Samples: 200001 floats per
slot, both ends included; slot 0 also 40001 log-spaced |x| down to 2^-149 of each sign and the 100000
floats nearest each of +-1/2. Three evaluations of the slots >= 1 are reported, each with the run's tables:
  pair:   g = C0hi + C0lo + t P as above (the design).
  no-lo:  C0lo dropped, g = fl(C0hi + fl(t P)) in plain float; y = -g, y = fl(x - g).
  fma-lo: C0lo dropped, g = fma(t, P, C0hi); y = -g, y = fl(x - g) (for comparison).
Sampled errors (max ULP over the samples; the exhaustive test of the kernel is the judge):
  slot 0 (y = fma(x, x P, x/2)): degree 6 1.53 (x < 0) / 1.29 (x > 0), degree 7 0.75 / 0.69.
  slots 1..15, silu x < 0 / x > 0:
                        default tables (C0 = C0hi + C0lo)   --no-lo tables (C0 = C0hi)
    degree 6  pair      2.62 / 1.56 (slot 1; slot 2 1.66)   -
              no-lo     3.40 / 2.07                         2.81 / 1.65 (slot 1; slot 2 1.85)
              fma-lo    3.26 / 2.11                         2.56 / 1.77
    degree 7  pair      1.10 / 0.72 (slots 14, 1)           -
              no-lo     1.92 / 1.25 (slot 1)                1.44 / 0.97 (slots 13, 1)
              fma-lo    1.72 / 1.34                         1.31 / 1.07
  Degree 6 fails only in slots 1 and 2 (a in [0.5, 2.5]; all others <= 1.22 with the pair, <= 1.46
  without C0lo); degree 7 is the default. Dropping C0lo needs the --no-lo tables: with the default ones
  the uncompensated C0lo costs ~0.5 ULP.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitlib import (cheb_nodes, cpp_array, emit, fit_rounded, float_pair, interval_samples,  # noqa: E402
                    slot0_samples, ulp_err, ulps)


# ---------------------------------------------------------------------------------------------------
# Exact float arithmetic emulation (vectorised, double-double)
# ---------------------------------------------------------------------------------------------------


def two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def round_dd(hi, lo):
    """float(hi + lo) correctly rounded (nearest even), hi + lo a normalised double-double."""
    hi = np.asarray(hi, dtype=np.float64)
    lo = np.asarray(lo, dtype=np.float64)
    f = hi.astype(np.float32)
    up = np.nextafter(hi, np.inf).astype(np.float32)
    dn = np.nextafter(hi, -np.inf).astype(np.float32)
    tie = (up != dn) & (f.astype(np.float64) != hi)  # hi is exactly halfway between two floats
    f = np.where(tie & (lo > 0), up, f)
    f = np.where(tie & (lo < 0), dn, f)
    return f


def fma32(a, b, c):
    """fl(a b + c) for float arrays (a b exact in double, the sum as a double-double)."""
    s, e = two_sum(a.astype(np.float64) * b.astype(np.float64), c.astype(np.float64))
    return round_dd(s, e)


def horner32(coef, t):
    """P = coef[0] + t (coef[1] + ..) in float Horner with FMAs (zero coefficients included)."""
    t = np.asarray(t, dtype=np.float32)
    p = np.full(t.shape, np.float32(coef[-1]), dtype=np.float32)
    for c in reversed(coef[:-1]):
        p = fma32(p, t, np.full(t.shape, np.float32(c), dtype=np.float32))
    return p


# ---------------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------------


def g_fun(a):
    """g(a) = a / (1 + e^a), double."""
    a = np.asarray(a, dtype=np.float64)
    return a / (1.0 + np.exp(a))


def silu_pos(a):
    """silu(a) = a / (1 + e^-a) for a > 0, double."""
    a = np.asarray(a, dtype=np.float64)
    return a / (1.0 + np.exp(-a))


def c0_split(k):
    """(C0hi, C0lo) = float(g(k)), float(g(k) - C0hi) from mpmath; (1/2, 0) for slot 0."""
    if k == 0:
        return 0.5, 0.0
    import mpmath
    mpmath.mp.dps = 40
    return float_pair(mpmath.mpf(k) / (1 + mpmath.exp(k)))


# ---------------------------------------------------------------------------------------------------
# Slot 0: sigmoid(x) = 1/2 + x P(x), y = fma(x, fl(x P), 0.5 x)
# ---------------------------------------------------------------------------------------------------


def fit_slot0(deg, n=4000):
    """[C1 .. C<deg>] with C2, C4, .. = 0: P(x) ~ tanh(x/2) / (2x), weight ulp(silu(x)) / x^2."""
    x = cheb_nodes(-0.5, 0.5, n)  # no node at 0
    f = np.tanh(0.5 * x) / (2.0 * x)
    y = x * (0.5 + 0.5 * np.tanh(0.5 * x))
    u = np.spacing(np.abs(y).astype(np.float32)).astype(np.float64) / (x * x)
    m = deg - 1  # P has degree deg - 1; its index j holds C_{j+1}
    return fit_rounded(x, f, m, {j: 0.0 for j in range(1, m + 1, 2)}, u=u)


def slot0_err(P, x):
    """Per-sample ULP errors of y = fma(x, fl(x P(x)), 0.5 x) against x sigmoid(x)."""
    p = horner32(P, x)
    xp = (x.astype(np.float64) * p.astype(np.float64)).astype(np.float32)  # fl(x P), exact product rounded
    half = (np.float32(0.5) * x).astype(np.float32)  # 0.5 x (rounded only if subnormal)
    y = fma32(x, xp, half).astype(np.float64)
    x64 = x.astype(np.float64)
    return ulp_err(y, x64 * (0.5 + 0.5 * np.tanh(0.5 * x64)))


# ---------------------------------------------------------------------------------------------------
# Slots k >= 1: g(k + t) = C0hi + C0lo + t P(t)
# ---------------------------------------------------------------------------------------------------

_grids = {}


def grid(k, n=4000):
    if k not in _grids:
        t = cheb_nodes(-0.5, 0.5, n)
        _grids[k] = (t, g_fun(t + k))
    return _grids[k]


def fit_slot(k, deg, no_lo=False):
    """[C0hi, C0lo, C1 .. C<deg>]: C0 = g(k) fixed, minimax in ULPs of the float g, rounded from C1 up.
    no_lo: C0 = C0hi (the float g(k)) fixed and C0lo = 0, for a kernel without the low part."""
    t, f = grid(k)
    hi, lo = c0_split(k)
    if no_lo:
        lo = 0.0
    return [hi, lo] + fit_rounded(t, f, deg, {0: hi + lo})[1:]


_samples = {}


def samples(k, n=200001):
    if k not in _samples:
        a, ts = interval_samples(k, n)  # k >= 1: a in [k - 1/2, k + 1/2], t exact (Sterbenz)
        _samples[k] = (a, ts, g_fun(a), silu_pos(a))
    return _samples[k]


def slot_errs(coef, k):
    """Max ULP errors: g (pair evaluation), polynomial alone (double), and silu for x < 0 / x > 0 in the
    variants pair, no-lo, fma-lo. Returns a dict."""
    a, ts, gref, pref = samples(k)
    a64 = a.astype(np.float64)
    t64 = ts.astype(np.float64)
    c0h, c0l = coef[0], coef[1]
    P = horner32(coef[2:], ts)
    tp = t64 * P.astype(np.float64)  # exact product pair (48 bits)
    # pair: g = C0hi + C0lo + t P as a double-double (Fast2Sum-like, the kernel's ~2^-40 is well below)
    sh, sl = two_sum(np.full_like(tp, c0h), tp)
    sh, sl = two_sum(sh, sl + c0l)
    out = {"g": float(ulps(sh + sl, gref).max())}
    out["poly"] = float(ulps((c0h + c0l) + sum(c * t64**(i + 1) for i, c in enumerate(coef[2:])), gref).max())
    yn = round_dd(sh, sl).astype(np.float64)  # y = -g, negation exact
    out["pair-"] = float(ulps(yn, gref).max())
    dh, dl = two_sum(a64, -sh)
    yp = round_dd(*two_sum(dh, dl - sl)).astype(np.float64)  # x - g rounded once
    out["pair+"] = float(ulps(yp, pref).max())
    # no-lo: g = fl(C0hi + fl(t P))
    tpf = tp.astype(np.float32).astype(np.float64)
    gn = round_dd(*two_sum(np.full_like(tpf, c0h), tpf)).astype(np.float64)
    # fma-lo: g = fma(t, P, C0hi)
    gf = round_dd(*two_sum(np.full_like(tp, c0h), tp)).astype(np.float64)
    for name, gv in (("nolo", gn), ("fma", gf)):
        out[name + "-"] = float(ulps(gv, gref).max())
        out[name + "+"] = float(ulps(round_dd(*two_sum(a64, -gv)).astype(np.float64), pref).max())
    return out


KEYS = ("pair-", "pair+", "nolo-", "nolo+", "fma-", "fma+", "g", "poly")


def run(deg, intervals, verbose=True, no_lo=False):
    tab = []
    P0 = fit_slot0(deg)
    x = slot0_samples()
    e0 = slot0_err(P0, x)
    ax = np.abs(x)
    i0 = {"all": float(e0.max()), "x<0": float(e0[x < 0].max()), "x>0": float(e0[x > 0].max()),
          "small": float(e0[ax < 2.0**-10].max()),
          "sub": float(e0[ax < 2.0**-125].max())}
    tab.append([0.5, 0.0] + P0)
    if verbose:
        print(f"// degree {deg}{' (fitted with C0 = C0hi, no C0lo)' if no_lo else ''}", file=sys.stderr)
        print(f"// slot  0, x in [-0.5, 0.5]: y = fma(x, x P, x/2): x < 0 {i0['x<0']:.3f} ULP, x > 0 "
              f"{i0['x>0']:.3f} ULP (|x| < 2^-10: {i0['small']:.3f}; subnormal 0.5 x: {i0['sub']:.3f}), "
              f"{len(x)} samples (same with and without C0lo)", file=sys.stderr)
    worst = dict.fromkeys(KEYS, 0.0)
    per = []
    for k in range(1, intervals):
        coef = fit_slot(k, deg, no_lo)
        r = slot_errs(coef, k)
        tab.append(coef)
        per.append(r)
        worst = {key: max(worst[key], r[key]) for key in KEYS}
        if verbose:
            print(f"// slot {k:2d}, |x| in [{k - 0.5:4.1f}, {k + 0.5:4.1f}]: g {r['g']:.3f} ULP (poly alone "
                  f"{r['poly']:.3f}); silu x<0 / x>0: pair {r['pair-']:.3f} / {r['pair+']:.3f}, no-lo "
                  f"{r['nolo-']:.3f} / {r['nolo+']:.3f}, fma-lo {r['fma-']:.3f} / {r['fma+']:.3f}",
                  file=sys.stderr)
    return tab, worst, i0, per


def summary(deg, w, i0):
    return (f"// degree {deg}: slot 0 {i0['all']:.3f} ULP (x<0 {i0['x<0']:.3f}, x>0 {i0['x>0']:.3f}); slots >= 1: "
            f"g {w['g']:.3f} ULP (poly alone {w['poly']:.3f}); silu x<0 / x>0: pair {w['pair-']:.3f} / "
            f"{w['pair+']:.3f}, no C0lo {w['nolo-']:.3f} / {w['nolo+']:.3f}, fma(t, P, C0hi) {w['fma-']:.3f} / "
            f"{w['fma+']:.3f} (sampled)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degree", type=int, default=7)
    ap.add_argument("--intervals", type=int, default=16)
    ap.add_argument("--name", default="kSiluC")
    ap.add_argument("--out", default=None, help="also write the tables to this file")
    ap.add_argument("--scan", action="store_true")
    ap.add_argument("--no-lo", action="store_true",
                    help="fit C1.. for C0 = C0hi alone (a kernel that drops C0lo); C0lo is not printed")
    a = ap.parse_args()
    if a.scan:
        for deg in range(5, 9):
            _, w, i0, _ = run(deg, a.intervals, verbose=False, no_lo=a.no_lo)
            print(summary(deg, w, i0), flush=True)
        return
    tab, w, i0, _ = run(a.degree, a.intervals, no_lo=a.no_lo)
    g = "C0hi + t P(t) (fitted without C0lo)" if a.no_lo else "C0hi + C0lo + t P(t)"
    lines = [f"// silu tables (tools/fit_silu.py): slot 0 sigmoid(x) = 1/2 + x P(x) (odd part), slots 1..{a.intervals - 1}"
             f" g(a) = a / (1 + e^a) = {g}, t = |x| - k",
             summary(a.degree, w, i0)]
    rows = [("0hi", 0)] + ([] if a.no_lo else [("0lo", 1)]) + [(str(i), i + 1) for i in range(1, a.degree + 1)]
    for suffix, col in rows:
        lines.append(cpp_array(f"{a.name}{suffix}", [tab[k][col] for k in range(a.intervals)]))
    emit(lines, a.out)


if __name__ == "__main__":
    main()
