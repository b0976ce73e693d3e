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

#include "dispatch/isa_list.hpp"
#include "simdact/simdact.h"
#include "tests/reference.hpp"  // from_bits, to_bits, ulp_error, sigmoid_ref, tanh_ref

namespace simdact_test {

using simdact::kIsas;  // every ISA of dispatch/isa_list.inc, compiled in or not

// The ISA the library picked on its own (detection + SIMDACT_ISA), captured before any test runs.
simdact_isa initial_isa();

// Runs every test of the suite once per ISA, named by the ISA (e.g. Kernels/Sigmoid/avx2). An ISA
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
  INSTANTIATE_TEST_SUITE_P(Isa, Suite, ::testing::ValuesIn(::simdact_test::kIsas), \
                           [](const ::testing::TestParamInfo<simdact_isa>& i) {     \
                             return std::string(simdact_isa_name(i.param));         \
                           })


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
