// silu (swish, beta = 1) forward and backward.
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/x_sigmoid.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (kernels/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// silu's table polynomial (tools/fit_silu.py --no-lo, degree 7): slot 0 (|x| <= 1/2) holds
// sigmoid(x) = 1/2 + x P(x) in the signed x (the even coefficients 0); slots k = 1..15 hold
// g(a) = a sigmoid(-a) = a / (1 + e^a) = C0 + t P(t), t = a - k, |t| <= 1/2, P = C1 + t (C2 + ... C7)
// (minimax in ULPs of the result; sampled estimate 1.31 ULP for x < 0, 1.07 for x > 0, slot 0 0.75).
#include "kernels/tables/silu.inc"  // tools/gen_tables.py silu
static constexpr const float* kSiluP[] = {kSiluC7, kSiluC6, kSiluC5, kSiluC4, kSiluC3, kSiluC2, kSiluC1};

// The AVX2 method for K vectors in lockstep (kernels/drivers.hpp), in place; one branch for all K.
template <class A, std::size_t K>
SIMDACT_INLINE void silu_direct(vf<A> (&x)[K]) {
  using V = vf<A>;
  V y[K];
  one_plus_exp_neg<A, K>(x, y);
  each<K>([&](std::size_t k) __attribute__((always_inline)) { y[k] = divide<A>(x[k], y[k]); });
  auto far = x[0] < V(-15.5f);  // false for NaN
  each<K - 1>([&](std::size_t k) __attribute__((always_inline)) { far = far | (x[k + 1] < V(-15.5f)); });
  if (xsimd::any(far)) {
    each<K>([&](std::size_t k) __attribute__((always_inline)) {
      y[k] = xsimd::select(x[k] < V(-15.5f), x_sigmoid<A>(x[k], x[k], V(0.0f)), y[k]);
    });
  }
  each<K>([&](std::size_t k) __attribute__((always_inline)) { x[k] = y[k]; });
}

// silu(x) = x sigmoid(x) = x / (1 + e^-x)
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs by the exhaustive test
//   (measured: README). Subnormal results (x < -87.3) within 4 x 2^-149; -0 below x = -108.
//   Range: all floats, no overflow.
//   Special values: +inf -> +inf, -inf -> -0, NaN -> NaN, +-0 -> +-0.
//   Method, AVX2: x / (1 + e^-x) with sigmoid_direct's denominator (one_plus_exp_neg: no table, one
//   division; the same error analysis, x being exact) for x >= -15.5; x < -15.5 takes x_sigmoid
//   behind one branch per four vectors (computed in lockstep, silu_direct). AVX-512, NEON: |x| < 15.5
//   without exp or division: |x| <= 1/2: x/2 + x (x P(x)) in one FMA; else
//   g = C0 + t P(t) from the table (one FMA at the end), -g for x < 0 and x - g for x > 0. Lanes
//   with |x| >= 15.5 (and +-inf) take x_sigmoid with w = -|x| (exp and a corrected division, the
//   products scaled into the normal range) behind a branch per vector: U(-10, 10) never enters it.
template <class A>
SIMDACT_INLINE vf<A> silu_v(vf<A> x) {
  using V = vf<A>;
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    V v[1] = {x};
    silu_direct<A, 1>(v);
    return v[0];
  }
  const V a = xsimd::abs(x);
  const unit_slot<A> u = slot_of<A>(a);
  const auto slot0 = a <= V(0.5f);
  const V t = xsimd::select(slot0, x, u.t);
  const V p = horner_lut16<A>(kSiluP, u.k, t);
  const V g = fmadd<A>(t, p, lut16<A>(kSiluC0hi, u.k));
  V y = xsimd::select(x < V(0.0f), -g, x - g);
  y = xsimd::select(slot0, fmadd<A>(x, x * p, V(0.5f) * x), y);
  const auto far = a >= V(15.5f);  // false for NaN: the polynomial's NaN stays
  if (xsimd::any(far)) y = xsimd::select(far, x_sigmoid<A>(x, -a, V(0.0f)), y);
  return y;
}

template <class A>
void silu(const float* x, float* y, std::size_t n) {
  auto f = [](vf<A> v) __attribute__((always_inline)) { return silu_v<A>(v); };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    map_unary_lockstep<A>(x, y, n, f, [](vf<A>(&v)[4]) __attribute__((always_inline)) { silu_direct<A, 4>(v); });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// dx = dy * silu'(x), silu'(x) = s (1 + x (1 - s)), s = sigmoid(x); x is the forward input.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = s + |x| s (1 - s) (the magnitude of the
//   derivative's terms; they cancel near x = -2.4; the factor is formed in float, so below FLT_MIN it
//   is subnormal or 0); checked against the double oracle. +inf -> dy, -inf -> dy * 0, NaN -> NaN.
template <class A>
void silu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  auto f = [](V v, V g) __attribute__((always_inline)) {
    const sigmoid_both<A> s = sigmoid_and_complement<A>(v, xsimd::bitwise_or(v, V(-0.0f)), V(0.0f));
    // x (1 - s) -> 0 as x -> +-inf: x clamped to [-200, 200] (1 - s resp. s is 0 in float there)
    const V xc = min_keep_nan<A>(V(200.0f), max_keep_nan<A>(V(-200.0f), v));
    return g * (s.s * fmadd<A>(xc, s.one_minus_s, V(1.0f)));
  };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {  // four vectors in lockstep, the same operations
    map_binary_lockstep<A>(x, dy, dx, n, f, [](V(&v)[4], const V(&g)[4]) __attribute__((always_inline)) {
      // sigmoid_and_complement's e = e^-|x| (its wl is 0 here)
      V wh[4], e[4];
      const V zero[4] = {V(0.0f), V(0.0f), V(0.0f), V(0.0f)};
      each<4>([&](std::size_t k) __attribute__((always_inline)) { wh[k] = max_keep_nan<A>(V(-104.0f), xsimd::bitwise_or(v[k], V(-0.0f))); });
      exp_reduced<A, 4>(wh, zero, e);
      each<4>([&](std::size_t k) __attribute__((always_inline)) {
        const V big = divide<A>(V(1.0f), V(1.0f) + e[k]);
        const V small = e[k] * big;
        const auto pos = v[k] >= V(0.0f);
        const V xc = min_keep_nan<A>(V(200.0f), max_keep_nan<A>(V(-200.0f), v[k]));
        v[k] = g[k] * (xsimd::select(pos, big, small) * fmadd<A>(xc, xsimd::select(pos, small, big), V(1.0f)));
      });
    });
  } else {
    map_binary<A>(x, dy, dx, n, f);
  }
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
