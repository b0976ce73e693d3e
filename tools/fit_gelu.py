#!/usr/bin/python3
"""Fits the piecewise polynomial of the accurate GELU (erf form) kernel (kGeluC0hi, kGeluC0lo, kGeluC1..C7).

Regenerate (about 10 s):   /usr/bin/python3 tools/fit_gelu.py [--out /tmp/tables.txt] > /tmp/tables.txt
   (the kernels include kernels/tables/gelu.inc, gelu_r.inc: /usr/bin/python3 tools/gen_tables.py writes them). Needs numpy and mpmath (the system
   python /usr/bin/python3 has them; the first python3 on PATH may not). Per-slot errors go to stderr.
   Options: --degree D (default 7), --intervals N (default 16), --scan (print only the sampled errors of
   degrees 5 .. 8, no tables), --c0-free (slots >= 1: fit C0 too instead of fixing it at S(k); it is still
   stored as hi + lo), --rel (slots >= 1: minimax of the relative error of S instead of its float ULPs),
   --out FILE (also write the tables there). Old designs: --mode R (R(a) tables kGeluRC*, the old
   default) and --mode aR / --aR (S(a) with a float C0, tables kGeluSC*); they fit all slots, slot 0 on
   a in [0, 1/2], as described at the end.

The design (--mode split, the default). a = |x|, slot k = round(a) from the low mantissa bits of
a + 1.5 * 2^23 (the interval structure of the sigmoid kernel, tools/fit_sigmoid.py), N slots of width 1
centred at k = 0 .. N-1.
  Slot 0 (|x| <= 1/2): t = x, signed, and y = gelu(x) = x Phi(x) is computed as y = fl(x * p(x)),
    p(x) = C0 + x (C1 + x (C2 + .. x C7)) in float Horner with FMAs, p ~ Phi(x) = erfc(-x / sqrt2) / 2 on
    [-1/2, 1/2]. Phi - 1/2 is odd: C0 = 1/2 exactly, C2 = C4 = C6 = 0, the odd ones fitted (minimax in
    ULPs of y: weight ulp(x Phi(x)) / |x|), rounded to float from C1 up with refits. Table entry [0];
    C0hi[0] = 1/2, C0lo[0] = 0.
  Slots k >= 1: t = a - k (exact), S(a) = a R(a) with R(a) = Q(a) e^(a^2/2), Q(a) = Phi(-a) =
    erfc(a / sqrt2) / 2 (R: the Mills ratio over sqrt(2 pi), entire, smooth; S -> 1/sqrt(2 pi)).
    P = C1 + t (C2 + .. t C7) in float Horner with FMAs (degree 6), then S = C0hi + C0lo + t P with t P
    an exact product pair and C0hi added by Fast2Sum: S is kept as a double-float, good to ~2^-40 apart
    from P's own error. C0hi = float(S(k)), C0lo = float(S(k) - C0hi) (S(k) from mpmath); C1 .. C7 by
    minimax in ULPs of the float S with C0 fixed at C0hi + C0lo, rounded to float from C1 up, refitting
    the higher ones after each rounding. The kernel returns gelu(x) = -(S e) for x < 0 (the double-float
    product rounded once) and x - fl(S e) for x >= 0, e = e^(-a^2/2) from its exp (hi + lo, ~0.35 ULP).
Fit: Lawson's algorithm (iteratively reweighted least squares on 4000 Chebyshev nodes of the interval and
its ends, in double). Reference: per point in double from math.erfc and math.exp (glibc, ~1 ULP of double;
a*a/2 is exact for a float a; the rounding of a/sqrt2 costs < 3e-14 relative at a = 15.5): < 1e-5 float ULP.
Printed errors (samples: 200001 floats per slot, both interval ends included; slot 0 also 40001
log-spaced |x| down to 2^-149 of each sign and the 100000 floats nearest each of +-1/2):
  slot 0: y = fl(x p(x)) (float Horner emulated, then the product rounded) vs x Phi(x), in ULPs of y;
  slots >= 1: S in the kernel's evaluation (P in float, the rest exact) and the polynomial alone (float
  coefficients, double evaluation), in ULPs of the float S; estimates of gelu for x < 0, y = fl(S e) with
  the exp's error set to +-0.35 ULP of e (both signs tried), over the a where e and y are normal floats
  (a <= 13.2), and for x >= 0, y = fl(x - fl(S e)). The exhaustive test of the kernel is the judge.

Old designs (--mode R / aR): Q(a) = e^(-a^2/2) R(a) with R (or S = a R) one float polynomial
p_k(t) = sum_i C_i[k] t^i per slot (slot 0: a in [0, 1/2]), coefficients rounded from the constant term
up, the constant term chosen among the 7 floats nearest R(k) (R(0) = 1/2, S(0) = 0) by the max error of
the float evaluation; gelu = -fl(a R) e for x < 0, x - fl(a R) e for x >= 0.
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitlib import (best_c0, c0_candidates, cheb_nodes, cpp_array, emit, fit_rounded,  # noqa: E402
                    float_pair, horner32, interval_samples, lawson, slot0_samples, t_range, ulp_err, ulps)

EXP_ERR = 0.35  # ULPs of e = e^(-a^2/2), the kernel's exp_split (hi + lo)


def q_tail(a):
    """Q(a) = Phi(-a) = erfc(a / sqrt2) / 2, in double, per point."""
    return np.array([0.5 * math.erfc(v / math.sqrt(2.0)) for v in np.asarray(a, dtype=np.float64)])


def r_fun(a):
    """R(a) = Q(a) e^(a^2/2), in double, per point."""
    return np.array([0.5 * math.erfc(v / math.sqrt(2.0)) * math.exp(0.5 * v * v)
                     for v in np.asarray(a, dtype=np.float64)])


def target(a, aR):
    return a * r_fun(a) if aR else r_fun(a)


_grids = {}


def grid(centre, aR, n=4000):
    """Chebyshev nodes of the interval (and its ends) in t, and the target there (cached)."""
    key = (centre, aR)
    if key not in _grids:
        t = cheb_nodes(*t_range(centre), n)
        _grids[key] = (t, target(t + centre, aR))
    return _grids[key]


def fit_interval(centre, deg, c0, aR):
    t, f = grid(centre, aR)
    if aR and centre == 0:
        t, f = t[t > 0], f[t > 0]  # S(0) = 0 = c0 exactly; the relative weight is 1/0 there
    return fit_rounded(t, f, deg, {0: c0})


_samples = {}


def samples(centre, n=200001):
    """The float a sampled on the interval, t = a - k (exact), R(a) and Q(a) (cached)."""
    if centre not in _samples:
        a, ts = interval_samples(centre, n)
        a64 = a.astype(np.float64)
        _samples[centre] = (a, ts, r_fun(a64), q_tail(a64))
    return _samples[centre]


def max_ulp(coef, centre, aR):
    """Max ULP error of the float evaluation of R (or S = a R) over the interval's samples."""
    a, ts, R, _ = samples(centre)
    ref = a.astype(np.float64) * R if aR else R
    return float(ulps(horner32(coef, ts).astype(np.float64), ref).max())


