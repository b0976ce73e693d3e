// SIMD building blocks shared by the op templates: exp with our own range reduction and polynomial.
//
// Included only from kernels/simd_ops.hpp, inside the per-ISA namespace simdact::SIMDACT_ISA_NS:
// every helper here therefore has a distinct symbol per ISA, so the linker can never merge the
// AVX-512 copy into the AVX2 path (the classic ODR/SIGILL trap).
#pragma once

#ifndef SIMDACT_ISA_NS
#error "simd_math.hpp is included by a per-ISA translation unit that defines SIMDACT_ISA_NS"
#endif

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif
#if defined(__ARM_NEON)
#include <arm_neon.h>
#endif

#define SIMDACT_INLINE inline __attribute__((always_inline))

namespace simdact {
namespace SIMDACT_ISA_NS {

template <class A>
using vf = xsimd::batch<float, A>;
template <class A>
using vi = xsimd::batch<int32_t, A>;

// a*b + c with one rounding. xsimd 8.1 has no fma for its AVX-512 architectures: its generic
// fallback is a multiply and an add (two roundings, and two instructions), so AVX-512 calls the
// intrinsic. fma3<avx2> and neon64 map xsimd::fma to vfmadd / vfmaq already.
template <class A>
SIMDACT_INLINE vf<A> fmadd(vf<A> a, vf<A> b, vf<A> c) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value) return _mm512_fmadd_ps(a, b, c);
#endif
  return xsimd::fma(a, b, c);
}

// a / b correctly rounded. xsimd 8.1's float division on neon64 is a reciprocal estimate refined by
// two Newton steps (not IEEE, up to ~2 ULP off): call vdivq_f32 there.
template <class A>
SIMDACT_INLINE vf<A> divide(vf<A> a, vf<A> b) {
#if defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value) return vdivq_f32(a, b);
#endif
  return a / b;
}

// 1/d approximately (relative error <= 2^-12 on x86, ~2^-16 on NEON after one Newton step): for
// corrections that are themselves ~2^-24 of the result.
template <class A>
SIMDACT_INLINE vf<A> recip_approx(vf<A> d) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value) return _mm512_rcp14_ps(d);
#elif defined(__AVX2__)
  if constexpr (std::is_same<A, xsimd::fma3<xsimd::avx2>>::value) return _mm256_rcp_ps(d);
#elif defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value) {
    const float32x4_t r = vrecpeq_f32(d);
    return vmulq_f32(r, vrecpsq_f32(d, r));
  }
#endif
  return vf<A>(1.0f) / d;
}

// max(c, v) that returns v when v is NaN, on every ISA: x86 maxps returns its second operand when
// either is NaN, and NEON's fmax returns NaN. Used for clamps that must let NaN through.
template <class A>
SIMDACT_INLINE vf<A> max_keep_nan(vf<A> c, vf<A> v) {
  return xsimd::max(c, v);
}
template <class A>
SIMDACT_INLINE vf<A> min_keep_nan(vf<A> c, vf<A> v) {
  return xsimd::min(c, v);
}

// ---------------------------------------------------------------------------------------------
// exp and expm1, from one range reduction and two minimax polynomials.
//
// Reduction: n = round(z / ln2), r = z - n*ln2 in two steps (Cody-Waite: n*LN2_HI is exact for
// |n| < 2^15 and z - n*LN2_HI is exact by Sterbenz), |r| <= ln2/2 (+ rounding); the second step's
// rounding is at most 2^-26 absolute (0.25 ULP of the result).
// Polynomials for e^r - 1 = r + r^2 Q(r) on [-ln2/2, ln2/2], minimax fits of relative error (tools:
// Lawson's algorithm in numpy, coefficients rounded to float):
//   Q6 (degree 6 in all): 3.1e-9 (exp_reduced, exp_split, expm1_pos);  Q5 (degree 5): 1.05e-7 (softmax).

template <class A>
struct reduced {
  vf<A> r;   // z - n*ln2
  vi<A> n;   // round(z / ln2)
  vf<A> nf;  // the same, as a float
};

