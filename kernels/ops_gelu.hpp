// gelu (erf form) and gelu_tanh (the tanh approximation), forward and backward.
#pragma once

#include <cstddef>

#include "kernels/x_sigmoid.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (kernels/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// gelu (erf form). With a = |x|, Q(a) = Phi(-a) = erfc(a/sqrt2)/2 = e^(-a^2/2) R(a), R smooth, and
// S(a) = a R(a): gelu(x) = -S(a) e^(-a^2/2) for x < 0, x - S(a) e^(-a^2/2) for x >= 0.
// Tables (tools/fit_gelu.py): slot 0 (a <= 1/2) holds Phi(x) = 1/2 + x P(x) in the signed x (the even
// coefficients 0); slots k = 1..15 hold S(k + t) = C0 + t P(t), t = a - k, |t| <= 1/2, degree 7, with
// C0 = S(k) as the float pair C0hi + C0lo and P = C1 + t (C2 + ... C7) (minimax in ULPs; sampled
// estimate of the float evaluation: S within 0.68 ULP (slot 1; <= 0.06 from slot 2), gelu 1.62 ULP
// for x < 0, 1.44 ULP in slot 0).
#include "kernels/tables/gelu.inc"  // tools/gen_tables.py gelu

static constexpr const float* kGeluP[] = {kGeluC7, kGeluC6, kGeluC5, kGeluC4, kGeluC3, kGeluC2, kGeluC1};

// The table part and S e for a lane-wise x: slot 0 lanes get t P = x P(x) (t = x); other lanes S e as
// the double-float product rounded once (scaled by 2^64: e = e^(-a^2/2) 2^64 with a^2 exact as a pair,
// exp_split_scaled64). far: a >= 15.5 or inf (gelu(x) = x or -0 there; the slot is garbage).
template <class A>
struct gelu_parts {
  vf<A> tp;  // t P(t) (slot 0: x P(x))
  vf<A> se;  // S(a) e^(-a^2/2) 2^64 (slots >= 1)
  xsimd::batch_bool<float, A> slot0, far;
};
template <class A>
SIMDACT_INLINE gelu_parts<A> gelu_eval(vf<A> x) {
  using V = vf<A>;
  const V a = xsimd::abs(x);
  const unit_slot<A> u = slot_of<A>(a);
  const auto slot0 = a <= V(0.5f);
  const V t = xsimd::select(slot0, x, u.t);
  const vi<A> k = u.k;
  const V p = horner_lut16<A>(kGeluP, k, t);
  const V tp = t * p;
  const V tpl = fmadd<A>(t, p, -tp);  // t P = tp + tpl exactly
  const V c0h = lut16<A>(kGeluC0hi, k);
  const V sh = c0h + tp;  // Fast2Sum: |C0| >= |t P| in slots >= 1
  const V sl = ((c0h - sh) + tp) + (lut16<A>(kGeluC0lo, k) + tpl);
  const V h = a * a;
  const V hl = fmadd<A>(a, a, -h);
  const V z = max_keep_nan<A>(V(-125.0f), V(-0.5f) * h);
  const split<A> e = exp_split_scaled64<A>(z, V(-0.5f) * hl);
  const V se = fmadd<A>(sh, e.hi, fmadd<A>(sh, e.lo, sl * e.hi));
  return {tp, se, slot0, a >= V(15.5f)};
}

// AVX2: no table (each lookup of gelu_eval is two vpermps and a blend, 9 per vector): S(a) from one of
// two rationals picked per lane by blends, slot 0 as gelu_eval's polynomial in x^2 (tools/fit_gelu_rational.py,
// which explains the split). Piece A (1/2 < a < 2): S = KA + t N(t) / D(t), t = a - 13/16 (exact), degree
// (2, 3); piece B (2 <= a < 15.5): S = C + N(a) / D(a), C = 1/sqrt(2 pi), degree (3, 4). K as hi + lo.
// Sampled float evaluation of S: within 0.93 x 2^-24 relative (A), 0.65 (B).
#include "kernels/tables/gelu_rational.inc"  // tools/gen_tables.py gelu_rational: {piece A, piece B}

