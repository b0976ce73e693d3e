// The facts of each kernel of include/simdact/kernels.inc (its row: kind, accuracy bound, double reference, first
// input, default parameter) as C++ data: what the tests, the fuzzer and the benchmarks read instead of
// deciding anything by the kernel's name.
#pragma once

#include "kernels/formulas.hpp"

namespace simdact {
namespace facts {

enum class kind { unary, binary, unary_p, binary_p, rows, rows_binary, rows_strided };
enum class bound { exact, ulp2, ulp4, ulp4_flush, softmax, softmax_backward, log_softmax, log_softmax_backward, grad };
// The ref column: the double formulas of the op (kernels/formulas.hpp, namespace formulas::ref).
using ref = const formulas::formula*;
enum class first { x, sigmoid_y, tanh_y, softmax_y, log_softmax_y };

// The rows in order: facts::id::<op> indexes kKernels (the scalar kernels are chosen by it).
enum class id {
#define SIMDACT_KERNEL(op, ...) op,
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};

struct kernel {
  const char* op;
  facts::kind kind;
  facts::bound bound;
  facts::ref ref;
  facts::first first;  // x, or the forward output a backward op takes
  float param;         // the _p kinds' default parameter, else 0
};

inline constexpr kernel kKernels[] = {
#define SIMDACT_KERNEL(op, kind_, bound_, ref_, first_, param_) \
  {#op, kind::kind_, bound::bound_, &formulas::ref::ref_, first::first_, param_},
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};

constexpr bool is_rows(kind k) { return k == kind::rows || k == kind::rows_binary || k == kind::rows_strided; }

constexpr bool streq(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

// The row of `op`; nullptr for a name that is not a kernel.
constexpr const kernel* find(const char* op) {
  for (const kernel& k : kKernels)
    if (streq(k.op, op)) return &k;
  return nullptr;
}

}  // namespace facts
}  // namespace simdact
