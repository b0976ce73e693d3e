// The double-precision references and the ULP distance shared by every accuracy check: the gtest
// suites (tests/util.hpp), the exhaustive sweep, the fuzzer and simdact_compare --peer-accuracy.
// Header-only, no GoogleTest, no library call: any program can include it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/facts.hpp"  // the ref column

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

// The formulas in double precision (the seed's, evaluated without overflow).
inline double sigmoid_ref(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
inline double tanh_ref(double x) { return std::tanh(x); }

// The ops of issue #7, as kernels/scalar.cpp evaluates them (x not NaN; the -inf limits explicit).
inline double gelu_ref(double x) {
  return std::isinf(x) ? (x > 0 ? x : -0.0) : 0.5 * x * std::erfc(-x * 0.70710678118654752440);
}
inline double gelu_tanh_arg(double x) { return 1.5957691216057307 * (x + 0.044715 * x * x * x); }
inline double gelu_tanh_ref(double x) { return std::isinf(x) ? (x > 0 ? x : -0.0) : x * sigmoid_ref(gelu_tanh_arg(x)); }
inline double silu_ref(double x) { return std::isinf(x) ? (x > 0 ? x : -0.0) : x * sigmoid_ref(x); }
inline double softplus_ref(double x) {
  return (x > 0 ? x : 0.0) + std::log1p(std::exp(-std::fabs(x)));
}
inline double elu_ref(double x, double alpha) { return x > 0 ? x : alpha * std::expm1(x); }

// The scale of a derivative's terms, T(x) >= |f'(x)|: the sum of the magnitudes of the terms of f'
// (gelu: Phi + x phi; gelu_tanh and silu: s + x v' s (1 - s)). A backward kernel's error bound is
// relative to |dy| T(x): where the terms cancel (the derivative's zero), only this much is meaningful.
inline double sigmoid_slope_ref(double v) {
  const double e = std::exp(-std::fabs(v));
  return e / ((1.0 + e) * (1.0 + e));
}
inline double gelu_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return 0.5 * std::erfc(-x * 0.70710678118654752440) + std::fabs(x) * 0.39894228040143267794 * std::exp(-0.5 * x * x);
}
inline double gelu_tanh_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double v = gelu_tanh_arg(x), dv = 1.5957691216057307 * (1.0 + 3.0 * 0.044715 * x * x);
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
  if (std::isinf(x) && r != ref::elu && r != ref::softplus) return x > 0 ? 1.0 : 0.0;
  switch (r) {
    case ref::gelu: return 0.5 * std::erfc(-x * 0.70710678118654752440) + x * 0.39894228040143267794 * std::exp(-0.5 * x * x);
    case ref::gelu_tanh: {
      const double v = gelu_tanh_arg(x), dv = 1.5957691216057307 * (1.0 + 3.0 * 0.044715 * x * x);
      return sigmoid_ref(v) + x * dv * sigmoid_slope_ref(v);
    }
    case ref::silu: return sigmoid_ref(x) + x * sigmoid_slope_ref(x);
    case ref::softplus: return sigmoid_ref(x);
    case ref::elu: return x > 0 ? 1.0 : param * std::exp(x);
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
