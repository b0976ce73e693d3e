"""Helpers shared by the table-fitting scripts tools/fit_*.py (imported as `fitlib`; each script puts its
own directory on sys.path, so `/usr/bin/python3 tools/fit_X.py` works from any working directory).
Needs numpy; importing it has no side effects.

Fitting (minimax by Lawson's algorithm: iteratively reweighted least squares, in double):
  lawson_lstsq(A, b, w0)   min over c of max |w0 (A c - b)| (w0 = None: max |A c - b|), any basis.
                           fit_tanh.py directly; the others through lawson().
  lawson(t, f, deg, fixed, u=None)
                           minimax fit of f(t) by sum_i c_i t^i with the c_i of `fixed` given, the error
                           measured in ULPs of the float f (or in the units u). fit_sigmoid.py,
                           fit_softplus.py, fit_gelu.py, fit_silu.py.
  fit_rounded(t, f, deg, fixed, u=None)
                           the free coefficients rounded to float one at a time, lowest index first,
                           the higher ones refitted (lawson) after each rounding; returns all deg + 1.
                           fit_sigmoid.py (slots and fast tier), fit_softplus.py, fit_gelu.py, fit_silu.py.
  c0_candidates(v)         the float nearest v and its 3 neighbours each side (the constant terms tried).
                           fit_sigmoid.py, fit_softplus.py, fit_gelu.py (--mode R / aR).
  best_c0(cands, fit, measure)
                           fits once per candidate constant term, keeps the (coef, error) of the least
                           max error. fit_sigmoid.py, fit_softplus.py, fit_gelu.py (--mode R / aR).
  float_pair(v)            (hi, lo): hi = float(v), lo = float(v - hi); v a double or an mpmath number.
                           fit_gelu.py, fit_silu.py (the double-float constant term C0hi + C0lo).

Grids and samples (slots of width 1 centred at the integers k, slot 0 being [0, 1/2]):
  t_range(centre)          (lo, hi) of t = a - k in a slot: (0, 1/2) for k = 0, else (-1/2, 1/2).
                           fit_sigmoid.py, fit_softplus.py, fit_gelu.py.
  cheb_nodes(lo, hi, n)    n Chebyshev nodes of [lo, hi] and both ends (the fit grid). fit_sigmoid.py,
                           fit_softplus.py, fit_gelu.py, fit_silu.py.
  interval_samples(centre) (a, t): the distinct floats a of 200001 evenly spaced points of the slot and
                           t = a - k (exact: Sterbenz for k >= 1, t = a for k = 0). fit_sigmoid.py,
                           fit_softplus.py, fit_gelu.py, fit_silu.py.
  slot0_samples()          float x in [-1/2, 1/2] without 0: uniform, log-spaced |x| down to 2^-149 of
                           each sign, and the 100000 floats nearest each of +-1/2. fit_gelu.py, fit_silu.py.

Float evaluation and error measures:
  horner32(coef, t)        float Horner with FMAs, p = coef[0] + t (coef[1] + ..), emulated as the double
                           a*b + c (exact for floats) rounded to float. fit_sigmoid.py, fit_softplus.py,
                           fit_gelu.py, fit_tanh.py (fit_silu.py has its own correctly rounded FMA).
  ulp_err(v, ref)          per-point |v - ref| in ULPs of float(|ref|). fit_sigmoid.py, fit_softplus.py,
                           fit_gelu.py, fit_silu.py.
  ulps(v, ref)             the same over the points where ref != 0. fit_gelu.py, fit_silu.py.

Output:
  hexf(v)                  C++ hex float literal of float(v), trailing zero digits removed ("0.0f" for
                           zero; signed_zero=True: "-0.0f" for -0). All five scripts (fit_tanh.py with
                           signed_zero=True).
  cpp_array(name, values)  `alignas(64) static constexpr float name[N] = {...};`. fit_sigmoid.py,
                           fit_softplus.py, fit_gelu.py, fit_silu.py.
  emit(lines, out)         the lines to stdout, and to the file `out` too if given. fit_gelu.py, fit_silu.py.
"""
import sys

import numpy as np

# ---------------------------------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------------------------------


def lawson_lstsq(A, b, w0=None, iters=60):
    """Minimize max |w0 (A c - b)| (max |A c - b| for w0 = None) by Lawson's algorithm; returns c."""
    w = np.ones(len(b)) / len(b)
    c = None
    for _ in range(iters):
        sw = np.sqrt(w) if w0 is None else np.sqrt(w) * w0
        c, *_ = np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)
        err = np.abs(A @ c - b) if w0 is None else np.abs(w0 * (A @ c - b))
        w = w * err
        s = w.sum()
        if s == 0:
            break
        w /= s
    return c


def lawson(t, f, deg, fixed, iters=60, u=None):
    """Minimax (in ULPs of the float f, or in units u) fit of f(t) by sum_i c_i t^i, c_i given for i in
    `fixed`; returns {i: c_i} for i = 0 .. deg."""
    cols = [i for i in range(deg + 1) if i not in fixed]
    g = f.copy()
    for i, c in fixed.items():
        g = g - c * t**i
    if u is None:
        u = np.spacing(f.astype(np.float32)).astype(np.float64)  # error in ULPs of the float result
    V = np.stack([t**i for i in cols], axis=1) / u[:, None]
    c = lawson_lstsq(V, g / u, iters=iters)
    out = dict(fixed)
    for i, ci in zip(cols, c):
        out[i] = ci
    return out