// AVX-512 has vscalefps: p * 2^n in one instruction, with gradual underflow into the subnormals.
template <class A>
constexpr bool has_scalef = std::is_same<A, xsimd::avx512bw>::value;

// For z in [-150 ln2, 127 ln2] (callers clamp); zlo, a correction of z of at most 2^-20 |z|, is
// folded into r. NaN propagates into r.
template <class A>
SIMDACT_INLINE reduced<A> reduce_ln2(vf<A> z, vf<A> zlo) {
  using F = vf<A>;
  using I = vi<A>;
  const F magic(0x1.8p23f);  // adding it rounds to an integer held in the low mantissa bits
  const F t = fmadd<A>(z, F(0x1.715476p+0f), magic);
  const F n = t - magic;
  F r = fmadd<A>(n, F(-0x1.63p-1f), z);          // LN2_HI = 0.693359375, 9 bits
  r = fmadd<A>(n, F(0x1.bd0106p-13f), r + zlo);  // -LN2_LO: ln2 = LN2_HI - 2.12194440e-4
  return {r, xsimd::bitwise_cast<I>(t) - xsimd::bitwise_cast<I>(magic), n};
}

// Q6(r) and Q5(r) of e^r - 1 = r + r^2 Q(r). Neg = true evaluates Q(-r) instead: Horner on r with
// the odd coefficients negated, which rounds exactly as Horner on -r would (every partial result is
// the other's negation or equal), so callers that hold -r save the negation.
template <class A, bool Neg = false>
SIMDACT_INLINE vf<A> q6(vf<A> r) {
  using F = vf<A>;
  constexpr float o = Neg ? -1.0f : 1.0f;
  F q = F(0x1.6a23cep-10f);
  q = fmadd<A>(q, r, F(o * 0x1.123a20p-7f));
  q = fmadd<A>(q, r, F(0x1.5558f2p-5f));
  q = fmadd<A>(q, r, F(o * 0x1.555492p-3f));
  return fmadd<A>(q, r, F(0x1.fffffcp-2f));
}
template <class A, bool Neg = false>
SIMDACT_INLINE vf<A> q5(vf<A> r) {
  using F = vf<A>;
  constexpr float o = Neg ? -1.0f : 1.0f;
  F q = F(o * 0x1.106250p-7f);
  q = fmadd<A>(q, r, F(0x1.572a64p-5f));
  q = fmadd<A>(q, r, F(o * 0x1.5557b0p-3f));
  return fmadd<A>(q, r, F(0x1.fffdfcp-2f));
}

// 2^n for n in [-126, 127]: the exponent field.
template <class A>
SIMDACT_INLINE vf<A> pow2(vi<A> n) {
  return xsimd::bitwise_cast<vf<A>>((n + vi<A>(127)) << 23);
}

// e^(+-z) = 2^n e^(+-r) with 2^n as a float, for the table-free AVX2 kernels (sigmoid, tanh).
//   n = round(+-z / ln2) by the magic-bias FMA; the magic 1.5 * 2^23 + 127 leaves n + 127 in the low
//   mantissa bits, so bits(t) << 23 is 2^n itself (the exponent field; n = -127 gives +0, n = 128
//   gives +inf; callers clamp z so that n stays in [-127, 128]) and t - magic = n exactly.
//   r in two Cody-Waite steps (n ln2_hi is exact, the first sum exact by Sterbenz), |r| <= ln2/2
//   (+ rounding; the second step rounds r once, <= 2^-26 absolute).
//   Neg = false: e^z = 2^n e^r with r = z - n ln2. Neg = true: e^-z = 2^n e^-r with r = z + n ln2
//   (so a caller with z = x needs no negation: its polynomial is taken at -r, see q6<A, true>).
template <class A>
struct pow2_split {
  vf<A> p2;  // 2^n
  vf<A> r;
};
template <class A, bool Neg>
SIMDACT_INLINE pow2_split<A> exp_pow2_split(vf<A> z) {
  using F = vf<A>;
  using I = vi<A>;
  constexpr float o = Neg ? 1.0f : -1.0f;
  const F magic(0x1.8000FEp23f);  // 1.5 * 2^23 + 127
  const F t = fmadd<A>(z, F(-o * 0x1.715476p+0f), magic);
  const F p2 = xsimd::bitwise_cast<F>(xsimd::bitwise_cast<I>(t) << 23);
  const F n = t - magic;
  F r = fmadd<A>(n, F(o * 0x1.63p-1f), z);  // ln2 = 0x1.63p-1 - 0x1.bd0106p-13
  r = fmadd<A>(n, F(o * -0x1.bd0106p-13f), r);
  return {p2, r};
}

