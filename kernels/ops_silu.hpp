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
  // eh + el = e (unscaled) only for 1 + e. x86: lanes with e < 2^-50 take 1 + 0 (a relative 2^-50 in
  // the denominator is below 2^-26 ULP of the result), so that no lane forms a subnormal eh or el: an
  // operation with a subnormal result costs a microcode assist on Intel cores (gelu_tanh ran at
  // 0.16 el/ns on AVX2 and 0.21 on AVX-512 with 40% of U(-10, 10) in such lanes; 0.37 / 0.65 without;
  // Xeon). NEON keeps the plain products (2^-126 is enough there too).
  V eh = e.hi, el = e.lo;
  if constexpr (slow_subnormal_results<A>) {
    const auto tiny = e.hi < V(0x1p14f);
    eh = xsimd::select(tiny, V(0.0f), eh);
    el = xsimd::select(tiny, V(0.0f), el);
  }
  eh *= V(kUnscale64);
  el *= V(kUnscale64);
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

// x_sigmoid of K vectors in lockstep (the AVX2 gelu_tanh; kernels/simd_ops.hpp), in place in x: the
// operations of the one-vector form, phase by phase, except that 2^(n + 64) is applied as one power
// of two (normal for n >= -180, i.e. w >= -125; the same products as scale2n's two steps).
template <class A, std::size_t K>
SIMDACT_INLINE void x_sigmoid_lockstep(vf<A> (&x)[K], const vf<A> (&wh)[K], const vf<A> (&wl)[K]) {
  using V = vf<A>;
  reduced<A> r[K];
  V ehi[K], elo[K], dh[K], dl[K], nh[K], nl[K];
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    r[k] = reduce_ln2<A>(max_keep_nan<A>(V(-125.0f), wh[k]), xsimd::select(wh[k] > V(-125.0f), wl[k], V(0.0f)));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V s = fmadd<A>(r[k].r * r[k].r, q6<A>(r[k].r), r[k].r);
    const V hi = V(1.0f) + s;
    const V lo = s - (hi - V(1.0f));
    const V p2 = pow2<A>(r[k].n + vi<A>(64));
    ehi[k] = hi * p2;
    elo[k] = lo * p2;
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const auto tiny = ehi[k] < V(0x1p14f);
    const V eh = xsimd::select(tiny, V(0.0f), ehi[k]) * V(kUnscale64);
    const V el = xsimd::select(tiny, V(0.0f), elo[k]) * V(kUnscale64);
    dh[k] = V(1.0f) + eh;
    dl[k] = ((V(1.0f) - dh[k]) + eh) + el;
    const auto neg = x[k] < V(0.0f);
    const V xc = max_keep_nan<A>(V(-125.0f), x[k]);
    const V ph = xc * ehi[k];
    nh[k] = xsimd::select(neg, ph, x[k]);
    nl[k] = xsimd::select(neg, fmadd<A>(xc, ehi[k], -ph) + xc * elo[k], V(0.0f));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { ehi[k] = divide<A>(nh[k], dh[k]); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V q = ehi[k];
    const V res = (fmadd<A>(-q, dh[k], nh[k]) + nl[k]) - q * dl[k];
    const V y = fmadd<A>(res, recip_approx<A>(dh[k]), q);
    x[k] = xsimd::select(x[k] < V(0.0f), y * V(kUnscale64),
                         xsimd::select(x[k] == V(std::numeric_limits<float>::infinity()), x[k], y));
  });
}

// silu's table polynomial (tools/fit_silu.py --no-lo, degree 7): slot 0 (|x| <= 1/2) holds
// sigmoid(x) = 1/2 + x P(x) in the signed x (the even coefficients 0); slots k = 1..15 hold
// g(a) = a sigmoid(-a) = a / (1 + e^a) = C0 + t P(t), t = a - k, |t| <= 1/2, P = C1 + t (C2 + ... C7)
// (minimax in ULPs of the result; sampled estimate 1.31 ULP for x < 0, 1.07 for x > 0, slot 0 0.75).
#include "kernels/tables/silu.inc"  // tools/gen_tables.py silu
static constexpr const float* kSiluP[] = {kSiluC7, kSiluC6, kSiluC5, kSiluC4, kSiluC3, kSiluC2, kSiluC1};

// The AVX2 method for K vectors in lockstep (kernels/simd_ops.hpp), in place; one branch for all K.
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

// sigmoid(v) and 1 - sigmoid(v) for v with the sign of x, given w = -|v| as wh + wl (silu: v = x, wl =
// 0; gelu_tanh: its double-float argument): e = e^w (exp_reduced, the argument clamped to >= -104)
// and one division: s_big = 1/(1+e), s_small = e/(1+e); sigmoid is s_big for x >= 0, s_small below.
// Each within ~2 ULP.
template <class A>
struct sigmoid_both {
  vf<A> s, one_minus_s;
};
template <class A>
SIMDACT_INLINE sigmoid_both<A> sigmoid_and_complement(vf<A> x, vf<A> wh, vf<A> wl) {
  using V = vf<A>;
  const V e = exp_reduced<A>(max_keep_nan<A>(V(-104.0f), wh), xsimd::select(wh > V(-104.0f), wl, V(0.0f)));
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
