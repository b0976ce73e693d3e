// gelu (erf form) and gelu_tanh (the tanh approximation), forward and backward. Included by
// kernels/simd_ops.hpp after ops_silu.hpp (x_sigmoid, exp_split_scaled64 and sigmoid_and_complement
// are there).
#pragma once

#ifndef SIMDACT_ISA_NS
#error "included by kernels/simd_ops.hpp inside a per-ISA translation unit"
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
alignas(64) static constexpr float kGeluC0hi[16] = {0x1p-1f, 0x1.0bdb2ep-2f, 0x1.5845dcp-2f, 0x1.754a76p-2f, 0x1.82b4bcp-2f, 0x1.89d3acp-2f, 0x1.8e010ep-2f, 0x1.90a4fcp-2f, 0x1.926972p-2f, 0x1.93a64ep-2f, 0x1.948c6ep-2f, 0x1.95389ep-2f, 0x1.95bcb4p-2f, 0x1.96242ep-2f, 0x1.9676b8p-2f, 0x1.96b996p-2f};
alignas(64) static constexpr float kGeluC0lo[16] = {0.0f, 0x1.cef98ep-33f, 0x1.5a54aap-27f, -0x1.cb5216p-27f, -0x1.cdac8cp-28f, -0x1.e06a52p-30f, -0x1.a8ebe2p-27f, 0x1.8fef02p-27f, 0x1.7a866ep-29f, 0x1.61f1bcp-27f, -0x1.89d5dap-28f, -0x1.199a6ap-28f, -0x1.4e8d6ap-28f, -0x1.32f026p-30f, -0x1.fda6c4p-29f, 0x1.8ff4cap-28f};
alignas(64) static constexpr float kGeluC1[16] = {0x1.988452p-2f, 0x1.fcc812p-4f, 0x1.5d300ap-5f, 0x1.2c08cap-6f, 0x1.2dda04p-7f, 0x1.542a9ap-8f, 0x1.a0eee4p-9f, 0x1.106374p-9f, 0x1.7625d6p-10f, 0x1.0b6e08p-10f, 0x1.8af23ep-11f, 0x1.2b9aa2p-11f, 0x1.d0fb64p-12f, 0x1.6fdc4p-12f, 0x1.27e806p-12f, 0x1.e2fd9p-13f};
alignas(64) static constexpr float kGeluC2[16] = {0.0f, -0x1.34412cp-4f, -0x1.49878ep-6f, -0x1.c642e8p-8f, -0x1.78fbcp-9f, -0x1.66fd6p-10f, -0x1.7b5976p-11f, -0x1.b2792cp-12f, -0x1.0926d2p-12f, -0x1.54ab2cp-13f, -0x1.c8803p-14f, -0x1.3cc448p-14f, -0x1.c4cf74p-15f, -0x1.4becfap-15f, -0x1.f15cf6p-16f, -0x1.7bc8a8p-16f};
alignas(64) static constexpr float kGeluC3[16] = {-0x1.10573cp-4f, 0x1.2f4c66p-5f, 0x1.03011ep-7f, 0x1.239daap-9f, 0x1.943c6ap-11f, 0x1.480f86p-12f, 0x1.2cab1ap-13f, 0x1.2f20a6p-14f, 0x1.49cd2ap-15f, 0x1.7db9a4p-16f, 0x1.d0f2b4p-17f, 0x1.27860ap-17f, 0x1.857a24p-18f, 0x1.08c97p-18f, 0x1.71bb64p-19f, 0x1.0854a4p-19f};
alignas(64) static constexpr float kGeluC4[16] = {0.0f, -0x1.031bc6p-6f, -0x1.68901ep-9f, -0x1.506ec4p-11f, -0x1.899576p-13f, -0x1.124552p-14f, -0x1.b6596p-16f, -0x1.868ac6p-17f, -0x1.7bd4e4p-18f, -0x1.8ce3bap-19f, -0x1.b825b6p-20f, -0x1.0095a2p-20f, -0x1.382424p-21f, -0x1.89e1bep-22f, -0x1.008b0ap-22f, -0x1.5790ecp-23f};
alignas(64) static constexpr float kGeluC5[16] = {0x1.46637ep-7f, 0x1.8dbb6p-8f, 0x1.ca9a7ap-11f, 0x1.66b53ep-13f, 0x1.65394p-15f, 0x1.af9332p-17f, 0x1.2d8104p-18f, 0x1.ddda82p-20f, 0x1.9c6982p-21f, 0x1.7ecca4p-22f, 0x1.822c92p-23f, 0x1.96009ap-24f, 0x1.ecb146p-25f, 0x1.0b0a32p-25f, 0x1.869248p-26f, 0x1.c3226cp-27f};
alignas(64) static constexpr float kGeluC6[16] = {0.0f, -0x1.28036ep-9f, -0x1.18ed42p-12f, -0x1.70895ep-15f, -0x1.38b1b6p-17f, -0x1.44a88p-19f, -0x1.8f1b18p-21f, -0x1.1797p-22f, -0x1.b4753ep-24f, -0x1.745eecp-25f, -0x1.571aep-26f, -0x1.506414p-27f, -0x1.62f2c8p-28f, -0x1.864accp-29f, -0x1.b1138ep-30f, -0x1.001714p-30f};
alignas(64) static constexpr float kGeluC7[16] = {-0x1.25d76p-10f, 0x1.9650cep-11f, 0x1.38f364p-14f, 0x1.5efe36p-17f, 0x1.01af9cp-19f, 0x1.79db2cp-22f, 0x1.d6ac8cp-24f, 0x1.76abcep-26f, 0x1.9264dap-26f, 0x1.abdddcp-26f, 0x1.c524f4p-27f, 0x1.748f3ep-27f, -0x1.f03e4cp-29f, 0x1.f0bbb2p-29f, -0x1.c45462p-28f, -0x1.a7e92ap-30f};

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