// p * 2^n for n in [-150, 127] with gradual underflow: vscalefps on AVX-512; elsewhere the product
// of two normal powers 2^(n>>1) * 2^(n-(n>>1)) (one extra rounding only for subnormal results).
template <class A>
SIMDACT_INLINE vf<A> scale2n(vf<A> p, const reduced<A>& x) {
#if defined(__AVX512F__)
  if constexpr (has_scalef<A>) return _mm512_scalef_ps(p, x.nf);
#endif
  const vi<A> n1 = x.n >> 1;
  return (p * pow2<A>(n1)) * pow2<A>(x.n - n1);
}

// e^(z + zlo) for z in [-104, 88] (callers clamp); NaN in z propagates.
//   2^n is applied as the product of two normal powers 2^(n>>1) * 2^(n-(n>>1)), so results down to
//   e^-104 round gradually into the subnormals instead of being flushed.
//   Error: <= 0.9 ULP for normal results (reduction 0.25, polynomial 0.05, final add 0.5, FMA
//   evaluation ~0.1); subnormal results carry one extra rounding.
template <class A>
SIMDACT_INLINE vf<A> exp_reduced(vf<A> z, vf<A> zlo) {
  using F = vf<A>;
  const reduced<A> x = reduce_ln2<A>(z, zlo);
  const F p = fmadd<A>(x.r * x.r, q6<A>(x.r), x.r) + F(1.0f);
  return scale2n<A>(p, x);
}

template <class A>
SIMDACT_INLINE vf<A> exp_reduced(vf<A> z) {
  return exp_reduced<A>(z, vf<A>(0.0f));
}

// exp_reduced of K vectors in lockstep (the AVX2 lockstep kernels, kernels/simd_ops.hpp): out[k] =
// e^(z[k] + zlo[k]), phase by phase, the operations of the one-vector form (which stays as it is:
// the other ISAs' code is not touched).
template <class A, std::size_t K>
SIMDACT_INLINE void exp_reduced(const vf<A> (&z)[K], const vf<A> (&zlo)[K], vf<A> (&out)[K]) {
  using F = vf<A>;
  reduced<A> x[K];
  for (std::size_t k = 0; k < K; ++k) x[k] = reduce_ln2<A>(z[k], zlo[k]);
  for (std::size_t k = 0; k < K; ++k) out[k] = fmadd<A>(x[k].r * x[k].r, q6<A>(x[k].r), x[k].r) + F(1.0f);
  for (std::size_t k = 0; k < K; ++k) out[k] = scale2n<A>(out[k], x[k]);
}

// e^z as an unevaluated sum hi + lo, for z in [-104, 0]: the last rounding of exp_reduced (1 + s)
// is kept in lo (Fast2Sum, exact since |s| < 1), so hi + lo carries only the reduction and
// polynomial errors (<= 0.35 ULP). Scaled like exp_reduced; lo may underflow where hi is subnormal.
template <class A>
struct split {
  vf<A> hi, lo;
};
// The rounding error of s = fl(a + b), any magnitudes (TwoSum): a + b = s + two_sum_err(a, b, s)
// exactly (NaN where s is not finite).
template <class A>
SIMDACT_INLINE vf<A> two_sum_err(vf<A> a, vf<A> b, vf<A> s) {
  const vf<A> bp = s - a;
  return (a - (s - bp)) + (b - bp);
}
template <class A>
SIMDACT_INLINE split<A> exp_split(vf<A> z, vf<A> zlo = vf<A>(0.0f)) {
  using F = vf<A>;
  const reduced<A> x = reduce_ln2<A>(z, zlo);
  const F s = fmadd<A>(x.r * x.r, q6<A>(x.r), x.r);
  const F hi = F(1.0f) + s;
  const F lo = s - (hi - F(1.0f));  // hi - 1 is exact (Sterbenz), so is lo
  return {scale2n<A>(hi, x), scale2n<A>(lo, x)};
}