def approx_ulp(coef, centre, aR):
    """The polynomial with these (float) coefficients evaluated in double, max ULP error."""
    a, ts, R, _ = samples(centre)
    ref = a.astype(np.float64) * R if aR else R
    t = ts.astype(np.float64)
    return float(ulps(sum(c * t**i for i, c in enumerate(coef)), ref).max())


def gelu_ulp(coef, centre, aR):
    """Estimated max ULP errors of gelu(x) (x < 0, x >= 0) with this slot's polynomial."""
    a, ts, R, Q = samples(centre)
    a64 = a.astype(np.float64)
    p = horner32(coef, ts).astype(np.float64)
    aRf = p if aR else (a64 * p).astype(np.float32).astype(np.float64)  # fl(a R), exact product rounded
    e = np.exp(-0.5 * a64 * a64)
    ue = np.spacing(e.astype(np.float32)).astype(np.float64)
    yref = a64 * Q
    neg = pos = 0.0
    normal = (e >= 2.0**-126) & (yref >= 2.0**-126)
    for s in (1.0, -1.0):
        ee = e + s * EXP_ERR * ue
        yn = (aRf * ee).astype(np.float32).astype(np.float64)  # the product rounded once
        if normal.any():
            neg = max(neg, float(ulps(yn[normal], yref[normal]).max()))
        yp = (a64 - aRf * ee).astype(np.float32).astype(np.float64)
        pos = max(pos, float(ulps(yp, a64 - yref).max()))
    return neg, pos


