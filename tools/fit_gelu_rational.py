#!/usr/bin/python3
"""Fits the two rationals of the table-free AVX2 gelu (erf form) kernel (kernels/ops_gelu.hpp, gelu_rational_s).

Regenerate (about 10 s):   /usr/bin/python3 tools/gen_tables.py gelu_rational
   runs this fit, which prints the C++ constants (tools/gen_tables.py writes them to
   kernels/tables/gelu_rational.inc, which kernels/ops_gelu.hpp includes) and, on stderr, the sampled error of
   the float evaluation of S on each piece. Needs numpy and mpmath (/usr/bin/python3 has them).

With a = |x|, Q(a) = Phi(-a) = erfc(a / sqrt 2) / 2 and S(a) = a Q(a) e^(a^2/2) (smooth, S(0) = 0,
S -> 1/sqrt(2 pi)): gelu(x) = -S(a) e^(-a^2/2) for x < 0 and x - S(a) e^(-a^2/2) for x >= 0 (the kernel
forms e = e^(-a^2/2) from the exact a^2 and keeps S as a float pair). |x| <= 1/2 takes the slot-0
polynomial of the table kernel instead (kGeluC*[0]).
  Piece A, 1/2 < a < 2:  S = KA + t U(t), t = a - 13/16 (exact for a in [1/2, 2]), KA = S(13/16) as a float
    pair, U = N(t)/D(t) of degree (2, 3), D(0) = 1. |t U| <= 0.32 S at both ends: U's rounding is damped.
  Piece B, 2 <= a < 15.5:  S = C + T(a), C = 1/sqrt(2 pi) as a float pair, T = N(a)/D(a) of degree (3, 4)
    (T ~ -C/a^2 at large a: |T| <= 0.19 S, falling as 1/a^2).
The kernel evaluates one rational: the coefficients of piece A or B are picked per lane by a blend (A's
numerator and denominator padded with zeros), v = t or a, w = t or 1, S = K + w q as hi + lo by an FMA
(khi - sh is exact; piece B: Fast2Sum, exact; piece A: the residual of K + t q rounded once, ~2^-48 S).
Fit: linearised minimax (Loeb's iteration with Lawson reweighting, least squares on 20000 Chebyshev nodes
and both ends, in double) of the error relative to S; reference S from mpmath (30 digits). Coefficients
rounded to float without refitting (the fit error, ~1e-9 relative, is far below the rounding of the
float evaluation, which the printed estimate measures). The exhaustive test of the kernel is the judge.
"""
import math
import sys

import mpmath
import numpy as np

mpmath.mp.dps = 30
F32 = np.float32
C0A = 0.8125
SPLIT = 2.0
HI = 15.5


def s_exact(a):
    a = mpmath.mpf(float(a))
    return float(a * mpmath.erfc(a / mpmath.sqrt(2)) / 2 * mpmath.exp(a * a / 2))


def s_double(a):
    # Sample check: glibc erfc and exp in double (~1e-15 relative; a*a/2 exact for a float a).
    return np.array([x * math.erfc(x / math.sqrt(2)) / 2 * math.exp(x * x / 2) for x in a.astype(float)])


def pair(v):
    hi = F32(v)
    return hi, F32(v - float(hi))


def fit(v, f, weight, n, m, iters=80):
    """N/D ~ f on the nodes v, D(0) = 1, minimising max |N/D - f| / weight."""
    D = np.ones_like(v)
    w = np.ones_like(v)
    best = None
    for _ in range(iters):
        cols = [v ** i for i in range(n + 1)] + [-f * v ** j for j in range(1, m + 1)]
        A = np.stack(cols, 1) / (weight * D)[:, None]
        b = f / (weight * D)
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)
        N = sum(c[i] * v ** i for i in range(n + 1))
        Dn = 1 + sum(c[n + j] * v ** j for j in range(1, m + 1))
        r = (N / Dn - f) / weight
        e = np.abs(r).max()
        if best is None or e < best[0]:
            best = (e, c.copy())
        D = Dn
        w = w * np.abs(r)
        w /= w.sum()
    return best


def nodes(lo, hi, n=20000):
    k = np.arange(n)
    x = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (k + 0.5) / n)
    return np.concatenate([x, [lo, hi]])


def fma32(a, b, c):
    return F32(np.float64(a) * np.float64(b) + np.float64(c))


def horner32(coef_high_first, v):
    r = np.full_like(v, F32(coef_high_first[0]))
    for c in coef_high_first[1:]:
        r = fma32(r, v, F32(c))
    return r


def main():
    ka = pair(s_exact(C0A))
    cc = pair(1 / math.sqrt(2 * math.pi))
    # Piece A: U(t) = (S(C0A + t) - KA) / t, error weight S / |t|.
    t = nodes(0.5 - C0A, SPLIT - C0A)
    t = t[np.abs(t) > 1e-6]
    sa = np.array([s_exact(C0A + x) for x in t])
    ua = (sa - (float(ka[0]) + float(ka[1]))) / t
    ea, ca = fit(t, ua, sa / np.abs(t), 2, 3)
    # Piece B: T(a) = S(a) - C, error weight S.
    a = nodes(SPLIT, HI)
    sb = np.array([s_exact(x) for x in a])
    eb, cb = fit(a, sb - (float(cc[0]) + float(cc[1])), sb, 3, 4)
    na = [F32(x) for x in ca[:3]] + [F32(0)]
    da = [F32(x) for x in ca[3:]] + [F32(0)]
    nb = [F32(x) for x in cb[:4]]
    db = [F32(x) for x in cb[4:]]
    sys.stderr.write("fit (exact arithmetic, relative to S): piece A %.2g, piece B %.2g\n" % (ea, eb))
    # Sampled float evaluation (what the kernel computes before multiplying by e), relative error x 2^24.
    for name, lo, hi in (("A", 0.5, SPLIT), ("B", SPLIT, HI)):
        x = np.unique(np.linspace(lo, hi, 2000001).astype(F32))
        x = x[(x > lo) & (x < hi)] if name == "A" else x[(x >= lo) & (x < hi)]
        if name == "A":
            v = (x - F32(C0A)).astype(F32)
            num, den, k = na, da, ka
        else:
            v = x
            num, den, k = nb, db, cc
        q = (horner32(num[::-1], v) / horner32((den[::-1] + [F32(1)]), v)).astype(F32)
        w = v if name == "A" else np.ones_like(v)
        s = np.float64(k[0]) + np.float64(k[1]) + np.float64(w) * np.float64(q)
        ref = s_double(x)
        rel = np.abs(s - ref) / ref * 2 ** 24
        sys.stderr.write("piece %s: float evaluation of S within %.3f x 2^-24 relative (max at a = %.7g, mean %.3f)\n"
                         % (name, rel.max(), x[rel.argmax()], rel.mean()))

    def hexf(v):
        v = float(v)
        if v == 0:
            return "0.0f"
        m, e = v.hex().split("p")
        return m.rstrip("0").rstrip(".") + "p" + e + "f"

    def arr(name, va, vb):
        print("alignas(8) static constexpr float %s[2] = {%s, %s};" % (name, hexf(va), hexf(vb)))
    print("// tools/fit_gelu_rational.py: {piece A (1/2 < a < 2), piece B (2 <= a < 15.5)}")
    arr("kGeluRatKhi", ka[0], cc[0])
    arr("kGeluRatKlo", ka[1], cc[1])
    for i in range(4):
        arr("kGeluRatN%d" % i, na[i], nb[i])
    for j in range(len(db)):
        arr("kGeluRatD%d" % (j + 1), da[j], db[j])


if __name__ == "__main__":
    main()