// e^u - 1 for u in [0, 88], degree-6 polynomial: 2^n (e^r - 1) + (2^n - 1) with one rounding, so
// small u keep full relative accuracy (n = 0: just r + r^2 Q6, no cancellation); subnormal u give u.
template <class A>
SIMDACT_INLINE vf<A> expm1_pos(vf<A> u) {
  using F = vf<A>;
  const reduced<A> x = reduce_ln2<A>(u, F(0.0f));
  const F em1r = fmadd<A>(x.r * x.r, q6<A>(x.r), x.r);
  F p2 = pow2<A>(x.n);
#if defined(__AVX512F__)
  if constexpr (has_scalef<A>) p2 = _mm512_scalef_ps(F(1.0f), x.nf);
#endif
  return fmadd<A>(p2, em1r, p2 - F(1.0f));
}

// ---------------------------------------------------------------------------------------------
// Float vectors widened to two double vectors (lanes [0, W/2) and [W/2, W)) and narrowed back with
// one rounding per lane: for sums and differences that must not round in float (log-softmax).
template <class A>
using vd = xsimd::batch<double, A>;
template <class A>
struct wide {
  vd<A> lo, hi;
};
template <class A>
SIMDACT_INLINE wide<A> widen(vf<A> v) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value)
    return {_mm512_cvtps_pd(_mm512_castps512_ps256(v)), _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1))};
#elif defined(__AVX2__)
  if constexpr (std::is_same<A, xsimd::fma3<xsimd::avx2>>::value)
    return {_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))};
#elif defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value)
    return {vcvt_f64_f32(vget_low_f32(v)), vcvt_high_f64_f32(v)};
#endif
  alignas(64) float f[vf<A>::size];
  alignas(64) double d[vf<A>::size];
  v.store_aligned(f);
  for (std::size_t i = 0; i < vf<A>::size; ++i) d[i] = f[i];
  return {vd<A>::load_aligned(d), vd<A>::load_aligned(d + vd<A>::size)};
}
template <class A>
SIMDACT_INLINE vf<A> narrow(vd<A> lo, vd<A> hi) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value)
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1);
#elif defined(__AVX2__)
  if constexpr (std::is_same<A, xsimd::fma3<xsimd::avx2>>::value)
    return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
#elif defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value) return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
#endif
  alignas(64) float f[vf<A>::size];
  alignas(64) double d[vf<A>::size];
  lo.store_aligned(d);
  hi.store_aligned(d + vd<A>::size);
  for (std::size_t i = 0; i < vf<A>::size; ++i) f[i] = static_cast<float>(d[i]);
  return vf<A>::load_aligned(f);
}

// ---------------------------------------------------------------------------------------------
// Register table lookups t[i] (piecewise polynomials keep their coefficients in a table per degree).
// i must lie in [0, 16) resp. [0, 32); t is a constant table of the caller (its loads are hoisted
// out of the loops). AVX-512: one vpermps (vpermi2ps for 32 entries); AVX2: two resp. four vpermps
// and blends on the index bits; NEON: byte-table lookups (tbl) of the four bytes of each lane.

// t[i] lane by lane through memory: the fallback of the lookups below for an ISA without its own.
template <class A>
SIMDACT_INLINE vf<A> lut_generic(const float* t, vi<A> i) {
  alignas(64) int32_t idx[vf<A>::size];
  alignas(64) float out[vf<A>::size];
  i.store_aligned(idx);
  for (std::size_t k = 0; k < vf<A>::size; ++k) out[k] = t[idx[k]];
  return vf<A>::load_aligned(out);
}

template <class A>
SIMDACT_INLINE vf<A> lut16(const float* t, vi<A> i) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value) return _mm512_permutexvar_ps(i, _mm512_loadu_ps(t));
#elif defined(__AVX2__)
  if constexpr (std::is_same<A, xsimd::fma3<xsimd::avx2>>::value) {
    const __m256 lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i);
    const __m256 hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 8), i);
    return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(i, 28)));  // bit 3 -> sign
  }
