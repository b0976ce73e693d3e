// x sigmoid(x) and sigmoid with its complement from e^-|v| and one corrected division: the sigmoid
// core that x sigmoid(x) and gelu_tanh share (kernels/ops_silu.hpp, kernels/ops_gelu.hpp).
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/drivers.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (dispatch/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// e^z 2^64 as hi + lo for z in [-125, 0] (callers clamp; NaN propagates): exp_split with 64 added to
// the power of two, so that products with e^z that end in the subnormals (x sigmoid(x), gelu of
// large negative x) are formed in the normal range and rounded once, by the final 2^-64 (kUnscale64).
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

// x sigmoid(v) for v with the sign of x, given w = -|v| as wh + wl (x sigmoid(x): v = x; gelu_tanh:
// its argument): e = e^w as hi + lo (<= 0.35 ULP). x >= 0: x / (1 + e); x < 0: x e / (1 + e), formed as
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

// x_sigmoid of K vectors in lockstep (the AVX2 gelu_tanh; kernels/drivers.hpp), in place in x: the
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

// sigmoid(v) and 1 - sigmoid(v) for v with the sign of x, given w = -|v| as wh + wl (x sigmoid(x): v = x,
// wl = 0; gelu_tanh: its double-float argument): e = e^w (exp_reduced, the argument clamped to >= -104)
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

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
