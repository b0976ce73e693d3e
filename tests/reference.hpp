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

// By the ref column of kernels/list.inc: the forward formula f, its derivative f' (x not NaN; the
// limits at +-inf explicit: what a grad kernel forms) and the derivative's term scale T, each (x, param)
// (param: elu's alpha). NaN for what a ref does not have: the callers only ask for what a row's bound
// needs.
struct formula {
  double (*value)(double x, double param);
  double (*grad)(double x, double param);
  double (*scale)(double x, double param);
};
inline double no_formula(double, double) { return NAN; }
inline const formula& formula_of(simdact::facts::ref r) {
  namespace f = simdact::formulas;
  using simdact::facts::ref;
  static constexpr formula kNone{no_formula, no_formula, no_formula};
  static constexpr formula kSigmoid{[](double x, double) { return sigmoid_ref(x); }, no_formula, no_formula};
  static constexpr formula kTanh{[](double x, double) { return tanh_ref(x); }, no_formula, no_formula};
  static constexpr formula kGelu{[](double x, double) { return gelu_ref(x); },
                                 [](double x, double) { return f::gelu_grad(x); },
                                 [](double x, double) { return gelu_grad_scale(x); }};
  static constexpr formula kGeluTanh{[](double x, double) { return gelu_tanh_ref(x); },
                                     [](double x, double) { return f::gelu_tanh_grad(x); },
                                     [](double x, double) { return gelu_tanh_grad_scale(x); }};
  static constexpr formula kSilu{[](double x, double) { return silu_ref(x); },
                                 [](double x, double) { return f::silu_grad(x); },
                                 [](double x, double) { return silu_grad_scale(x); }};
  static constexpr formula kSoftplus{[](double x, double) { return softplus_ref(x); },
                                     [](double x, double) { return f::softplus_grad(x); },
                                     [](double x, double) { return softplus_grad_scale(x); }};
  static constexpr formula kElu{elu_ref, f::elu_grad, elu_grad_scale};
  switch (r) {
    case ref::sigmoid: return kSigmoid;
    case ref::tanh: return kTanh;
    case ref::gelu: return kGelu;
    case ref::gelu_tanh: return kGeluTanh;
    case ref::silu: return kSilu;
    case ref::softplus: return kSoftplus;
    case ref::elu: return kElu;
    case ref::none: break;
  }
  return kNone;
}
inline double forward_ref(simdact::facts::ref r, double x, double param) { return formula_of(r).value(x, param); }
inline double grad_ref(simdact::facts::ref r, double x, double param) { return formula_of(r).grad(x, param); }
inline double grad_scale(simdact::facts::ref r, double x, double param) { return formula_of(r).scale(x, param); }

}  // namespace simdact_test