#elif defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value) {
    // byte k of lane j = 4*i_j + k
    const uint8x16_t b = vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(i), 0x04040404u));
    const uint8x16x4_t tb = {{vld1q_u8(reinterpret_cast<const uint8_t*>(t)), vld1q_u8(reinterpret_cast<const uint8_t*>(t + 4)),
                              vld1q_u8(reinterpret_cast<const uint8_t*>(t + 8)), vld1q_u8(reinterpret_cast<const uint8_t*>(t + 12))}};
    return vreinterpretq_f32_u8(vqtbl4q_u8(tb, b));
  }
#endif
  return lut_generic<A>(t, i);
}

template <class A>
SIMDACT_INLINE vf<A> lut32(const float* t, vi<A> i) {
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value) {
    return _mm512_permutex2var_ps(_mm512_loadu_ps(t), i, _mm512_loadu_ps(t + 16));
  }
#elif defined(__AVX2__)
  if constexpr (std::is_same<A, xsimd::fma3<xsimd::avx2>>::value) {
    const __m256 b3 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 28));
    const __m256 b4 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 27));
    const __m256 q0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i);
    const __m256 q1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 8), i);
    const __m256 q2 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 16), i);
    const __m256 q3 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 24), i);
    return _mm256_blendv_ps(_mm256_blendv_ps(q0, q1, b3), _mm256_blendv_ps(q2, q3, b3), b4);
  }
#elif defined(__aarch64__)
  if constexpr (std::is_same<A, xsimd::neon64>::value) {
    const uint8x16_t b = vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(i), 0x04040404u));
    const uint8_t* u = reinterpret_cast<const uint8_t*>(t);
    const uint8x16x4_t t0 = {{vld1q_u8(u), vld1q_u8(u + 16), vld1q_u8(u + 32), vld1q_u8(u + 48)}};
    const uint8x16x4_t t1 = {{vld1q_u8(u + 64), vld1q_u8(u + 80), vld1q_u8(u + 96), vld1q_u8(u + 112)}};
    // tbl gives 0 for byte indices >= 64; tbx keeps the previous byte there.
    return vreinterpretq_f32_u8(vqtbx4q_u8(vqtbl4q_u8(t0, b), t1, vsubq_u8(b, vdupq_n_u8(64))));
  }
#endif
  return lut_generic<A>(t, i);
}

// Piecewise polynomials on 16 intervals of width 1 centred at the integers (sigmoid, softplus, gelu):
// the slot k = round(a) for 0 <= a < 2^22, from the low mantissa bits of a + 1.5 * 2^23 (AVX-512
// leaves the higher bits: vpermps ignores them), and t = a - k, exact (Sterbenz for k >= 1, t = a
// for k = 0; vreduceps on AVX-512). NaN propagates into t.
template <class A>
struct unit_slot {
  vf<A> t;
  vi<A> k;
};
template <class A>
SIMDACT_INLINE unit_slot<A> slot_of(vf<A> a) {
  using V = vf<A>;
  using I = vi<A>;
  const V magic(0x1.8p23f);
  const V r = a + magic;
  I k = xsimd::bitwise_cast<I>(r);
#if defined(__AVX512F__)
  if constexpr (std::is_same<A, xsimd::avx512bw>::value) return {_mm512_reduce_ps(a, 0), k};  // a - rne(a)
#endif
  return {a - (r - magic), k & I(15)};
}

// sum_i c[N-1-i][k] t^i in Horner form with FMAs: c lists the coefficient tables from the highest
// degree down, each indexed by the slot (lut16: one vpermps per coefficient on AVX-512).
template <class A, std::size_t N>
SIMDACT_INLINE vf<A> horner_lut16(const float* const (&c)[N], vi<A> k, vf<A> t) {
  vf<A> p = lut16<A>(c[0], k);
  for (std::size_t i = 1; i < N; ++i) p = fmadd<A>(p, t, lut16<A>(c[i], k));
  return p;
}

