// Shared test helpers: ISA-parameterised fixtures, the scalar oracle, ULP distance, input sets.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "simdact/simdact.h"

namespace simdact_test {

constexpr simdact_isa kAllIsas[] = {SIMDACT_ISA_SCALAR, SIMDACT_ISA_AVX2, SIMDACT_ISA_AVX512, SIMDACT_ISA_NEON};

// The ISA the library picked on its own (detection + SIMDACT_ISA), captured before any test runs.
simdact_isa initial_isa();

// Runs every test of the suite once per ISA, named by the ISA (e.g. Kernels/Sigmoid/avx512). An ISA
// this build or CPU lacks is reported as SKIPPED with its name.
class IsaTest : public ::testing::TestWithParam<simdact_isa> {
 protected:
  void SetUp() override {
    if (!simdact_isa_supported(GetParam()))
      GTEST_SKIP() << "ISA " << simdact_isa_name(GetParam()) << " is not compiled in or not supported by this CPU";
    ASSERT_EQ(simdact_set_isa(GetParam()), SIMDACT_OK);
    ASSERT_EQ(simdact_active_isa(), GetParam()) << "the forced ISA is not the one that runs";
  }
  void TearDown() override { simdact_set_isa(initial_isa()); }
  // Runs f on the scalar oracle, then switches back to the ISA under test.
  template <class F>
  void oracle(F&& f) {
    ASSERT_EQ(simdact_set_isa(SIMDACT_ISA_SCALAR), SIMDACT_OK);
    f();
    ASSERT_EQ(simdact_set_isa(GetParam()), SIMDACT_OK);
  }
  const char* isa() const { return simdact_isa_name(GetParam()); }
};

#define SIMDACT_INSTANTIATE_ISAS(Suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Isa, Suite, ::testing::ValuesIn(::simdact_test::kAllIsas), \
                           [](const ::testing::TestParamInfo<simdact_isa>& i) {     \
                             return std::string(simdact_isa_name(i.param));         \
                           })

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

// |y - ref| in units of the float ULP at ref (2^(e-23) for |ref| in [2^e, 2^(e+1)), e >= -126).
// ref is a double-precision value: a double's rounding error (2^-53 relative) is 2^-29 float ULP,
// far below the bounds tested, so this distance decides the float result's error.
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

// Uniform floats in [lo, hi).
inline std::vector<float> uniform(std::size_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(g);
  return v;
}

// Random bit patterns: every float class (NaN payloads, +-inf, subnormals, huge values).
inline std::vector<float> random_bits(std::size_t n, uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = from_bits(static_cast<uint32_t>(g()));
  return v;
}

// Same float values, or both NaN.
inline bool same_value(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace simdact_test