def best_fit(centre, deg, aR):
    """Tries c0 = the float nearest R(centre) and its 3 neighbours each side; keeps the best."""
    if centre == 0:
        cands = [np.float32(0.0 if aR else 0.5)]  # R(0) = 1/2, S(0) = 0 exactly
    else:
        cands = c0_candidates(target(np.array([centre]), aR)[0])
    return best_c0(cands, lambda c0: fit_interval(centre, deg, c0, aR), lambda coef: max_ulp(coef, centre, aR))


# ---------------------------------------------------------------------------------------------------
# The current design (--mode split, the default): slot 0 = Phi(x) polynomial in the signed x, slots >= 1
# = S(a) = a R(a) with the constant term as a double-float (C0hi + C0lo).
# ---------------------------------------------------------------------------------------------------


def phi_fun(x):
    """Phi(x) = erfc(-x / sqrt2) / 2, in double, per point."""
    return np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in np.asarray(x, dtype=np.float64)])


def s_exact(k):
    """S(k) = k R(k) to ~40 digits (mpmath), as a float."""
    import mpmath
    mpmath.mp.dps = 40
    k = mpmath.mpf(k)
    return k * mpmath.erfc(k / mpmath.sqrt(2)) / 2 * mpmath.exp(k * k / 2)


def c0_split(k):
    """(C0hi, C0lo): C0hi = float(S(k)), C0lo = float(S(k) - C0hi); (1/2, 0) for slot 0."""
    if k == 0:
        return 0.5, 0.0
    return float_pair(s_exact(k))


def fit_phi0(deg, n=4000):
    """Slot 0: p(x) ~ Phi(x) on [-1/2, 1/2], C0 = 1/2 and the even coefficients 0 (Phi - 1/2 is odd),
    minimax in ULPs of y = x p(x) (weight ulp(x Phi(x)) / |x|), odd coefficients rounded from C1 up."""
    x = cheb_nodes(-0.5, 0.5, n)  # no node at 0
    f = phi_fun(x)
    u = np.spacing(np.abs(x * f).astype(np.float32)).astype(np.float64) / np.abs(x)
    fixed = {0: 0.5}
    fixed.update({i: 0.0 for i in range(2, deg + 1, 2)})
    return fit_rounded(x, f, deg, fixed, u=u)


def phi0_ulp(coef, x):
    """ULP errors of y = fl(x * p(x)), p in float Horner with FMAs; reference x Phi(x)."""
    p = horner32(coef, x).astype(np.float64)
    y = (x.astype(np.float64) * p).astype(np.float32).astype(np.float64)
    return ulp_err(y, x.astype(np.float64) * phi_fun(x))


def fit_split(k, deg, c0_free=False, rel=False):
    """Slot k >= 1: S(k + t) = C0 + t P(t), C0 = C0hi + C0lo = S(k) fixed, C1..C<deg> by Lawson in ULPs of
    the float S, rounded to float from C1 up with refits. c0_free: C0 is fitted too (then split into
    hi + lo); rel: the fit weights the relative error of S instead of its float ULPs."""
    t, f = grid(float(k), True)
    u = np.abs(f) * 2.0**-24 if rel else None
    hi, lo = float_pair(lawson(t, f, deg, {}, u=u)[0]) if c0_free else c0_split(k)
    return [hi, lo] + fit_rounded(t, f, deg, {0: hi + lo}, u=u)[1:]


