// relu and leaky_relu, forward and backward.
#pragma once

#include <cstddef>

#include "kernels/drivers.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (dispatch/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// relu(x) = x > 0 ? x : +0. Exact. NaN -> NaN (as numpy's maximum), -0 -> +0, +inf -> +inf.
// AVX2: max(+0, x) + 0 — maxps returns its second operand for NaN and for -0 (then + 0 gives +0).
template <class A>
void relu(const float* x, float* y, std::size_t n) {
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    map_unary<A>(x, y, n, [](vf<A> v) { return xsimd::max(vf<A>(0.0f), v) + vf<A>(0.0f); });
    return;
  }
  map_unary<A>(x, y, n, [](vf<A> v) { return xsimd::select(v <= vf<A>(0.0f), vf<A>(0.0f), v); });
}

// dx = dy * (x > 0), the factor NaN for a NaN x. Exact (a product by 1, 0 or NaN).
template <class A>
void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(x, dy, dx, n, [](vf<A> v, vf<A> g) { return g * positive_factor<A>(v, vf<A>(0.0f)); });
}

// leaky_relu(x) = x > 0 ? x : slope*x, one rounding of slope*x. NaN -> NaN, +-inf -> +inf / slope*-inf.
template <class A>
void leaky_relu(const float* x, float* y, std::size_t n, float slope) {
  const vf<A> s(slope);
  map_unary<A>(x, y, n, [s](vf<A> v) { return xsimd::select(v > vf<A>(0.0f), v, s * v); });
}

// dx = dy * (x > 0 ? 1 : slope), the factor NaN for a NaN x. One rounding.
template <class A>
void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  const vf<A> s(slope);
  map_binary<A>(x, dy, dx, n, [s](vf<A> v, vf<A> g) { return g * positive_factor<A>(v, s); });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
