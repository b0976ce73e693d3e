// Scalar reference kernels: plain C++ (no xsimd), compiled for the baseline ISA. They are the
// fallback on CPUs without a SIMD path and the oracle the SIMD kernels are tested against.
//
// Contract (the SIMD kernels promise the same, within their stated bounds):
//   sigmoid, tanh, softmax forward: evaluated in double precision (glibc exp/tanh, < 1 ULP of double)
//     and rounded once to float, so within 0.5 ULP (plus ~2^-29 ULP) of the correctly rounded
//     result; subnormal results are produced, not flushed.
//   relu, leaky relu and all backward ops: the formula in f32, one rounding per operation, in the
//     order written in simdact.h.
#pragma once

#include <cstddef>

namespace simdact {
namespace scalar {

#define SIMDACT_DECL_unary(op) void op(const float* x, float* y, std::size_t n);
#define SIMDACT_DECL_binary(op) void op(const float* a, const float* b, float* out, std::size_t n);
#define SIMDACT_DECL_unary_p(op) void op(const float* x, float* y, std::size_t n, float p);
#define SIMDACT_DECL_binary_p(op) void op(const float* a, const float* b, float* out, std::size_t n, float p);
#define SIMDACT_DECL_rows(op) void op(const float* x, float* y, std::size_t rows, std::size_t cols);
#define SIMDACT_DECL_rows_binary(op) \
  void op(const float* a, const float* b, float* out, std::size_t rows, std::size_t cols);
#define SIMDACT_DECL_rows_strided(op) \
  void op(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows, std::size_t cols);
#define SIMDACT_KERNEL(op, kind, ...) SIMDACT_DECL_##kind(op)
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL

}  // namespace scalar
}  // namespace simdact
