// SIMD building blocks shared by the op templates: exp with our own range reduction and polynomial,
// written once over the ISA primitives of kernels/arch/ (no ISA-specific code here).
//
// Included only from kernels/drivers.hpp, inside the per-ISA namespace simdact::SIMDACT_ISA_NS:
// every helper here therefore has a distinct symbol per ISA, so the linker can never merge the
// AVX-512 copy into the AVX2 path (the classic ODR/SIGILL trap).
#pragma once

#ifndef SIMDACT_ISA_PRIMITIVES
#error "simd_math.hpp is included by a per-ISA translation unit that defines SIMDACT_ISA_PRIMITIVES (its kernels/arch/<isa>.hpp)"
#endif

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/arch/generic.hpp"
#include SIMDACT_ISA_PRIMITIVES

namespace simdact {
namespace SIMDACT_ISA_NS {

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
  if constexpr (has_scalef<A>) return scalef<A>(p, x.nf);
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

// exp_reduced of K vectors in lockstep (the AVX2 lockstep kernels, kernels/drivers.hpp): out[k] =
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
  if constexpr (has_scalef<A>) p2 = scalef<A>(F(1.0f), x.nf);
  return fmadd<A>(p2, em1r, p2 - F(1.0f));
}

// ---------------------------------------------------------------------------------------------
// Piecewise polynomials keep their coefficients in a table per degree, read by the register lookups
// lut16/lut32 and indexed by slot_of (kernels/arch/: AVX-512 one vpermps per coefficient, vpermi2ps
// for 32 entries; AVX2 two resp. four vpermps and blends on the index bits; NEON byte-table lookups).
// sum_i c[N-1-i][k] t^i in Horner form with FMAs: c lists the coefficient tables from the highest
// degree down, each indexed by the slot (lut16: one vpermps per coefficient on AVX-512).
template <class A, std::size_t N>
SIMDACT_INLINE vf<A> horner_lut16(const float* const (&c)[N], vi<A> k, vf<A> t) {
  vf<A> p = lut16<A>(c[0], k);
  for (std::size_t i = 1; i < N; ++i) p = fmadd<A>(p, t, lut16<A>(c[i], k));
  return p;
}

// Sum of the lanes.
template <class A>
SIMDACT_INLINE float hsum(vf<A> v) {
  return xsimd::hadd(v);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