def fit_rounded(t, f, deg, fixed, u=None):
    """[c_0 .. c_deg]: the c_i of `fixed` as given, the others rounded to float one at a time from the
    lowest index up, the higher ones refitted (lawson, ULPs of f or units u) after each rounding."""
    fixed = dict(fixed)
    for i in [i for i in range(deg + 1) if i not in fixed]:
        c = lawson(t, f, deg, fixed, u=u)
        fixed[i] = float(np.float32(c[i]))
    return [fixed[i] for i in range(deg + 1)]


def c0_candidates(v, each_side=3):
    """The float nearest v, then its `each_side` neighbours above, then those below (np.float32)."""
    near = np.float32(v)
    cands = [near]
    for d in (np.inf, -np.inf):
        x = near
        for _ in range(each_side):
            x = np.nextafter(x, np.float32(d))
            cands.append(x)
    return cands


def best_c0(cands, fit, measure):
    """(coef, err) with coef = fit(float(c0)) over c0 in cands and err = measure(coef) (a number or a
    tuple of them), the first of the least max(err)."""
    best = None
    for c0 in cands:
        coef = fit(float(c0))
        e = measure(coef)
        if best is None or np.max(e) < np.max(best[1]):
            best = (coef, e)
    return best


def float_pair(v):
    """(hi, lo) = (float(v), float(v - hi)) as Python floats; v a double or an mpmath number."""
    hi = float(np.float32(float(v)))
    lo = float(np.float32(float(v - hi)))
    return hi, lo


# ---------------------------------------------------------------------------------------------------
# Grids and samples
# ---------------------------------------------------------------------------------------------------


def t_range(centre):
    """(lo, hi) of t = a - centre in the slot of the integer centre: slot 0 is a in [0, 1/2]."""
    return (0.0 if centre == 0 else -0.5), 0.5


def cheb_nodes(lo, hi, n=4000):
    """n Chebyshev nodes of [lo, hi] and both ends."""
    k = np.arange(n)
    return np.concatenate([0.5 * (lo + hi) + 0.5 * (hi - lo) * np.cos(np.pi * (k + 0.5) / n), [lo, hi]])


def interval_samples(centre, n=200001):
    """(a, t): the distinct floats a of n evenly spaced points of the slot, t = a - centre in float."""
    lo, hi = t_range(centre)
    a = np.unique(np.linspace(centre + lo, centre + hi, n).astype(np.float32))
    ts = (a - np.float32(centre)).astype(np.float32)  # exact (Sterbenz) for centre >= 1, = a for 0
    return a, ts


def slot0_samples(n=200001):
    """Float x in [-1/2, 1/2]: uniform, log-spaced small |x| (down to subnormal), and dense near +-1/2."""
    parts = [np.linspace(-0.5, 0.5, n).astype(np.float32)]
    g = np.geomspace(2.0**-149, 0.5, 40001).astype(np.float32)
    parts += [g, -g]
    for end in (-0.5, 0.5):  # the 100000 floats nearest to the end, inside
        v = np.float32(end)
        steps = np.arange(100000, dtype=np.int64)
        bits = v.view(np.int32).astype(np.int64) - steps
        parts.append(bits.astype(np.int32).view(np.float32))
    x = np.unique(np.concatenate(parts))
    x = x[(x != 0) & (np.abs(x) <= 0.5)]
    return x


# ---------------------------------------------------------------------------------------------------
# Float evaluation and error measures
# ---------------------------------------------------------------------------------------------------


def horner32(coef, t):
    """Float Horner with fused multiply-adds (a*b + c in double is exact for floats, then rounded)."""
    p = np.full_like(t, np.float32(coef[-1]))
    for c in reversed(coef[:-1]):
        p = (p.astype(np.float64) * t.astype(np.float64) + np.float64(np.float32(c))).astype(np.float32)
    return p


def ulp_err(v, ref):
    """Per point: |v - ref| in ULPs of the float |ref| (both in double)."""
    return np.abs(v - ref) / np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)


def ulps(v, ref):
    """ulp_err over the points where ref != 0."""
    ok = ref != 0
    return ulp_err(v[ok], ref[ok])


# ---------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------


def hexf(v, signed_zero=False):
    """C++ hex float literal of the float v, trailing zero digits removed; zero is "0.0f" ("-0.0f" for
    -0 with signed_zero)."""
    f = float(np.float32(v))
    if f == 0:
        return "-0.0f" if signed_zero and np.signbit(f) else "0.0f"
    mant, exp = f.hex().split("p")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}p{exp}f"


def cpp_array(name, values):
    """One C++ table: alignas(64) static constexpr float name[N] = {hex literals};"""
    vals = ", ".join(hexf(v) for v in values)
    return f"alignas(64) static constexpr float {name}[{len(values)}] = {{{vals}}};"


def emit(lines, out=None):
    """Writes the lines to stdout and, if out is a path, to that file too."""
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out:
        with open(out, "w") as fh:
            fh.write(text)