def split_eval(coef, ts):
    """S = C0hi + C0lo + t P, P = C1 + t (C2 + ..) in float Horner with FMAs, t P and the sum exact
    (in double: the kernel's product pair, Fast2Sum and float low part are good to ~2^-40)."""
    P = horner32(coef[2:], ts).astype(np.float64)
    return (coef[0] + coef[1]) + ts.astype(np.float64) * P


def split_ulp(coef, k):
    """(max ULP error of S in the kernel's evaluation, of the polynomial in double, gelu x < 0, gelu x >= 0)."""
    a, ts, R, Q = samples(float(k))
    a64 = a.astype(np.float64)
    ref = a64 * R
    S = split_eval(coef, ts)
    es = float(ulps(S, ref).max())
    t = ts.astype(np.float64)
    ap = float(ulps((coef[0] + coef[1]) + sum(c * t**(i + 1) for i, c in enumerate(coef[2:])), ref).max())
    e = np.exp(-0.5 * a64 * a64)
    ue = np.spacing(e.astype(np.float32)).astype(np.float64)
    yref = a64 * Q
    normal = (e >= 2.0**-126) & (yref >= 2.0**-126)
    neg = pos = 0.0
    for sg in (1.0, -1.0):
        ee = e + sg * EXP_ERR * ue
        yn = (S * ee).astype(np.float32).astype(np.float64)  # S e (double-float products) rounded once
        if normal.any():
            neg = max(neg, float(ulps(yn[normal], yref[normal]).max()))
        yp = (a64 - yn).astype(np.float32).astype(np.float64)  # x - fl(S e): two roundings
        pos = max(pos, float(ulps(yp, a64 - yref).max()))
    return es, ap, neg, pos


def run_split(deg, intervals, verbose=True, c0_free=False, rel=False):
    """Tables [C0hi, C0lo, C1 .. C<deg>] per slot and the worst errors."""
    tab = []
    c = fit_phi0(deg)
    x = slot0_samples()
    err = phi0_ulp(c, x)
    ax = np.abs(x)
    info0 = {"all": float(err.max()),
             "small": float(err[ax < 2.0**-10].max()),
             "near-1/2": float(err[x <= -0.45].max()),
             "x<0": float(err[x < 0].max()), "x>0": float(err[x > 0].max())}
    tab.append([0.5, 0.0] + c[1:])
    if verbose:
        print(f"// slot  0, x in [-0.5, 0.5]: y = x p(x), p ~ Phi: max {info0['all']:.3f} ULP (x < 0: "
              f"{info0['x<0']:.3f}, x > 0: {info0['x>0']:.3f}; |x| < 2^-10: {info0['small']:.3f}; "
              f"x in [-0.5, -0.45]: {info0['near-1/2']:.3f}), {len(x)} samples", file=sys.stderr)
    worst = [0.0] * 4
    for k in range(1, intervals):
        coef = fit_split(k, deg, c0_free, rel)
        r = split_ulp(coef, k)
        tab.append(coef)
        worst = [max(w, v) for w, v in zip(worst, r)]
        if verbose:
            print(f"// slot {k:2d}, |x| in [{k - 0.5:4.1f}, {k + 0.5:4.1f}]: S: evaluation {r[0]:.3f} ULP, "
                  f"polynomial alone {r[1]:.3f} ULP; gelu estimate {r[2]:.3f} ULP (x < 0), {r[3]:.3f} ULP "
                  f"(x >= 0)", file=sys.stderr)
    return tab, worst, info0


