// tanh: accurate tier, fast tier, backward. Included by kernels/simd_ops.hpp (the loop drivers and
// the common contract are there).
#pragma once

#ifndef SIMDACT_ISA_NS
#error "included by kernels/simd_ops.hpp inside a per-ISA translation unit"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// tanh(x), accurate tier (simdact_tanh_f32)
//   Max error: 2 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs by the
//   exhaustive test; measured max in README.
//   Range: all floats; no NaN/inf for finite x.
//   Special values: +-inf -> +-1, +-0 -> +-0, NaN -> NaN; |x| >= 9.01 gives exactly +-1;
//   subnormal x gives x (tanh(x) = x to within far less than an ULP there).
//   Method: |x| < 0.625: x + x^3 P(x^2), P a degree-4 minimax fit (relative error 4.4e-9);
//   otherwise 1 - 2/(e^(2|x|) + 1) with the sign of x, 2|x| clamped to 19 (where tanh is 1 in
//   float); the result is >= 0.55 there, so the subtraction loses nothing.
template <class A>
SIMDACT_INLINE vf<A> tanh_v(vf<A> x) {
  using V = vf<A>;
  const V a = xsimd::abs(x);
  // |x| < 0.625. Evaluated on |x| and signed at the end: x + x^3 P with x = -0 would give +0.
  const V a2 = a * a;
  V p = V(-0x1.75e1c8p-8f);
  p = fmadd<A>(p, a2, V(0x1.52269ap-6f));
  p = fmadd<A>(p, a2, V(-0x1.b83c5ap-5f));
  p = fmadd<A>(p, a2, V(0x1.110726p-3f));
  p = fmadd<A>(p, a2, V(-0x1.555532p-2f));
  const V small = fmadd<A>(a * a2, p, a);
  // |x| >= 0.625
  const V e = exp_reduced<A>(min_keep_nan<A>(V(19.0f), a + a));
  const V large = V(1.0f) - divide<A>(V(2.0f), e + V(1.0f));
  return xsimd::bitwise_or(xsimd::select(a < V(0.625f), small, large), xsimd::bitofsign(x));
}

template <class A>
void tanh(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return tanh_v<A>(v); });
}

// tanh, fast tier (simdact_tanh_fast_f32)
//   Max error: 4 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs; subnormal x
//   gives x (no flush). Otherwise the accurate tier's contract.
//   Method: one path for all x: m = e^(2|x|) - 1 (expm1_pos, 2|x| clamped to 19), tanh = m / (m + 2)
//   with the sign of x; small |x| keep full accuracy because expm1 has no cancellation there.
template <class A>
SIMDACT_INLINE vf<A> tanh_fast_v(vf<A> x) {
  using V = vf<A>;
  const V a = xsimd::abs(x);
  const V m = expm1_pos<A>(min_keep_nan<A>(V(19.0f), a + a));
  return xsimd::bitwise_or(divide<A>(m, m + V(2.0f)), xsimd::bitofsign(x));
}

template <class A>
void tanh_fast(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return tanh_fast_v<A>(v); });
}

// dx = dy * (1 - y*y), one rounding per operation, exactly as the oracle.
template <class A>
void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(y, dy, dx, n, [](vf<A> t, vf<A> g) { return g * (vf<A>(1.0f) - t * t); });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
