// The seven kinds of include/simdact/kernels.inc (its kind column) as C++ signatures, returning R:
// void for the kernels of the dispatch table (kernels/table.hpp), simdact_status for the C entry points
// that the tests and benchmarks call. The one place they are written (simdact.hpp, the public header,
// repeats them for its callers: tests/test_cpp_api.cpp calls every kernel through it).
#pragma once

#include <cstddef>

namespace simdact {

template <class R>
struct signatures {
  using unary = R (*)(const float* x, float* y, std::size_t n);
  using binary = R (*)(const float* a, const float* b, float* out, std::size_t n);
  using unary_p = R (*)(const float* x, float* y, std::size_t n, float p);
  using binary_p = R (*)(const float* a, const float* b, float* out, std::size_t n, float p);
  using rows = R (*)(const float* x, float* y, std::size_t rows, std::size_t cols);
  using rows_binary = R (*)(const float* a, const float* b, float* out, std::size_t rows, std::size_t cols);
  using rows_strided = R (*)(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                             std::size_t cols);
};

}  // namespace simdact
