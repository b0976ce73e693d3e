// elu forward and backward. Included by kernels/simd_ops.hpp.
#pragma once

#ifndef SIMDACT_ISA_NS
#error "included by kernels/simd_ops.hpp inside a per-ISA translation unit"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// e^u - 1 for u in [-20, 0] (callers clamp; below -17.33 the float result is -1 anyway): 2^n (e^r - 1)
// + (2^n - 1) with one rounding (expm1_pos's method; 2^n - 1 is exact for n >= -24, and off by at
// most 2^-26 below, where the result is within 2^-23 of -1). Near 0 (n = 0) it is r + r^2 Q6(r), with
// full relative accuracy; subnormal u give u. NaN propagates.
template <class A>
SIMDACT_INLINE vf<A> expm1_neg(vf<A> u) {
  using F = vf<A>;
  const reduced<A> x = reduce_ln2<A>(u, F(0.0f));
  const F em1r = fmadd<A>(x.r * x.r, q6<A>(x.r), x.r);
  const F p2 = pow2<A>(x.n);
  return fmadd<A>(p2, em1r, p2 - F(1.0f));
}

// elu(x) = x > 0 ? x : alpha (e^x - 1), any alpha (one rounding of the product by alpha).
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs (alpha = 1) by the
//   exhaustive test and checked for other alphas against the double oracle (measured: README).
//   Range: all floats (the exp argument clamped to [-20, 0]).
//   Special values: +inf -> +inf, -inf -> -alpha, NaN -> NaN, -0 -> -0 * alpha, +0 -> +0.
template <class A>
void elu(const float* x, float* y, std::size_t n, float alpha) {
  using V = vf<A>;
  const V al(alpha);
  map_unary<A>(x, y, n, [al](V v) __attribute__((always_inline)) {
    const V em1 = expm1_neg<A>(min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-20.0f), v)));
    return xsimd::select(v > V(0.0f), v, al * em1);
  });
}

// dx = dy * (x > 0 ? 1 : alpha e^x); x is the forward input. e^x by exp_reduced (<= 0.9 ULP), then
// two products: |dx - oracle| <= 2^-21 |dy| |alpha| e^x. NaN x -> NaN; -inf -> dy * (alpha * 0).
template <class A>
void elu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  using V = vf<A>;
  const V al(alpha);
  map_binary<A>(x, dy, dx, n, [al](V v, V g) __attribute__((always_inline)) {
    const V e = exp_reduced<A>(min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-104.0f), v)));
    return g * xsimd::select(v > V(0.0f), V(1.0f), al * e);
  });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
