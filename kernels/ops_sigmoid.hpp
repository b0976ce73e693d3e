// sigmoid: accurate tier, fast tier, backward. Included by kernels/simd_ops.hpp (the loop drivers and
// the common contract are there).
#pragma once

#ifndef SIMDACT_ISA_NS
#error "included by kernels/simd_ops.hpp inside a per-ISA translation unit"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// sigmoid(x) = 1 / (1 + e^-x), accurate tier (simdact_sigmoid_f32)
//   Max error: 2 ULP for every x whose result is >= FLT_MIN (x >= -87.34), proven on all 2^32 inputs
//   by the exhaustive test; measured max in README.
//   Range: all floats; no NaN/inf/overflow for finite x (the exp argument is clamped to >= -104).
//   Special values: +inf -> 1, -inf -> +0, NaN -> NaN, +-0 -> 0.5, subnormal x -> 0.5.
//   Subnormal results (-103.97 < x < -87.34) are produced (within 4 x 2^-149), not flushed; below
//   that +0.
//   Method: e = e^-|x| as hi + lo (exp_split), then n/(1 + e) with n = 1 for x > 0 and e otherwise,
//   no cancellation; the quotient q0 = n_hi / d_hi is corrected once with the exact remainder
//   n_hi - q0 d_hi (an FMA) plus the low parts: q = q0 + (n - q0 (1 + e)) * rcp(d). What remains
//   is the exp error (<= 0.35 ULP), the correction's and the final rounding.
template <class A>
SIMDACT_INLINE vf<A> sigmoid_v(vf<A> x) {
  using V = vf<A>;
  const V z = max_keep_nan<A>(V(-104.0f), xsimd::bitwise_or(x, V(-0.0f)));  // -|x|, clamped
  const split<A> e = exp_split<A>(z);
  const V d = V(1.0f) + e.hi;
  const V d_lo = ((V(1.0f) - d) + e.hi) + e.lo;  // (1 + hi + lo) - d; 1 - d + hi is exact (Fast2Sum)
  const auto pos = x > V(0.0f);
  const V num = xsimd::select(pos, V(1.0f), e.hi);
  const V num_lo = xsimd::select(pos, V(0.0f), e.lo);
  const V q0 = divide<A>(num, d);
  const V rem = fmadd<A>(-q0, d_lo, fmadd<A>(-q0, d, num) + num_lo);
  // rem / d is ~1 ULP of q0: an estimate of 1/d (rcp14 on AVX-512, 12 bits on AVX2, 8 on NEON)
  // leaves far less than 2^-8 ULP.
  return fmadd<A>(rem, xsimd::reciprocal(d), q0);
}

template <class A>
void sigmoid(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return sigmoid_v<A>(v); });
}

// sigmoid, fast tier (simdact_sigmoid_fast_f32)
//   Max error: 4 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs.
//   Subnormal results (x < -87.33654) flush to +0 on AVX2 and NEON; AVX-512 (vscalefps) produces
//   them within 4 x 2^-149. Otherwise the accurate tier's contract
//   (specials, no NaN/inf for finite x).
//   Method: e = e^-|x| with the degree-5 polynomial and one scaling (exp_fast; the argument clamped to
//   the normal range), one division n / (1 + e), no correction.
template <class A>
SIMDACT_INLINE vf<A> sigmoid_fast_v(vf<A> x) {
  using V = vf<A>;
  const V z = xsimd::bitwise_or(x, V(-0.0f));  // -|x|
  if constexpr (has_scalef<A>) {  // AVX-512: graded underflow, nothing to flush
    const V e = exp_fast<A>(max_keep_nan<A>(V(-104.0f), z));
    return divide<A>(xsimd::select(x > V(0.0f), V(1.0f), e), V(1.0f) + e);
  }
  // T = -87.33654 is the smallest float whose sigmoid rounds to a normal float (found by search; the
  // exhaustive test caught -87.3365f, which flushed the normal results of the 5 floats just below it).
  const V T(-0x1.5d589ep+6f);
  const V e = exp_fast<A>(max_keep_nan<A>(T, z));
  const V q = divide<A>(xsimd::select(x > V(0.0f), V(1.0f), e), V(1.0f) + e);
  return xsimd::select(x < T, V(0.0f), q);  // the result is subnormal: flush
}

template <class A>
void sigmoid_fast(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return sigmoid_fast_v<A>(v); });
}

// dx = dy * (y * (1 - y)): the seed's formula, one rounding per operation, exactly as the oracle.
template <class A>
void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(y, dy, dx, n, [](vf<A> s, vf<A> g) { return g * (s * (vf<A>(1.0f) - s)); });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
