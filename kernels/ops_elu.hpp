// elu forward and backward.
#pragma once

#include <cstddef>

#include "kernels/drivers.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (kernels/isa_table.inl)"
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

// expm1_neg of K vectors in lockstep, in place (the AVX2 elu; the same operations).
template <class A, std::size_t K>
SIMDACT_INLINE void expm1_neg(vf<A> (&u)[K]) {
  using F = vf<A>;
  reduced<A> x[K];
  F em1r[K];
  for (std::size_t k = 0; k < K; ++k) x[k] = reduce_ln2<A>(u[k], F(0.0f));
  for (std::size_t k = 0; k < K; ++k) em1r[k] = fmadd<A>(x[k].r * x[k].r, q6<A>(x[k].r), x[k].r);
  for (std::size_t k = 0; k < K; ++k) {
    const F p2 = pow2<A>(x[k].n);
    u[k] = fmadd<A>(p2, em1r[k], p2 - F(1.0f));
  }
}

// elu(x) = x > 0 ? x : alpha (e^x - 1), any alpha (one rounding of the product by alpha).
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs (alpha = 1) by the
//   exhaustive test and checked for other alphas against the double oracle (measured: README).
//   Range: all floats (the exp argument clamped to [-20, 0]).
//   Special values: +inf -> +inf, -inf -> -alpha, NaN -> NaN, -0 -> -0 * alpha, +0 -> +0.
//   Method: expm1_neg; on AVX2 four vectors in lockstep (the same operations, kernels/drivers.hpp).
template <class A>
void elu(const float* x, float* y, std::size_t n, float alpha) {
  using V = vf<A>;
  const V al(alpha);
  auto f = [al](V v) __attribute__((always_inline)) {
    const V em1 = expm1_neg<A>(min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-20.0f), v)));
    return xsimd::select(v > V(0.0f), v, al * em1);
  };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {  // four vectors in lockstep
    map_unary_lockstep<A>(x, y, n, f, [al](V(&v)[4]) __attribute__((always_inline)) {
      V e[4];
      each<4>([&](std::size_t k) __attribute__((always_inline)) { e[k] = min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-20.0f), v[k])); });
      expm1_neg<A, 4>(e);
      each<4>([&](std::size_t k) __attribute__((always_inline)) { v[k] = xsimd::select(v[k] > V(0.0f), v[k], al * e[k]); });
    });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// dx = dy * (x > 0 ? 1 : alpha e^x); x is the forward input. e^x by exp_reduced (<= 0.9 ULP), then
// two products: |dx - oracle| <= 2^-21 |dy| |alpha| e^x. NaN x -> NaN; -inf -> dy * (alpha * 0).
template <class A>
void elu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  using V = vf<A>;
  const V al(alpha);
  auto f = [al](V v, V g) __attribute__((always_inline)) {
    const V e = exp_reduced<A>(min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-104.0f), v)));
    return g * xsimd::select(v > V(0.0f), V(1.0f), al * e);
  };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {  // four vectors in lockstep
    map_binary_lockstep<A>(x, dy, dx, n, f, [al](V(&v)[4], const V(&g)[4]) __attribute__((always_inline)) {
      V z[4], e[4];
      const V zero[4] = {V(0.0f), V(0.0f), V(0.0f), V(0.0f)};
      each<4>([&](std::size_t k) __attribute__((always_inline)) { z[k] = min_keep_nan<A>(V(0.0f), max_keep_nan<A>(V(-104.0f), v[k])); });
      exp_reduced<A, 4>(z, zero, e);
      each<4>([&](std::size_t k) __attribute__((always_inline)) { v[k] = g[k] * xsimd::select(v[k] > V(0.0f), V(1.0f), al * e[k]); });
    });
  } else {
    map_binary<A>(x, dy, dx, n, f);
  }
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