// ISA-specific pieces xsimd 8.1 lacks (masked memory access, max reduction). Each translation unit
// is compiled for one ISA, so the preprocessor tells which intrinsics exist; the generic fallback
// serves the others. `is_arch<A, X>` guards against instantiating one ISA's branch for another.
template <class A, class X>
constexpr bool is_arch = std::is_same<A, X>::value;

// Lanes [0, n) from p, the others `fill`; n < lanes. Reads nothing at or past p + n (masked loads
// do not fault on masked-off lanes), so a buffer may end right before a guard page.
template <class A>
SIMDACT_INLINE vf<A> load_partial(const float* p, std::size_t n, float fill) {
#if defined(__AVX512F__)
  if constexpr (is_arch<A, xsimd::avx512bw>) {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), static_cast<__mmask16>((1u << n) - 1u), p);
  }
#elif defined(__AVX2__)
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
#endif
  alignas(64) float buf[vf<A>::size];
  for (std::size_t i = 0; i < vf<A>::size; ++i) buf[i] = i < n ? p[i] : fill;
  return vf<A>::load_aligned(buf);
}

// Stores lanes [0, n) of v to p; n < lanes. Writes nothing else.
template <class A>
SIMDACT_INLINE void store_partial(float* p, std::size_t n, vf<A> v) {
#if defined(__AVX512F__)
  if constexpr (is_arch<A, xsimd::avx512bw>) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
    return;
  }
#elif defined(__AVX2__)
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    // 4, 2 and 1 lanes with SSE stores: vmaskmovps to memory is microcoded on AMD (cols-10 softmax
    // backward ran at 0.77x of a plain loop with it).
    __m128 part = _mm256_castps256_ps128(v);
    if (n & 4) {
      _mm_storeu_ps(p, part);
      part = _mm256_extractf128_ps(v, 1);
      p += 4;
    }
    if (n & 2) {
      _mm_storel_pi(reinterpret_cast<__m64*>(p), part);
      part = _mm_movehl_ps(part, part);
      p += 2;
    }
    if (n & 1) _mm_store_ss(p, part);
    return;
  }
#endif
  alignas(64) float buf[vf<A>::size];
  v.store_aligned(buf);
  for (std::size_t i = 0; i < n; ++i) p[i] = buf[i];
}

// Stores v to p (aligned to the vector size) with a non-temporal store where the ISA has one (AVX2,
// AVX-512): the line goes to memory without being read first (no read-for-ownership). Callers end
// the kernel with stream_fence<A>() so the stores are ordered before the kernel returns.
template <class A>
SIMDACT_INLINE void store_stream(float* p, vf<A> v) {
#if defined(__AVX512F__)
  if constexpr (is_arch<A, xsimd::avx512bw>) {
    _mm512_stream_ps(p, v);
    return;
  }
#elif defined(__AVX2__)
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    _mm256_stream_ps(p, v);
    return;
  }
#endif
  v.store_aligned(p);
}
template <class A>
SIMDACT_INLINE void stream_fence() {
#if defined(__AVX2__) || defined(__AVX512F__)
  _mm_sfence();
#endif
}
template <class A>
constexpr bool has_stream = is_arch<A, xsimd::avx512bw> || is_arch<A, xsimd::fma3<xsimd::avx2>>;

// Sum of the lanes.
template <class A>
SIMDACT_INLINE float hsum(vf<A> v) {
  return xsimd::hadd(v);
}

// Largest lane. A NaN lane may or may not win (x86 ignores it, NEON returns it): callers detect NaN
// elsewhere.
template <class A>
SIMDACT_INLINE float hmax(vf<A> v) {
#if defined(__AVX512F__)
  if constexpr (is_arch<A, xsimd::avx512bw>) return _mm512_reduce_max_ps(v);
#elif defined(__AVX2__)
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
  }
#elif defined(__aarch64__)
  if constexpr (is_arch<A, xsimd::neon64>) return vmaxvq_f32(v);
#endif
  alignas(64) float lanes[vf<A>::size];
  v.store_aligned(lanes);
  float m = lanes[0];
  for (std::size_t i = 1; i < vf<A>::size; ++i) m = lanes[i] > m ? lanes[i] : m;
  return m;
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
