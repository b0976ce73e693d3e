// The double-precision references and the ULP distance shared by every accuracy check: the gtest
// suites (tests/util.hpp), the exhaustive sweep, the fuzzer and simdact_compare --peer-accuracy.
// Header-only, no GoogleTest, no simdact: any program can include it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

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

}  // namespace simdact_test