// K vectors in lockstep, in place (K = 1: the one-vector form; kernels/drivers.hpp says why).
template <class A, std::size_t K>
SIMDACT_INLINE void gelu_rational(vf<A> (&x)[K]) {
  using V = vf<A>;
  using M = xsimd::batch_bool<float, A>;
  V v[K], num[K], den[K], sh[K], sl[K];
  M b[K];
  split<A> e[K];
  const auto pick = [](M m, const float(&c)[2]) __attribute__((always_inline)) { return xsimd::select(m, V(c[1]), V(c[0])); };
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V a = xsimd::abs(x[k]);
    b[k] = a >= V(2.0f);
    v[k] = xsimd::select(b[k], a, a - V(0.8125f));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    num[k] = fmadd<A>(pick(b[k], kGeluRatN3), v[k], pick(b[k], kGeluRatN2));
    den[k] = fmadd<A>(pick(b[k], kGeluRatD4), v[k], pick(b[k], kGeluRatD3));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    num[k] = fmadd<A>(num[k], v[k], pick(b[k], kGeluRatN1));
    den[k] = fmadd<A>(den[k], v[k], pick(b[k], kGeluRatD2));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    num[k] = fmadd<A>(num[k], v[k], pick(b[k], kGeluRatN0));
    den[k] = fmadd<A>(den[k], v[k], pick(b[k], kGeluRatD1));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { den[k] = fmadd<A>(den[k], v[k], V(1.0f)); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { num[k] = divide<A>(num[k], den[k]); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V khi = pick(b[k], kGeluRatKhi);
    const V w = xsimd::select(b[k], V(1.0f), v[k]);  // t in piece A
    sh[k] = fmadd<A>(w, num[k], khi);  // S = sh + sl: |w q| <= 0.32 S, khi - sh is exact
    sl[k] = fmadd<A>(w, num[k], khi - sh[k]) + pick(b[k], kGeluRatKlo);
  });
  // e^(-a^2/2) 2^64 from the exact a^2 = h + hl (exp_split_scaled64's operations)
  reduced<A> r[K];
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V ak = xsimd::abs(x[k]);  // recomputed: fewer registers live across the phases
    const V h = ak * ak;
    const V hl = fmadd<A>(ak, ak, -h);
    r[k] = reduce_ln2<A>(max_keep_nan<A>(V(-125.0f), V(-0.5f) * h), V(-0.5f) * hl);
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V s = fmadd<A>(r[k].r * r[k].r, q6<A>(r[k].r), r[k].r);
    const V hi = V(1.0f) + s;
    const V lo = s - (hi - V(1.0f));
    const V p2 = pow2<A>(r[k].n + vi<A>(64));  // n >= -180 (z >= -125): 2^(n + 64) is normal
    e[k] = {hi * p2, lo * p2};
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V s = fmadd<A>(sh[k], e[k].hi, fmadd<A>(sh[k], e[k].lo, sl[k] * e[k].hi)) * V(kUnscale64);
    V y = xsimd::select(x[k] < V(0.0f), -s, x[k] - s);
    // |x| <= 1/2: x/2 + x (x P(x^2)), P = C1 + x^2 (C3 + x^2 (C5 + x^2 C7)) (slot 0 of kGeluC*).
    const V ak = xsimd::abs(x[k]);
    const V x2 = x[k] * x[k];
    const V p = fmadd<A>(fmadd<A>(fmadd<A>(V(kGeluC7[0]), x2, V(kGeluC5[0])), x2, V(kGeluC3[0])), x2, V(kGeluC1[0]));
    y = xsimd::select(ak <= V(0.5f), fmadd<A>(x[k], x[k] * p, V(0.5f) * x[k]), y);
    x[k] = xsimd::select(ak >= V(15.5f), xsimd::select(x[k] > V(0.0f), x[k], V(-0.0f)), y);
  });
}

