#!/usr/bin/python3
"""Fits kGeluR8 (kernels/ops_gelu.hpp): R(a) = Q(a) e^(a^2/2), Q(a) = erfc(a / sqrt2) / 2, for the AVX2
gelu_backward, on 8 slots of width 2 (k = round(a/2), t = a - 2k; slot 0 on [0, 1], slot 7 on [13, 15]),
one 8-entry register table (one vpermps) per coefficient.

Regenerate:  /usr/bin/python3 tools/fit_gelu_r8.py [DEGREE]   (default 8; prints per-slot errors and the
             C++ table; tools/gen_tables.py gelu_r8 writes it to kernels/tables/gelu_r8.inc). Needs numpy (/usr/bin/python3 has it).
Fit: Lawson's algorithm (iteratively reweighted least squares) for the minimax relative error of R on
3000 Chebyshev nodes per slot plus its ends, in double (reference math.erfc, math.exp); the coefficients
are rounded to float once (no refits). Printed per slot: the fit's relative error and that of the float
Horner scheme with the float coefficients (FMA emulated in double), in units of 2^-24. The kernel's
contract (2^-21 |dy| T(x) + 2^-126 |dy|) is checked by tests/test_backward.cpp
(DerivativeErrorAgainstTermScale) and the differential fuzzer.
"""
import math
import sys

import numpy as np


def R(a):
    return 0.5 * math.erfc(a / math.sqrt(2)) * math.exp(a * a / 2)


def hx(v):
    v = float(np.float32(v))
    if v == 0:
        return "0.0f"
    m, e = v.hex().split("p")
    m = m.rstrip("0").rstrip(".")
    return f"{m}p{int(e)}f"


def main():
    deg = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    tabs, worst = [], 0.0
    for k in range(8):
        lo, hi = (0.0, 1.0) if k == 0 else (2 * k - 1.0, 2 * k + 1.0)
        n = 3000
        nodes = (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (np.arange(n) + 0.5) / n)
        nodes = np.concatenate([nodes, [lo, hi]])
        t = nodes - 2 * k
        y = np.array([R(a) for a in nodes])
        w = 1 / y
        V = np.vander(t, deg + 1, increasing=True)
        wl = np.ones_like(t)
        for _ in range(60):
            c, *_ = np.linalg.lstsq(V * (w * np.sqrt(wl))[:, None], y * w * np.sqrt(wl), rcond=None)
            e = np.abs(V @ c - y) * w
            wl = wl * e
            wl /= wl.sum()
        cf = np.float32(c)
        tf = np.float32(t)
        p = np.full_like(tf, cf[-1])
        for i in range(deg - 1, -1, -1):
            p = np.float32(np.float64(p) * np.float64(tf) + np.float64(cf[i]))
        err = float(np.max(np.abs(p.astype(np.float64) - y) / y)) / 2**-24
        worst = max(worst, err)
        print(f"// slot {k} [{lo:g}, {hi:g}]: fit {float(np.max(e)) / 2**-24:.3f}, float Horner {err:.3f} x 2^-24 relative",
              file=sys.stderr)
        tabs.append(cf)
    print(f"// worst {worst:.3f} x 2^-24", file=sys.stderr)
    print("alignas(32) static constexpr float kGeluR8[%d][8] = {" % (deg + 1))
    for i in range(deg, -1, -1):
        print("    {" + ", ".join(hx(tabs[k][i]) for k in range(8)) + "},")
    print("};")


if __name__ == "__main__":
    main()
