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

// The scale of a derivative's terms, T(x) >= |f'(x)|: the sum of the magnitudes of the terms of f'
// (gelu: Phi + x phi; gelu_tanh and silu: s + x v' s (1 - s)). A backward kernel's error bound is
// relative to |dy| T(x): where the terms cancel (the derivative's zero), only this much is meaningful.
inline double gelu_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return 0.5 * std::erfc(-x * kInvSqrt2) + std::fabs(x) * kInvSqrt2Pi * std::exp(-0.5 * x * x);
}
inline double gelu_tanh_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  const double v = gelu_tanh_arg(x), dv = kGeluTanhK1 * (1.0 + 3.0 * kGeluTanhC * x * x);
  return sigmoid(v) + std::fabs(x * dv) * sigmoid_slope(v);
}
inline double silu_grad_scale(double x) {
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return sigmoid(x) + std::fabs(x) * sigmoid_slope(x);
}
inline double softplus_grad_scale(double x) { return sigmoid(x); }
inline double elu_grad_scale(double x, double alpha) { return x > 0 ? 1.0 : std::fabs(alpha) * std::exp(x); }

// The ranges of the forward functions, which the exhaustive sweep checks on every output: sigmoid in
// [0, 1]; tanh in [-1, 1] with the sign of x; gelu, gelu_tanh, silu and elu: the sign of x (or 0),
// |y| <= |x|, and above their minimum (-0.17 resp. -0.2785 resp. -1); softplus: y >= 0 and y >= x.
inline bool same_sign_or_zero(float x, float y) { return y == 0.0f || std::signbit(y) == std::signbit(x); }
inline bool shrinks_above(float x, float y, float min) {
  return same_sign_or_zero(x, y) && std::fabs(y) <= std::fabs(x) && y >= min;
}

// One record per ref of include/simdact/kernels.inc (its ref column names one of namespace ref): the forward
// formula f, its derivative f' (x not NaN; the limits at +-inf explicit: what a grad kernel forms),
// the derivative's term scale T, each (x, param) (param: elu's alpha), and the forward's range. NaN
// (range: false) for what a ref does not have: a row's bound says which it needs. The scalar kernels
// of the plain rows (kernels/scalar.cpp) round value and grad; the tests measure every ISA against them.
struct formula {
  double (*value)(double x, double param);
  double (*grad)(double x, double param);
  double (*scale)(double x, double param);
  bool (*in_range)(float x, float y);
};
inline double undefined(double, double) { return NAN; }
inline bool no_range(float, float) { return false; }

namespace ref {
inline constexpr formula none{undefined, undefined, undefined, no_range};
inline constexpr formula sigmoid{[](double x, double) { return formulas::sigmoid(x); }, undefined, undefined,
                                 [](float, float y) { return y >= 0.0f && y <= 1.0f; }};
inline constexpr formula tanh{[](double x, double) { return formulas::tanh(x); }, undefined, undefined,
                              [](float x, float y) {
                                return std::fabs(y) <= 1.0f && std::signbit(y) == std::signbit(x);
                              }};
inline constexpr formula gelu{[](double x, double) { return formulas::gelu(x); },
                              [](double x, double) { return gelu_grad(x); },
                              [](double x, double) { return gelu_grad_scale(x); },
                              [](float x, float y) { return shrinks_above(x, y, -0.1701f); }};
inline constexpr formula gelu_tanh{[](double x, double) { return formulas::gelu_tanh(x); },
                                   [](double x, double) { return gelu_tanh_grad(x); },
                                   [](double x, double) { return gelu_tanh_grad_scale(x); },
                                   [](float x, float y) { return shrinks_above(x, y, -0.1701f); }};
inline constexpr formula silu{[](double x, double) { return formulas::silu(x); },
                              [](double x, double) { return silu_grad(x); },
                              [](double x, double) { return silu_grad_scale(x); },
                              [](float x, float y) { return shrinks_above(x, y, -0.27847f); }};
inline constexpr formula softplus{[](double x, double) { return formulas::softplus(x); },
                                  [](double x, double) { return softplus_grad(x); },
                                  [](double x, double) { return softplus_grad_scale(x); },
                                  [](float x, float y) { return y >= 0.0f && y >= x; }};
inline constexpr formula elu{formulas::elu, elu_grad, elu_grad_scale,
                             [](float x, float y) { return shrinks_above(x, y, -1.0f); }};
}  // namespace ref

}  // namespace formulas
}  // namespace simdact