// gelu(x) = x Phi(x) = x/2 (1 + erf(x / sqrt 2)), the erf form.
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs by the exhaustive test
//   (measured: README). Subnormal results (x < ~-13.2) within 4 x 2^-149, -0 further down.
//   Range: all floats, no overflow (x >= 15.5 gives x, x <= -15.5 gives -0).
//   Special values: +inf -> +inf, -inf -> -0, NaN -> NaN, +-0 -> +-0.
//   Method: |x| <= 1/2: x/2 + x (x P(x)) in one FMA; else -S e resp. x - S e (gelu_eval: table
//   polynomial, C0 and t P as pairs, e^(-x^2/2) as hi + lo from the exact x^2). No erf, no branch.
//   AVX2: S from two rationals instead of the table (gelu_rational, four vectors in lockstep).
template <class A>
SIMDACT_INLINE vf<A> gelu_v(vf<A> x) {
  using V = vf<A>;
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    V r[1] = {x};
    gelu_rational<A, 1>(r);
    return r[0];
  }
  const gelu_parts<A> g = gelu_eval<A>(x);
  const V s = g.se * V(kUnscale64);
  V y = xsimd::select(x < V(0.0f), -s, x - s);
  y = xsimd::select(g.slot0, fmadd<A>(x, g.tp, V(0.5f) * x), y);
  return xsimd::select(g.far, xsimd::select(x > V(0.0f), x, V(-0.0f)), y);
}

template <class A>
void gelu(const float* x, float* y, std::size_t n) {
  const auto f = [](vf<A> v) __attribute__((always_inline)) { return gelu_v<A>(v); };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {  // four vectors in lockstep
    map_unary_lockstep<A>(x, y, n, f, [](vf<A>(&v)[4]) __attribute__((always_inline)) { gelu_rational<A, 4>(v); });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// For the backward op: R(a) = Q(a) e^(a^2/2) itself (tools/fit_gelu.py --mode R: 16 intervals of
// width 1, degree 7 in t = a - k; sampled float evaluation 0.98 ULP), so that Q = e R needs no division.
#include "kernels/tables/gelu_r.inc"  // tools/gen_tables.py gelu_r
static constexpr const float* kGeluR[] = {kGeluRC7, kGeluRC6, kGeluRC5, kGeluRC4, kGeluRC3, kGeluRC2, kGeluRC1, kGeluRC0};
// AVX2: R(a) from 8 slots of width 2 instead (k = round(a/2), t = a - 2k, slot 0 on [0, 1], slot 7 on
// [13, 15]; degree 8, highest coefficient first; tools/fit_gelu_r8.py: float Horner within 2.51 x
// 2^-24 relative of R on every slot), so that each coefficient is one vpermps, not two and a blend
// (gelu_backward, Zen 5: ~1.3x; on Zen 1, where vpermps is microcoded, 9 permutes instead of 16).
#include "kernels/tables/gelu_r8.inc"  // tools/gen_tables.py gelu_r8

// dx = dy * gelu'(x), gelu'(x) = Phi(x) + x phi(x); x is the forward input.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = Phi(x) + |x| phi(x) (the terms cancel near x = -0.75).
//   With a = |x|, e = e^(-a^2/2) (exp_reduced from the exact a^2: 0.9 ULP) and D = R(a) - a/sqrt(2 pi)
//   (R from its table): gelu'(x) = e D for x < 0 and 1 - e D for x >= 0 (Phi = Q or 1 - Q, Q = e R;
//   x phi = x e / sqrt(2 pi)). No division, no branch; a is clamped to <= 15 for the table (e = 0
//   beyond). +inf -> dy, -inf -> dy * 0, NaN -> NaN. AVX2: R from kGeluR8, four vectors in lockstep
//   (gelu_backward_r8).
// The AVX2 gelu_backward of K vectors in lockstep, in place in v (kernels/drivers.hpp; K = 1 for
// the rest): gelu_backward's method below with R from kGeluR8 (8 slots of width 2, one vpermps per
// coefficient). a >= 14.9375 reads R(14.9375): e <= e^-104 there, the difference is inside the
// 2^-126 |dy| term.
template <class A, std::size_t K>
SIMDACT_INLINE void gelu_backward_r8(vf<A> (&v)[K], const vf<A> (&g)[K]) {
  using V = vf<A>;
  V ac[K], t[K], r[K], z[K], zl[K], e[K];
  vi<A> k8[K];
  const V magic(0x1.8p23f);
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    ac[k] = min_keep_nan<A>(V(14.9375f), xsimd::abs(v[k]));
    const V rk = fmadd<A>(ac[k], V(0.5f), magic);  // round(a/2) in the low mantissa bits
    k8[k] = xsimd::bitwise_cast<vi<A>>(rk);
    t[k] = fmadd<A>(V(-2.0f), rk - magic, ac[k]);  // a - 2k, exact (Sterbenz for k >= 1)
    r[k] = lut8<A>(kGeluR8[0], k8[k]);
  });
  for (std::size_t i = 1; i < 9; ++i)
    each<K>([&](std::size_t k) __attribute__((always_inline)) { r[k] = fmadd<A>(r[k], t[k], lut8<A>(kGeluR8[i], k8[k])); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V a = xsimd::abs(v[k]);
    const V h = a * a;
    zl[k] = V(-0.5f) * xsimd::select(h < V(208.0f), fmadd<A>(a, a, -h), V(0.0f));
    z[k] = max_keep_nan<A>(V(-104.0f), V(-0.5f) * h);
  });
  exp_reduced<A, K>(z, zl, e);
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V ed = e[k] * fmadd<A>(ac[k], V(-0x1.988454p-2f), r[k]);
    v[k] = g[k] * xsimd::select(v[k] < V(0.0f), ed, V(1.0f) - ed);
  });
}

