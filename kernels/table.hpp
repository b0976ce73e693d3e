// The dispatch table: one function pointer per kernel of kernels/list.inc, one table per ISA.
// Kernels here take already validated arguments (dispatch/capi.cpp checks them).
#pragma once

#include <cstddef>

#include "simdact/simdact.h"

namespace simdact {

using unary_fn = void (*)(const float* x, float* y, std::size_t n);
using binary_fn = void (*)(const float* a, const float* b, float* out, std::size_t n);
using unary_p_fn = void (*)(const float* x, float* y, std::size_t n, float p);
using binary_p_fn = void (*)(const float* a, const float* b, float* out, std::size_t n, float p);
using rows_fn = void (*)(const float* x, float* y, std::size_t rows, std::size_t cols);
using rows_binary_fn = void (*)(const float* a, const float* b, float* out, std::size_t rows, std::size_t cols);
using rows_strided_fn = void (*)(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                                 std::size_t cols);

struct kernel_table {
  simdact_isa isa;
  const char* name;
#define SIMDACT_KERNEL(op, kind) kind##_fn op;
#include "kernels/list.inc"
#undef SIMDACT_KERNEL
};

// Defined by dispatch/isa_<name>.cpp; only the ISAs compiled in exist (see SIMDACT_HAVE_<ISA>).
extern const kernel_table scalar_table;
extern const kernel_table avx2_table;
extern const kernel_table avx512_table;
extern const kernel_table neon_table;

}  // namespace simdact
