#!/usr/bin/python3
# Fits the piecewise polynomial tables of the tanh kernels (kernels/ops_tanh.hpp).
#
# Regenerate:   /usr/bin/python3 tools/fit_tanh.py            (prints both C++ tables and error estimates)
#               /usr/bin/python3 tools/fit_tanh.py E S DEG C  (one table: E entries, index bits(a + C) >> S)
# Needs numpy (the python3 first on PATH may lack it; /usr/bin/python3 has it). The kernels include
# kernels/tables/tanh.inc, which /usr/bin/python3 tools/gen_tables.py tanh writes from this output.
#
# Scheme (kernels/ops_tanh.hpp, tanh_table): a = min(|x|, CLAMP); raw = bits(a + C) >> S, the
# table entry is raw mod E (E = 8, 16 or 32, one register permute per coefficient). The interval of
# an entry is [L - C, L' - C) with L = raw << S as a float and L' the next one, so intervals double in
# width per binade of a + C (C = 0.75, S = 20: 1/16 wide from 0, 1 wide past 7.25). The kernel
# evaluates p(t), t = a - (L - C) (exact), as c0 + t (c1 + t (c2 + ...)), Horner with FMA.
# The interval at 0 has c0 = 0, c1 = 1 exactly (tiny and subnormal x give x, +-0 stays +-0); the
# other intervals have c0 = tanh(L - C) rounded to float, except the last (up to CLAMP), fitted
# freely with a 64x weight so that p(CLAMP) = 1 exactly and p <= 1 on it (both asserted here, on
# every float of that interval).
# Fit: minimax of the error in float ULPs of tanh (Lawson's iteratively reweighted least squares on
# a dense grid), then the coefficients are rounded to float one at a time, lowest degree first, the
# higher ones re-fitted after each rounding. The error estimate evaluates the float Horner scheme
# (FMA emulated in double) on the grid; the exhaustive test (tests/test_exhaustive.cpp) is the judge.
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fitlib import hexf, horner32, lawson_lstsq  # noqa: E402

# tanh(x) rounds to 1 in float for x >= 9.0109. The last polynomial must give exactly 1 at the clamp
# (which serves |x| >= 9.5 and +-inf): the clamp sits where 1 - tanh is well below half an ULP of 1
# (2^-25), 1 - tanh(9.5) = 1.1e-8 = 0.19 ULP, so the fit's small error still rounds to 1 there.
CLAMP = np.float32(9.5)


def f32(v):
    return np.float32(v)


def ulp(y):
    """float ULP of |y| (double array), 2^-149 below FLT_MIN."""
    e = np.floor(np.log2(np.maximum(np.abs(y), 2.0 ** -126)))
    return 2.0 ** (e - 23)


def grid(lo, hi, m=6000):
    """Chebyshev-like clustering at both ends plus uniform points on [lo, hi]."""
    u = np.concatenate([np.cos(np.linspace(0, np.pi, m)), np.linspace(-1, 1, m)])
    t = 0.5 * (lo + hi) + 0.5 * (hi - lo) * u
    return np.unique(t)


def fit_interval(lo, hi, origin, deg, last):
    """p(t) ~ tanh(origin + t) for origin + t in [lo, hi]."""
    pad = 2.0 ** -20 * max(hi, 1.0)  # a + C rounds: a may land a few ULPs outside its interval
    t = grid(max(lo - pad, 0.0) - origin, hi + pad - origin)
    if origin == 0.0:
        t = t[t > 1e-6]
        t = np.concatenate([t, np.geomspace(1e-6, 1e-2, 2000)])
    a = origin + t
    y = np.tanh(a)
    w = 1.0 / ulp(y)
    if last:  # 1 - tanh is tiny here: a far smaller error keeps p(CLAMP) = 1 and p <= 1
        w *= 64.0
    coef = [None] * (deg + 1)
    if origin == 0.0:
        coef[0], coef[1] = 0.0, 1.0
    elif not last:
        coef[0] = float(f32(np.tanh(origin)))
    # round one coefficient at a time, lowest first, re-fitting the free higher ones
    for j in range(deg + 1):
        if coef[j] is not None:
            continue
        known = sum(coef[i] * t ** i for i in range(j) if coef[i] is not None)
        free = list(range(j, deg + 1))
        A = np.stack([t ** i for i in free], axis=1)
        c = lawson_lstsq(A, y - known, w)
        coef[j] = float(f32(c[0]))
    return coef, t


