// Every kernel of include/simdact/kernels.inc behind one signature, for the tests that loop over all of them
// (test_abi, test_guard, test_concurrency, race_init, fuzz_kernels): one adapter per kind, the
// table expanded from the list, so a new kernel is covered as soon as it is listed.
//
// call(a, b, out, d0, d1): a (and b for two-input kinds) are the inputs; d0 = n for element-wise
// kinds, d0 = rows and d1 = cols for the row kinds. The _p kinds get kernel_param() (0.01 unless a
// test sets it: the fuzzer does).
#pragma once

#include <cstddef>

#include "simdact/simdact.h"

namespace simdact_test {

using call_fn = simdact_status (*)(const float* a, const float* b, float* out, std::size_t d0, std::size_t d1);

inline float& kernel_param() {
  static float p = 0.01f;
  return p;
}

struct KernelCall {
  const char* name;
  const char* kind;
  int inputs;  // 1 (a) or 2 (a, b)
  bool rows;   // takes (rows, cols) instead of n
  call_fn call;
};

// One adapter per kind of include/simdact/kernels.inc (kernels/table.hpp names the kinds).
struct unary_adapter {
  static constexpr int inputs = 1;
  static constexpr bool rows = false;
  template <simdact_status (*F)(const float*, float*, std::size_t)>
  static simdact_status call(const float* a, const float*, float* out, std::size_t n, std::size_t) {
    return F(a, out, n);
  }
};
struct binary_adapter {
  static constexpr int inputs = 2;
  static constexpr bool rows = false;
  template <simdact_status (*F)(const float*, const float*, float*, std::size_t)>
  static simdact_status call(const float* a, const float* b, float* out, std::size_t n, std::size_t) {
    return F(a, b, out, n);
  }
};
struct unary_p_adapter {
  static constexpr int inputs = 1;
  static constexpr bool rows = false;
  template <simdact_status (*F)(const float*, float*, std::size_t, float)>
  static simdact_status call(const float* a, const float*, float* out, std::size_t n, std::size_t) {
    return F(a, out, n, kernel_param());
  }
};
struct binary_p_adapter {
  static constexpr int inputs = 2;
  static constexpr bool rows = false;
  template <simdact_status (*F)(const float*, const float*, float*, std::size_t, float)>
  static simdact_status call(const float* a, const float* b, float* out, std::size_t n, std::size_t) {
    return F(a, b, out, n, kernel_param());
  }
};
struct rows_adapter {
  static constexpr int inputs = 1;
  static constexpr bool rows = true;
  template <simdact_status (*F)(const float*, float*, std::size_t, std::size_t)>
  static simdact_status call(const float* a, const float*, float* out, std::size_t r, std::size_t c) {
    return F(a, out, r, c);
  }
};
struct rows_binary_adapter {
  static constexpr int inputs = 2;
  static constexpr bool rows = true;
  template <simdact_status (*F)(const float*, const float*, float*, std::size_t, std::size_t)>
  static simdact_status call(const float* a, const float* b, float* out, std::size_t r, std::size_t c) {
    return F(a, b, out, r, c);
  }
};

// Strided rows called with ld = cols (contiguous); the strides themselves: tests/test_softmax.cpp.
struct rows_strided_adapter {
  static constexpr int inputs = 1;
  static constexpr bool rows = true;
  template <simdact_status (*F)(const float*, std::size_t, float*, std::size_t, std::size_t, std::size_t)>
  static simdact_status call(const float* a, const float*, float* out, std::size_t r, std::size_t c) {
    return F(a, c, out, c, r, c);
  }
};

inline const KernelCall kKernelCalls[] = {
#define SIMDACT_KERNEL(op, kind, ...) \
  {#op, #kind, kind##_adapter::inputs, kind##_adapter::rows, &kind##_adapter::call<&simdact_##op##_f32>},
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};
inline constexpr std::size_t kNumKernelCalls = sizeof(kKernelCalls) / sizeof(kKernelCalls[0]);

}  // namespace simdact_test