def run(deg, intervals, aR, verbose=True):
    tab = []
    worst = [0.0] * 4
    for k in range(intervals):
        coef, e = best_fit(float(k), deg, aR)
        ap = approx_ulp(coef, float(k), aR)
        g = gelu_ulp(coef, float(k), aR)
        tab.append(coef)
        worst = [max(w, v) for w, v in zip(worst, (e, ap) + g)]
        if verbose:
            lo, hi = t_range(k)
            print(f"// slot {k:2d}, |x| in [{k + lo:4.1f}, {k + hi:4.1f}]: {'aR' if aR else 'R'}: float evaluation "
                  f"{e:.3f} ULP, polynomial alone {ap:.3f} ULP; gelu estimate {g[0]:.3f} ULP (x < 0), "
                  f"{g[1]:.3f} ULP (x >= 0)", file=sys.stderr)
    return tab, worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degree", type=int, default=7)
    ap.add_argument("--intervals", type=int, default=16)
    ap.add_argument("--mode", choices=("split", "R", "aR"), default="split")
    ap.add_argument("--aR", action="store_true", help="same as --mode aR (old design)")
    ap.add_argument("--name", default=None)
    ap.add_argument("--out", default=None, help="also write the tables to this file")
    ap.add_argument("--scan", action="store_true")
    ap.add_argument("--c0-free", action="store_true", help="split mode: fit C0 too (not fixed at S(k))")
    ap.add_argument("--rel", action="store_true", help="split mode: minimax relative error of S, not ULPs")
    a = ap.parse_args()
    mode = "aR" if a.aR else a.mode
    lines = []
    if mode == "split":
        name = a.name or "kGeluC"
        if a.scan:
            for deg in range(5, 9):
                _, w, i0 = run_split(deg, a.intervals, False, a.c0_free, a.rel)
                print(f"// degree {deg}: slot 0 {i0['all']:.3f} ULP; S {w[0]:.3f} ULP (polynomial alone "
                      f"{w[1]:.3f}); gelu estimate {w[2]:.3f} ULP (x < 0), {w[3]:.3f} ULP (x >= 0)", flush=True)
            return
        tab, w, i0 = run_split(a.degree, a.intervals, True, a.c0_free, a.rel)
        lines.append(f"// slot 0 (|x| <= 1/2): y = x p(x), p ~ Phi(x) (odd part, C0 = 1/2), float Horner + product: "
                     f"max {i0['all']:.3f} ULP (|x| < 2^-10: {i0['small']:.3f}, x in [-0.5, -0.45]: "
                     f"{i0['near-1/2']:.3f}) (sampled)")
        fitc = ("C0 fitted" if a.c0_free else "C0 = S(k)") + (", relative minimax" if a.rel else ", minimax in ULPs")
        lines.append(f"// slots 1..{a.intervals - 1}: S(a) = a R(a) = C0hi + C0lo + t P(t), degree {a.degree} ({fitc}): max "
                     f"error of S {w[0]:.3f} ULP (the polynomial alone {w[1]:.3f} ULP); gelu estimate (exp error "
                     f"{EXP_ERR} ULP) {w[2]:.3f} ULP for x < 0 (normal results), {w[3]:.3f} ULP for x >= 0 (sampled)")
        rows = [("0hi", 0), ("0lo", 1)] + [(str(i), i + 1) for i in range(1, a.degree + 1)]
        for suffix, col in rows:
            lines.append(cpp_array(f"{name}{suffix}", [tab[k][col] for k in range(a.intervals)]))
    else:
        aR = mode == "aR"
        what = "S(a) = a R(a)" if aR else "R(a) = Q(a) e^(a^2/2)"
        name = a.name or ("kGeluSC" if aR else "kGeluRC")
        if a.scan:
            for deg in range(5, 9):
                _, w = run(deg, a.intervals, aR, verbose=False)
                print(f"// {what}, degree {deg}: float evaluation {w[0]:.3f} ULP, polynomial alone {w[1]:.3f} ULP; "
                      f"gelu estimate {w[2]:.3f} ULP (x < 0), {w[3]:.3f} ULP (x >= 0)", flush=True)
            return
        tab, w = run(a.degree, a.intervals, aR)
        lines.append(f"// {what} for a < {a.intervals - 0.5}: {a.intervals} intervals, degree {a.degree}; max error "
                     f"of the float evaluation {w[0]:.3f} ULP (the polynomial alone {w[1]:.3f} ULP); gelu estimate "
                     f"(exp error {EXP_ERR} ULP) {w[2]:.3f} ULP for x < 0 (normal results), {w[3]:.3f} ULP for "
                     f"x >= 0 (sampled)")
        for i in range(a.degree + 1):
            lines.append(cpp_array(f"{name}{i}", [tab[k][i] for k in range(a.intervals)]))
    emit(lines, a.out)


if __name__ == "__main__":
    main()