// gelu(x) = x Phi(x) = x/2 (1 + erf(x / sqrt 2)), the erf form.
//   Max error: 2 ULP for every result >= FLT_MIN, proven on all 2^32 inputs by the exhaustive test
//   (measured: README). Subnormal results (x < ~-13.2) within 4 x 2^-149, -0 further down.
//   Range: all floats, no overflow (x >= 15.5 gives x, x <= -15.5 gives -0).
//   Special values: +inf -> +inf, -inf -> -0, NaN -> NaN, +-0 -> +-0.
//   Method: |x| <= 1/2: x/2 + x (x P(x)) in one FMA; else -S e resp. x - S e (gelu_eval: table
//   polynomial, C0 and t P as pairs, e^(-x^2/2) as hi + lo from the exact x^2). No erf, no branch.
template <class A>
SIMDACT_INLINE vf<A> gelu_v(vf<A> x) {
  using V = vf<A>;
  const gelu_parts<A> g = gelu_eval<A>(x);
  const V s = g.se * V(kUnscale64);
  V y = xsimd::select(x < V(0.0f), -s, x - s);
  y = xsimd::select(g.slot0, fmadd<A>(x, g.tp, V(0.5f) * x), y);
  return xsimd::select(g.far, xsimd::select(x > V(0.0f), x, V(-0.0f)), y);
}

template <class A>
void gelu(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) __attribute__((always_inline)) { return gelu_v<A>(v); });
}

