// The ops' formulas in double precision: the one copy. The scalar kernels (kernels/scalar.cpp) round
// them to float; the tests (tests/reference.hpp) measure every ISA's kernels against them. Plain C++,
// no library call, no state: x is not NaN (the callers pass NaN through themselves); the limits at
// +-inf are explicit where x * 0 would give NaN.
#pragma once

#include <cmath>

namespace simdact {
namespace formulas {

// exp of an argument clamped to [-200, 200]: no overflow or underflow, so glibc never sets errno
// or raises FE_OVERFLOW/FE_UNDERFLOW; e^-200 (1.4e-87) is far below the smallest float.
inline double exp_clamped(double d) { return std::exp(d < -200.0 ? -200.0 : (d > 200.0 ? 200.0 : d)); }

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kGeluTanhK1 = 1.5957691216057307;  // 2 sqrt(2/pi)
constexpr double kGeluTanhC = 0.044715;

// sigmoid(v) and its slope sigmoid(v) (1 - sigmoid(v)), stable for any v (e = e^-|v| <= 1).
inline double sigmoid(double v) {
  if (v >= 0) return 1.0 / (1.0 + exp_clamped(-v));
  const double e = exp_clamped(v);
  return e / (1.0 + e);
}
inline double sigmoid_slope(double v) {
  if (std::fabs(v) > 200.0) return 0.0;  // e^-200 would be wrong where a huge factor multiplies it
  const double e = std::exp(-std::fabs(v));
  return e / ((1.0 + e) * (1.0 + e));
}
inline double tanh(double x) { return std::tanh(x); }

inline double gelu(double x) { return std::isinf(x) ? (x > 0 ? x : -0.0) : 0.5 * x * std::erfc(-x * kInvSqrt2); }
inline double gelu_tanh_arg(double x) { return kGeluTanhK1 * (x + kGeluTanhC * x * x * x); }
inline double gelu_tanh(double x) { return std::isinf(x) ? (x > 0 ? x : -0.0) : x * sigmoid(gelu_tanh_arg(x)); }
inline double silu(double x) { return std::isinf(x) ? (x > 0 ? x : -0.0) : x * sigmoid(x); }
inline double softplus(double x) { return (x > 0 ? x : 0.0) + std::log1p(exp_clamped(-std::fabs(x))); }
inline double elu(double x, double alpha) { return x > 0 ? x : alpha * std::expm1(x < -200.0 ? -200.0 : x); }

// The derivatives.
inline double gelu_grad(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return 0.5 * std::erfc(-x * kInvSqrt2) + x * kInvSqrt2Pi * exp_clamped(-0.5 * x * x);
}
inline double gelu_tanh_grad(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double v = gelu_tanh_arg(x);
  const double dv = kGeluTanhK1 * (1.0 + 3.0 * kGeluTanhC * x * x);
  return sigmoid(v) + x * dv * sigmoid_slope(v);
}
inline double silu_grad(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return sigmoid(x) + x * sigmoid_slope(x);
}
inline double softplus_grad(double x) { return sigmoid(x); }
inline double elu_grad(double x, double alpha) { return x > 0 ? 1.0 : alpha * exp_clamped(x); }

}  // namespace formulas
}  // namespace simdact
