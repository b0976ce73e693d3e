// The double-precision references and the ULP distance shared by every accuracy check: the gtest
// suites (tests/util.hpp), the exhaustive sweep, the fuzzer and simdact_compare --peer-accuracy.
// Header-only, no GoogleTest, no library call: any program can include it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/facts.hpp"     // the ref column
#include "kernels/formulas.hpp"  // the double formulas

namespace simdact_test {

inline float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}
inline uint32_t to_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

// |y - ref| in units of the float ULP at ref (2^(e-23) for |ref| in [2^e, 2^(e+1)), e >= -126;
// 2^-149 below FLT_MIN). ref is a double-precision value: a double's rounding error (2^-53
// relative) is 2^-29 float ULP, far below the bounds tested, so this distance decides the float
// result's error.
inline double ulp_error(float y, double ref) {
  if (std::isnan(ref) || std::isnan(y)) return std::isnan(ref) && std::isnan(y) ? 0.0 : INFINITY;
  if (std::isinf(ref)) return static_cast<double>(y) == ref ? 0.0 : INFINITY;
  int e;
  std::frexp(std::fabs(ref) < 0x1p-126 ? 0x1p-126 : ref, &e);
  return std::fabs(static_cast<double>(y) - ref) / std::ldexp(1.0, e - 24);
}

// The formulas in double precision: kernels/formulas.hpp, the one copy the scalar kernels round.
inline double sigmoid_ref(double x) { return simdact::formulas::sigmoid(x); }
inline double tanh_ref(double x) { return simdact::formulas::tanh(x); }
inline double gelu_ref(double x) { return simdact::formulas::gelu(x); }
inline double gelu_tanh_arg(double x) { return simdact::formulas::gelu_tanh_arg(x); }
inline double gelu_tanh_ref(double x) { return simdact::formulas::gelu_tanh(x); }
inline double silu_ref(double x) { return simdact::formulas::silu(x); }
inline double softplus_ref(double x) { return simdact::formulas::softplus(x); }
inline double elu_ref(double x, double alpha) { return simdact::formulas::elu(x, alpha); }
inline double sigmoid_slope_ref(double v) { return simdact::formulas::sigmoid_slope(v); }

// The scale of a derivative's terms, T(x) >= |f'(x)|: the sum of the magnitudes of the terms of f'
// (gelu: Phi + x phi; gelu_tanh and silu: s + x v' s (1 - s)). A backward kernel's error bound is
// relative to |dy| T(x): where the terms cancel (the derivative's zero), only this much is meaningful.
inline double gelu_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  using namespace simdact::formulas;
  return 0.5 * std::erfc(-x * kInvSqrt2) + std::fabs(x) * kInvSqrt2Pi * std::exp(-0.5 * x * x);
}
inline double gelu_tanh_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  using namespace simdact::formulas;
  const double v = gelu_tanh_arg(x), dv = kGeluTanhK1 * (1.0 + 3.0 * kGeluTanhC * x * x);
  return sigmoid_ref(v) + std::fabs(x * dv) * sigmoid_slope_ref(v);
}
inline double silu_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return sigmoid_ref(x) + std::fabs(x) * sigmoid_slope_ref(x);
}
inline double softplus_grad_scale(double x) { return sigmoid_ref(x); }
inline double elu_grad_scale(double x, double alpha) { return x > 0 ? 1.0 : std::fabs(alpha) * std::exp(x); }

// By the ref column of kernels/list.inc: the forward formula and the derivative's term scale (NaN for a
// ref that has none: the callers only ask for the rows whose bound needs them).
inline double forward_ref(simdact::facts::ref r, double x, double param) {
  using simdact::facts::ref;
  switch (r) {
    case ref::sigmoid: return sigmoid_ref(x);
    case ref::tanh: return tanh_ref(x);
    case ref::gelu: return gelu_ref(x);
    case ref::gelu_tanh: return gelu_tanh_ref(x);
    case ref::silu: return silu_ref(x);
    case ref::softplus: return softplus_ref(x);
    case ref::elu: return elu_ref(x, param);
    case ref::none: break;
  }
  return NAN;
}
// f'(x) in double (x not NaN; the limits at +-inf explicit): the derivative a grad kernel forms.
inline double grad_ref(simdact::facts::ref r, double x, double param) {
  using simdact::facts::ref;
  switch (r) {
    case ref::gelu: return simdact::formulas::gelu_grad(x);
    case ref::gelu_tanh: return simdact::formulas::gelu_tanh_grad(x);
    case ref::silu: return simdact::formulas::silu_grad(x);
    case ref::softplus: return simdact::formulas::softplus_grad(x);
    case ref::elu: return simdact::formulas::elu_grad(x, param);
    case ref::sigmoid:
    case ref::tanh:
    case ref::none: break;
  }
  return NAN;
}
inline double grad_scale(simdact::facts::ref r, double x, double param) {
  using simdact::facts::ref;
  switch (r) {
    case ref::gelu: return gelu_grad_scale(x);
    case ref::gelu_tanh: return gelu_tanh_grad_scale(x);
    case ref::silu: return silu_grad_scale(x);
    case ref::softplus: return softplus_grad_scale(x);
    case ref::elu: return elu_grad_scale(x, param);
    case ref::sigmoid:
    case ref::tanh:
    case ref::none: break;
  }
  return NAN;
}

}  // namespace simdact_test