// For the backward op: R(a) = Q(a) e^(a^2/2) itself (tools/fit_gelu.py --mode R: 16 intervals of
// width 1, degree 7 in t = a - k; sampled float evaluation 0.98 ULP), so that Q = e R needs no division.
alignas(64) static constexpr float kGeluRC0[16] = {0x1p-1f, 0x1.0bdb2ep-2f, 0x1.5845dcp-3f, 0x1.f1b89cp-4f, 0x1.82b4bcp-4f, 0x1.3b0fbcp-4f, 0x1.095608p-4f, 0x1.c9e12p-5f, 0x1.926972p-5f, 0x1.66ccb8p-5f, 0x1.43a38ap-5f, 0x1.26b4dp-5f, 0x1.0e7dcep-5f, 0x1.f3ddc2p-6f, 0x1.d087aep-6f, 0x1.b1d706p-6f};
alignas(64) static constexpr float kGeluRC1[16] = {-0x1.988452p-2f, -0x1.19524cp-3f, -0x1.00f9dap-4f, -0x1.19cef2p-5f, -0x1.5cf97cp-6f, -0x1.d614ecp-7f, -0x1.5068c2p-7f, -0x1.f7d59ep-8f, -0x1.86b844p-8f, -0x1.378124p-8f, -0x1.fbf2dp-9f, -0x1.a5dac2p-9f, -0x1.63cfc8p-9f, -0x1.3012a8p-9f, -0x1.06cdbep-9f, -0x1.cabcdap-10f};
alignas(64) static constexpr float kGeluRC2[16] = {0x1.ffff84p-3f, 0x1.fcc8acp-5f, 0x1.5d31a8p-6f, 0x1.2c093cp-7f, 0x1.2dd804p-8f, 0x1.5430e4p-9f, 0x1.a0fa86p-10f, 0x1.106b66p-10f, 0x1.762922p-11f, 0x1.0b6926p-11f, 0x1.8b1202p-12f, 0x1.2b9384p-12f, 0x1.d0bc6ap-13f, 0x1.6fea98p-13f, 0x1.27d3bap-13f, 0x1.e337b4p-14f};
alignas(64) static constexpr float kGeluRC3[16] = {-0x1.105002p-3f, -0x1.9aff68p-6f, -0x1.b75fap-8f, -0x1.2ed726p-9f, -0x1.f6a1f4p-11f, -0x1.dea54ep-12f, -0x1.fa0bp-13f, -0x1.21a3fap-13f, -0x1.6185dap-14f, -0x1.c62dd8p-15f, -0x1.305496p-15f, -0x1.a658ecp-16f, -0x1.2de556p-16f, -0x1.babff8p-17f, -0x1.4b9f92p-17f, -0x1.fa4e86p-18f};
alignas(64) static constexpr float kGeluRC4[16] = {0x1.fef6aap-5f, 0x1.2f135ep-7f, 0x1.0269e2p-9f, 0x1.234658p-11f, 0x1.96e06cp-13f, 0x1.3faf88p-14f, 0x1.1dca3cp-15f, 0x1.19fc8ep-16f, 0x1.4105e6p-17f, 0x1.97b386p-18f, 0x1.27eaf8p-19f, 0x1.4d6316p-19f, 0x1.6a4a78p-19f, 0x1.6c29ap-21f, 0x1.24df4p-20f, -0x1.68420cp-24f};
alignas(64) static constexpr float kGeluRC5[16] = {-0x1.aaae5ap-6f, -0x1.9f2442p-9f, -0x1.206b1ep-11f, -0x1.0cc90ap-13f, -0x1.3c26f4p-15f, -0x1.b86644p-17f, -0x1.052cc8p-18f, -0x1.3c0862p-19f, -0x1.355214p-20f, -0x1.513ad6p-21f, -0x1.630bacp-22f, -0x1.a1aa3ep-23f, -0x1.cd0b92p-24f, 0x1.2c26d6p-25f, -0x1.47eac8p-25f, -0x1.509ea8p-25f};
alignas(64) static constexpr float kGeluRC6[16] = {0x1.28888cp-7f, 0x1.156186p-10f, 0x1.50d63ep-13f, 0x1.0148d4p-15f, 0x1.fff8eep-19f, 0x1.f5be74p-18f, 0x1.6a2838p-18f, 0x1.ea7d14p-19f, 0x1.bb6da2p-21f, -0x1.049e36p-20f, 0x1.c65fe8p-19f, -0x1.8acb7ap-21f, -0x1.bd16d6p-19f, 0x1.d03734p-21f, -0x1.1ec52p-20f, 0x1.9ca374p-20f};
alignas(64) static constexpr float kGeluRC7[16] = {-0x1.f9e0d8p-10f, -0x1.47b9fap-12f, -0x1.41cce8p-15f, -0x1.d23b76p-18f, -0x1.1307cap-20f, -0x1.0ed7fap-22f, -0x1.ede4eap-19f, 0x1.1a02a4p-26f, 0x1.c078c6p-26f, 0x1.20b76ep-24f, 0x1.639ddep-29f, 0x1.67c43cp-28f, -0x1.3f9fc8p-26f, -0x1.8d4922p-22f, -0x1.4deefcp-26f, 0x1.e95724p-27f};
static constexpr const float* kGeluR[] = {kGeluRC7, kGeluRC6, kGeluRC5, kGeluRC4, kGeluRC3, kGeluRC2, kGeluRC1, kGeluRC0};
// AVX2: R(a) from 8 slots of width 2 instead (k = round(a/2), t = a - 2k, slot 0 on [0, 1], slot 7 on
// [13, 15]; degree 8, highest coefficient first; tools/fit_gelu_r8.py: float Horner within 2.51 x
// 2^-24 relative of R on every slot), so that each coefficient is one vpermps, not two and a blend
// (gelu_backward, Zen 5: ~1.3x; on Zen 1, where vpermps is microcoded, 9 permutes instead of 16).
alignas(32) static constexpr float kGeluR8[9][8] = {
    {0x1.5c76ep-12f, 0x1.4e4cfep-17f, 0x1.0be4f2p-22f, 0x1.04637p-26f, 0x1.c6e06ep-30f, 0x1.289b86p-32f, 0x1.01472ep-34f, 0x1.13e026p-36f},
    {-0x1.3b8ac8p-9f, -0x1.60bd58p-15f, -0x1.787b4ap-20f, -0x1.d7cc4p-24f, -0x1.ffd6dap-27f, -0x1.9199a6p-29f, -0x1.98d1c6p-31f, -0x1.f8112p-33f},
    {0x1.2cc5c4p-7f, 0x1.30cd2cp-13f, 0x1.dbbd08p-18f, 0x1.916d84p-21f, 0x1.14913p-23f, 0x1.086b08p-25f, 0x1.3e3c82p-27f, 0x1.c57e4cp-29f},
    {-0x1.a8918p-6f, -0x1.1e8dcp-11f, -0x1.3a4b9ep-15f, -0x1.5e7442p-18f, -0x1.2fc79cp-20f, -0x1.601042p-22f, -0x1.f36612p-24f, -0x1.9a71b2p-25f},
    {0x1.fe2062p-5f, 0x1.0301bap-9f, 0x1.943d58p-13f, 0x1.2caba4p-15f, 0x1.49cbecp-17f, 0x1.d0ed7p-19f, 0x1.857dfap-20f, 0x1.71c804p-21f},
    {-0x1.104126p-3f, -0x1.b77134p-8f, -0x1.f6a7b2p-11f, -0x1.f9cd22p-13f, -0x1.61893p-14f, -0x1.30557cp-15f, -0x1.2ddfa4p-16f, -0x1.4b935p-17f},
    {0x1.fffdbcp-3f, 0x1.5d3026p-6f, 0x1.2dda04p-8f, 0x1.a0eee4p-10f, 0x1.7625d6p-11f, 0x1.8af23ep-12f, 0x1.d0fb64p-13f, 0x1.27e806p-13f},
    {-0x1.988448p-2f, -0x1.00f9c4p-4f, -0x1.5cf97ap-6f, -0x1.5068c2p-7f, -0x1.86b844p-8f, -0x1.fbf2dp-9f, -0x1.63cfc8p-9f, -0x1.06cdbep-9f},
    {0x1p-1f, 0x1.5845dcp-3f, 0x1.82b4bcp-4f, 0x1.095608p-4f, 0x1.926972p-5f, 0x1.43a38ap-5f, 0x1.0e7dcep-5f, 0x1.d087aep-6f},
};

