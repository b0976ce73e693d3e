// silu (swish, beta = 1) forward and backward. Included by kernels/simd_ops.hpp.
#pragma once

#ifndef SIMDACT_ISA_NS
#error "included by kernels/simd_ops.hpp inside a per-ISA translation unit"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// e^z 2^64 as hi + lo for z in [-125, 0] (callers clamp; NaN propagates): exp_split with 64 added to
// the power of two, so that products with e^z that end in the subnormals (silu, gelu of large
// negative x) are formed in the normal range and rounded once, by the final 2^-64 (kUnscale64).
// (The reduction is valid for z >= -148 here: the scaled power 2^(n+64) stays >= 2^-150.)
template <class A>
SIMDACT_INLINE split<A> exp_split_scaled64(vf<A> z, vf<A> zlo) {
  using F = vf<A>;
  const reduced<A> x = reduce_ln2<A>(z, zlo);
  const F s = fmadd<A>(x.r * x.r, q6<A>(x.r), x.r);
  const F hi = F(1.0f) + s;
  const F lo = s - (hi - F(1.0f));
  const reduced<A> up{x.r, x.n + vi<A>(64), x.nf + F(64.0f)};
  return {scale2n<A>(hi, up), scale2n<A>(lo, up)};
}
constexpr float kUnscale64 = 0x1p-64f;

// x sigmoid(v) for v with the sign of x, given w = -|v| as wh + wl (silu: v = x; gelu_tanh: its
// argument): e = e^w as hi + lo (<= 0.35 ULP). x >= 0: x / (1 + e); x < 0: x e / (1 + e), formed as
// (x e 2^64) / (1 + e) and scaled by 2^-64 at the end (so subnormal results are rounded once).
// Numerator n = nh + nl and denominator d = dh + dl are exact pairs (product by FMA, Fast2Sum), the
// quotient q = nh / dh is corrected once: q + (fma(-q, dh, nh) + nl - q dl) / dh, the last division
// by an approximate reciprocal (the correction is ~2^-24 q): the result is within ~0.35 ULP (e) + 0.5
// (the final rounding). w is clamped to >= -125 and x to >= -125 in the numerator: below, the
// result is -0 (|x e^w| < 2^-150), also for x = -inf. No branch.
template <class A>
SIMDACT_INLINE vf<A> x_sigmoid(vf<A> x, vf<A> wh, vf<A> wl) {
  using V = vf<A>;
  const V z = max_keep_nan<A>(V(-125.0f), wh);
  const split<A> e = exp_split_scaled64<A>(z, xsimd::select(wh > V(-125.0f), wl, V(0.0f)));
  const V eh = e.hi * V(kUnscale64), el = e.lo * V(kUnscale64);  // only for 1 + e: 2^-126 is enough
  const V dh = V(1.0f) + eh;
  const V dl = ((V(1.0f) - dh) + eh) + el;
  const auto neg = x < V(0.0f);
  const V xc = max_keep_nan<A>(V(-125.0f), x);
  const V ph = xc * e.hi;
  const V nh = xsimd::select(neg, ph, x);
  const V nl = xsimd::select(neg, fmadd<A>(xc, e.hi, -ph) + xc * e.lo, V(0.0f));
  const V q = divide<A>(nh, dh);
  const V res = (fmadd<A>(-q, dh, nh) + nl) - q * dl;
  const V y = fmadd<A>(res, recip_approx<A>(dh), q);  // NaN for x = +inf (inf - inf): select it below
  return xsimd::select(neg, y * V(kUnscale64), xsimd::select(x == V(std::numeric_limits<float>::infinity()), x, y));
}

// silu(x) = x sigmoid(x) = x / (1 + e^-x)
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs by the exhaustive test
//   (measured: README). Subnormal results (x < -87.3) within 4 x 2^-149; -0 below x = -108.
//   Range: all floats, no overflow (e^-|x| <= 1).
//   Special values: +inf -> +inf, -inf -> -0, NaN -> NaN, +-0 -> +-0.
//   Method: x_sigmoid with w = -|x| (exact).
template <class A>
SIMDACT_INLINE vf<A> silu_v(vf<A> x) {
  return x_sigmoid<A>(x, xsimd::bitwise_or(x, vf<A>(-0.0f)), vf<A>(0.0f));
}

template <class A>
void silu(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) __attribute__((always_inline)) { return silu_v<A>(v); });
}

// sigmoid(x) and 1 - sigmoid(x) from e = e^-|x| (exp_reduced) and one division: s_big = 1/(1+e),
// s_small = e/(1+e); sigmoid is s_big for x >= 0, s_small below. Each within ~2 ULP.
template <class A>
struct sigmoid_both {
  vf<A> s, one_minus_s;
};
template <class A>
SIMDACT_INLINE sigmoid_both<A> sigmoid_and_complement(vf<A> x) {
  using V = vf<A>;
  const V e = exp_reduced<A>(max_keep_nan<A>(V(-104.0f), xsimd::bitwise_or(x, V(-0.0f))));
  const V big = divide<A>(V(1.0f), V(1.0f) + e);
  const V small = e * big;
  const auto pos = x >= V(0.0f);
  return {xsimd::select(pos, big, small), xsimd::select(pos, small, big)};
}

// dx = dy * silu'(x), silu'(x) = s (1 + x (1 - s)), s = sigmoid(x); x is the forward input.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = s + |x| s (1 - s) (the magnitude of the
//   derivative's terms; they cancel near x = -2.4; the factor is formed in float, so below FLT_MIN it
//   is subnormal or 0); checked against the double oracle. +inf -> dy, -inf -> dy * 0, NaN -> NaN.
template <class A>
void silu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  map_binary<A>(x, dy, dx, n, [](V v, V g) __attribute__((always_inline)) {
    const sigmoid_both<A> s = sigmoid_and_complement<A>(v);
    // x (1 - s) -> 0 as x -> +-inf: x clamped to [-200, 200] (1 - s resp. s is 0 in float there)
    const V xc = min_keep_nan<A>(V(200.0f), max_keep_nan<A>(V(-200.0f), v));
    return g * (s.s * fmadd<A>(xc, s.one_minus_s, V(1.0f)));
  });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