template <class A>
void gelu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    map_binary_lockstep<A>(
        x, dy, dx, n,
        [](V v, V g) __attribute__((always_inline)) {
          V r[1] = {v};
          const V gg[1] = {g};
          gelu_backward_r8<A, 1>(r, gg);
          return r[0];
        },
        [](V(&v)[4], const V(&g)[4]) __attribute__((always_inline)) { gelu_backward_r8<A, 4>(v, g); });
    return;
  }
  map_binary<A>(x, dy, dx, n, [](V v, V g) __attribute__((always_inline)) {
    const V a = xsimd::abs(v);
    V ac, r;  // declared, then assigned: const initialisation changed GCC's inlining across the NEON object
    {
      ac = min_keep_nan<A>(V(15.0f), a);  // e = 0 beyond: keeps D finite (inf * 0 is NaN)
      const unit_slot<A> u = slot_of<A>(ac);
      r = horner_lut16<A>(kGeluR, u.k, u.t);
    }
    const V h = a * a;
    const V hl = xsimd::select(h < V(208.0f), fmadd<A>(a, a, -h), V(0.0f));  // a^2 = h + hl (inf for huge a)
    const V e = exp_reduced<A>(max_keep_nan<A>(V(-104.0f), V(-0.5f) * h), V(-0.5f) * hl);
    const V ed = e * fmadd<A>(ac, V(-0x1.988454p-2f), r);  // e (R - a / sqrt(2 pi))
    return g * xsimd::select(v < V(0.0f), ed, V(1.0f) - ed);
  });
}

// gelu_tanh(x) = x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), is x sigmoid(v) with v = 2u =
// x (K1 + K3 x^2). The constants as float pairs hi + lo (K1 = 2 sqrt(2/pi), K3 = 0.044715 K1).
constexpr float kGeluK1hi = 0x1.988454p+0f, kGeluK1lo = -0x1.857936p-25f;
constexpr float kGeluK3hi = 0x1.2444f2p-4f, kGeluK3lo = 0x1.49b16ap-29f;

// |v| = a (K1 + K3 a^2) for a = |x| as a double-float vh + vl (relative error ~2^-40): a rounding of
// v in float (2^-24 relative, i.e. up to 2^-24 |v| absolute in the exponent of e^-|v|) would cost up to
// |v|/2 ULP of the result; |v| reaches ~90 where results are still normal. a^2, K3 a^2 and a q are
// exact product pairs (FMA), K1 + K3 a^2 a TwoSum. Huge a: vh = inf (the low part may be NaN; callers
// drop it where vh is beyond the exp's range).
template <class A>
SIMDACT_INLINE split<A> gelu_tanh_arg(vf<A> a) {
  using V = vf<A>;
  const V s = a * a;
  const V sl = fmadd<A>(a, a, -s);
  const V k3h(kGeluK3hi), k1h(kGeluK1hi);
  const V p = k3h * s;
  const V pl = fmadd<A>(k3h, s, -p) + fmadd<A>(k3h, sl, V(kGeluK3lo) * s);
  const V q = k1h + p;
  const V bb = q - k1h;
  const V ql = ((k1h - (q - bb)) + (p - bb)) + (pl + V(kGeluK1lo));
  const V vh = a * q;
  return {vh, fmadd<A>(a, ql, fmadd<A>(a, q, -vh))};
}