// dx = dy * gelu'(x), gelu'(x) = Phi(x) + x phi(x); x is the forward input.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = Phi(x) + |x| phi(x) (the terms cancel near x = -0.75).
//   With a = |x|, e = e^(-a^2/2) (exp_reduced from the exact a^2: 0.9 ULP) and D = R(a) - a/sqrt(2 pi)
//   (R from its table): gelu'(x) = e D for x < 0 and 1 - e D for x >= 0 (Phi = Q or 1 - Q, Q = e R;
//   x phi = x e / sqrt(2 pi)). No division, no branch; a is clamped to <= 15 for the table (e = 0
//   beyond). +inf -> dy, -inf -> dy * 0, NaN -> NaN.
template <class A>
void gelu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  map_binary<A>(x, dy, dx, n, [](V v, V g) __attribute__((always_inline)) {
    const V a = xsimd::abs(v);
    V ac, r;
    if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
      // a >= 14.9375 reads R(14.9375): e <= e^-104 there, the difference is inside the 2^-126 |dy| term.
      ac = min_keep_nan<A>(V(14.9375f), a);
      const V magic(0x1.8p23f);
      const V rk = fmadd<A>(ac, V(0.5f), magic);  // round(a/2) in the low mantissa bits
      const vi<A> k = xsimd::bitwise_cast<vi<A>>(rk);
      const V t = fmadd<A>(V(-2.0f), rk - magic, ac);  // a - 2k, exact (Sterbenz for k >= 1)
      r = tanh_lut8<A>(kGeluR8[0], k);
      for (std::size_t i = 1; i < 9; ++i) r = fmadd<A>(r, t, tanh_lut8<A>(kGeluR8[i], k));
    } else {
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
  map_unary<A>(x, y, n, [](vf<A> v) __attribute__((always_inline)) { return gelu_tanh_v<A>(v); });
}

// dx = dy * gelu_tanh'(x), gelu_tanh'(x) = s + x v' s (1 - s), s = sigmoid(v), v' = K1 + 3 K3 x^2.
//   Max error: 2^-21 |dy| T(x) + 2^-126 |dy|, T = s + |x v'| s (1 - s); e^-|v| (exp_reduced, 0.9 ULP)
//   from the double-float |v|. x is the forward input; +-inf -> dy * (1 or 0), NaN -> NaN.
template <class A>
void gelu_tanh_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  using V = vf<A>;
  map_binary<A>(x, dy, dx, n, [](V v, V g) __attribute__((always_inline)) {
    // e = e^-|v| from the double-float |v|: its rounding would otherwise move s by up to |v| 2^-24
    // relative where the s (1 - s) term dominates (x < -3).
    const split<A> av = gelu_tanh_arg<A>(xsimd::abs(v));
    const sigmoid_both<A> s = sigmoid_and_complement<A>(v, -av.hi, -av.lo);
    const V xc = min_keep_nan<A>(V(100.0f), max_keep_nan<A>(V(-100.0f), v));  // s (1 - s) = 0 beyond
    const V dv = fmadd<A>(V(3.0f * kGeluK3hi), xc * xc, V(kGeluK1hi));
    return g * fmadd<A>(xc * dv, s.s * s.one_minus_s, s.s);
  });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