def eval_f32(coef, t):
    """Horner with FMA in float: q = fma(q, t, c) with one rounding (emulated in double), t rounded to
    float first; the result in double."""
    return horner32(coef, t.astype(np.float32)).astype(np.float64)


def bits(v):
    return int(np.array([v], dtype=np.float32).view(np.int32)[0])


def from_bits(b):
    return float(np.array([b], dtype=np.int32).view(np.float32)[0])


def table(entries, shift, deg, C):
    """Intervals from the float bits of a + C: raw = bits(a + C) >> shift, slot = raw % entries."""
    r0, r1 = bits(C) >> shift, bits(CLAMP + C) >> shift
    assert r1 - r0 < entries
    coefs, worst, per = [[0.0] * (deg + 1) for _ in range(entries)], 0.0, []
    for raw in range(r0, r1 + 1):
        L = from_bits(raw << shift)
        origin = L - C  # exact
        lo, hi = origin, min(from_bits((raw + 1) << shift) - C, float(CLAMP))
        last = raw == r1
        coef, t = fit_interval(lo, hi, origin, deg, last)
        a = (origin + t).astype(np.float32).astype(np.float64)
        t = a - origin  # t as the kernel computes it (exact)
        y = np.tanh(a)
        e = np.abs(eval_f32(coef, t) - y) / ulp(y)
        worst = max(worst, e.max())
        per.append(f"[{lo:g},{hi:g}):{e.max():.2f}")
        coefs[raw % entries] = coef
        if last:  # the clamp point must give exactly 1
            top = eval_f32(coef, np.array([float(CLAMP) - origin]))[0]
            assert top == 1.0, f"p(clamp) = {top!r}, not 1"
            # every float a of the last interval: p <= 1, and from where on p(a) = 1
            a = np.arange(bits(lo), bits(CLAMP) + 1, dtype=np.int32).view(np.float32).astype(np.float64)
            p = eval_f32(coef, a - origin)
            assert p.max() <= 1.0
            below = np.nonzero(p < 1.0)[0]
            one_from = a[below[-1] + 1] if len(below) else a[0]
            per.append(f"p = 1 for every float a >= {one_from!r}")
    return coefs, worst, per


def cpp(name, coefs):
    deg = len(coefs[0]) - 1
    out = [f"alignas(64) static constexpr float {name}[{deg + 1}][{len(coefs)}] = {{"]
    for j in range(deg + 1):
        vals = [hexf(c[j], signed_zero=True) for c in coefs]
        out.append("    {" + ", ".join(vals) + "},")
    out.append("};")
    return "\n".join(out)


def main():
    if len(sys.argv) == 5:
        configs = [("tanh_c", int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))]
    else:
        # AVX-512: 32 entries (vpermi2ps), degree 4. (AVX2 had 8 entries of degree 7 until 2026-12-03,
        # `fit_tanh.py 8 22 7 0.75`; its accurate tier is table-free since: kernels/ops_tanh.hpp, tanh_direct.)
        configs = [("kTanh32", 32, 20, 4, 0.75)]
    for name, entries, shift, deg, C in configs:
        coefs, worst, per = table(entries, shift, deg, C)
        print(f"// {entries} entries, shift {shift}, C = {C}, degree {deg}: estimated max error {worst:.3f} ULP")
        print("// " + " ".join(per))
        print(cpp(name, coefs))


if __name__ == "__main__":
    main()