// gelu_tanh(x) = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), against this formula evaluated exactly:
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs by the exhaustive test
//   (measured: README). Subnormal results (x < ~-10.3) within 4 x 2^-149, -0 further down.
//   Range: all floats, no overflow (x >= 0: x / (1 + e), e <= 1; the exp argument clamped).
//   Special values: +inf -> +inf, -inf -> -0, NaN -> NaN, +-0 -> +-0.
//   Method: x sigmoid(v), v = x (K1 + K3 x^2) as a double-float (gelu_tanh_arg), then x_sigmoid
//   (ops_silu.hpp): e^-|v| as hi + lo, one division. No tanh, no branch.
template <class A>
SIMDACT_INLINE vf<A> gelu_tanh_v(vf<A> x) {
  const split<A> v = gelu_tanh_arg<A>(xsimd::abs(x));
  return x_sigmoid<A>(x, -v.hi, -v.lo);
}

template <class A>
void gelu_tanh(const float* x, float* y, std::size_t n) {
  using V = vf<A>;
  const auto f = [](V v) __attribute__((always_inline)) { return gelu_tanh_v<A>(v); };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {  // four vectors in lockstep
    map_unary_lockstep<A>(x, y, n, f, [](V(&v)[4]) __attribute__((always_inline)) {
      V wh[4], wl[4];
      each<4>([&](std::size_t k) __attribute__((always_inline)) {
        const split<A> a = gelu_tanh_arg<A>(xsimd::abs(v[k]));
        wh[k] = -a.hi;
        wl[k] = -a.lo;
      });
      x_sigmoid_lockstep<A, 4>(v, wh, wl);
    });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// dx = dy * gelu_tanh'(x), gelu_tanh'(x) = s + x v' s (1 - s), s = sigmoid(v), v' = K1 + 3 K3 x^2.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = s + |x v'| s (1 - s); e^-|v| (exp_reduced, 0.9 ULP)
//   from the double-float |v|. x is the forward input; +-inf -> dy * (1 or 0), NaN -> NaN.
template <class A>
void gelu_tanh_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  const auto f = [](V v, V g) __attribute__((always_inline)) {
    // e = e^-|v| from the double-float |v|: its rounding would otherwise move s by up to |v| 2^-24
    // relative where the s (1 - s) term dominates (x < -3).
    const split<A> av = gelu_tanh_arg<A>(xsimd::abs(v));
    const sigmoid_both<A> s = sigmoid_and_complement<A>(v, -av.hi, -av.lo);
    const V xc = min_keep_nan<A>(V(100.0f), max_keep_nan<A>(V(-100.0f), v));  // s (1 - s) = 0 beyond
    const V dv = fmadd<A>(V(3.0f * kGeluK3hi), xc * xc, V(kGeluK1hi));
    return g * fmadd<A>(xc * dv, s.s * s.one_minus_s, s.s);
  };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    // Four vectors in lockstep: f's operations (sigmoid_and_complement's), phase by phase.
    map_binary_lockstep<A>(x, dy, dx, n, f, [](V(&v)[4], const V(&g)[4]) __attribute__((always_inline)) {
      V z[4], zl[4], e[4];
      each<4>([&](std::size_t k) __attribute__((always_inline)) {
        const split<A> av = gelu_tanh_arg<A>(xsimd::abs(v[k]));
        const V wh = -av.hi;
        z[k] = max_keep_nan<A>(V(-104.0f), wh);
        zl[k] = xsimd::select(wh > V(-104.0f), -av.lo, V(0.0f));
      });
      exp_reduced<A, 4>(z, zl, e);
      each<4>([&](std::size_t k) __attribute__((always_inline)) { z[k] = divide<A>(V(1.0f), V(1.0f) + e[k]); });
      each<4>([&](std::size_t k) __attribute__((always_inline)) {
        const V big = z[k], small = e[k] * big;
        const auto pos = v[k] >= V(0.0f);
        const V ss = xsimd::select(pos, big, small), sc = xsimd::select(pos, small, big);
        const V xc = min_keep_nan<A>(V(100.0f), max_keep_nan<A>(V(-100.0f), v[k]));
        const V dv = fmadd<A>(V(3.0f * kGeluK3hi), xc * xc, V(kGeluK1hi));
        v[k] = g[k] * fmadd<A>(xc * dv, ss * sc, ss);
      });
    });
  } else {
    map_binary<A>(x, dy, dx, n, f);
  }
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
