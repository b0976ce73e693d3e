/*
 * simdact — SIMD activation kernels (f32), the one stable C ABI.
 *
 * Every function is safe to call from any thread. None allocates, aborts, throws, changes the
 * floating-point control registers, or prints (except one line on stderr the first time a bad
 * SIMDACT_ISA environment value is seen).
 *
 * Common rules (README.md has the full contract table):
 *  - n == 0 (or rows*cols == 0) returns SIMDACT_OK and touches nothing (pointers may be NULL).
 *  - A NULL pointer with n > 0, an input that partially overlaps the output, a length whose byte
 *    size overflows size_t, or rows*cols overflowing size_t returns SIMDACT_ERR_INVALID_ARGUMENT
 *    and writes nothing.
 *  - An output may be the very same buffer as an input (in place). Buffers need no alignment.
 *  - Backward ops take the forward output for sigmoid, tanh and softmax, and the forward input for
 *    relu and leaky relu, as in the seed's numpy code.
 */
#ifndef SIMDACT_SIMDACT_H
#define SIMDACT_SIMDACT_H

#include <stddef.h>

#if defined(_WIN32) && defined(SIMDACT_SHARED)
#  if defined(SIMDACT_BUILDING)
#    define SIMDACT_API __declspec(dllexport)
#  else
#    define SIMDACT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__)
#  define SIMDACT_API __attribute__((visibility("default")))
#else
#  define SIMDACT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum simdact_status {
  SIMDACT_OK = 0,
  SIMDACT_ERR_INVALID_ARGUMENT = 1,
  SIMDACT_ERR_UNSUPPORTED_ISA = 2
} simdact_status;

/* In C++ the enum has the fixed underlying type int, so that every int a C caller may pass (the
 * functions below accept any value and reject unknown ones) is a valid simdact_isa value there too:
 * without it, values outside 0..3 are undefined behaviour in C++ (UBSan: "load of value 42, which
 * is not a valid value for type 'simdact_isa'"). Same size and calling convention as the C enum. */
#ifdef __cplusplus
#define SIMDACT_ISA_ENUM_BASE : int
#else
#define SIMDACT_ISA_ENUM_BASE
#endif
typedef enum simdact_isa SIMDACT_ISA_ENUM_BASE {
  SIMDACT_ISA_SCALAR = 0,
  SIMDACT_ISA_AVX2 = 1,   /* x86-64 AVX2 + FMA */
  SIMDACT_ISA_AVX512 = 2, /* x86-64 AVX-512 F/BW/DQ/VL + FMA */
  SIMDACT_ISA_NEON = 3    /* aarch64 Advanced SIMD */
} simdact_isa;

/* Two accuracy tiers for sigmoid and tanh, both proven on all 2^32 inputs on every ISA:
 *   accurate (simdact_sigmoid_f32, simdact_tanh_f32): <= 2 ULP from the correctly rounded result;
 *   fast (simdact_sigmoid_fast_f32, simdact_tanh_fast_f32): <= 4 ULP for results >= FLT_MIN.
 * Both: no NaN/inf for finite input, NaN -> NaN, +-inf -> the limits, tanh(-0) = -0. */

/* sigmoid(x) = 1/(1+exp(-x)); +inf -> 1, -inf -> +0, NaN -> NaN; subnormal results kept. */
SIMDACT_API simdact_status simdact_sigmoid_f32(const float* x, float* y, size_t n);
/* Fast tier; results below FLT_MIN (x < -87.33654) may flush to +0 (NEON: all of them; AVX2: those
 * below x = -88.38; AVX-512: those below x = -88.72). */
SIMDACT_API simdact_status simdact_sigmoid_fast_f32(const float* x, float* y, size_t n);
/* dx = dy * (y * (1 - y)), y = sigmoid(x). */
SIMDACT_API simdact_status simdact_sigmoid_backward_f32(const float* y, const float* dy, float* dx, size_t n);
/* tanh(x); +-inf -> +-1, -0 -> -0, NaN -> NaN; subnormal x -> x. */
SIMDACT_API simdact_status simdact_tanh_f32(const float* x, float* y, size_t n);
/* Fast tier; subnormal x -> x too. */
SIMDACT_API simdact_status simdact_tanh_fast_f32(const float* x, float* y, size_t n);
/* dx = dy * (1 - y*y), y = tanh(x). */
SIMDACT_API simdact_status simdact_tanh_backward_f32(const float* y, const float* dy, float* dx, size_t n);
/* y = x > 0 ? x : +0 (NaN -> NaN). */
SIMDACT_API simdact_status simdact_relu_f32(const float* x, float* y, size_t n);
/* dx = dy * (x > 0), where (x > 0) is NaN for a NaN x. */
SIMDACT_API simdact_status simdact_relu_backward_f32(const float* x, const float* dy, float* dx, size_t n);
/* y = x > 0 ? x : slope*x (one rounding). */
SIMDACT_API simdact_status simdact_leaky_relu_f32(const float* x, float* y, size_t n, float slope);
/* dx = dy * (x > 0 ? 1 : slope), the factor is NaN for a NaN x. */
SIMDACT_API simdact_status simdact_leaky_relu_backward_f32(const float* x, const float* dy, float* dx, size_t n,
                                                           float slope);
/* Row-wise softmax over a row-major rows x cols matrix (rows contiguous); relative error <= 2e-6 for
 * every output >= FLT_MIN. */
SIMDACT_API simdact_status simdact_softmax_f32(const float* x, float* y, size_t rows, size_t cols);
/* dx = y * (dy - sum(dy*y)) per row. */
SIMDACT_API simdact_status simdact_softmax_backward_f32(const float* y, const float* dy, float* dx, size_t rows,
                                                        size_t cols);


/* ---- Beyond the seed (each: contract in kernels/ops_*.hpp, measured figures in README.md). ----
 * Accuracy of the forward ops below: <= 2 ULP from the correctly rounded result of the formula for
 * every result >= FLT_MIN (proven on all 2^32 inputs by the exhaustive test); no NaN/inf from finite
 * input except where the formula itself overflows (softplus, gelu, silu of large x give x); NaN -> NaN. */

/* Row-wise log-softmax: y = x - max - log(sum(exp(x - max))) (never the log of a softmax output).
 * Absolute error <= 2 ULP of max(|y|, 1); -inf entries give -inf exactly; a row holding NaN or +inf,
 * or all -inf, gives NaN in every entry. */
SIMDACT_API simdact_status simdact_log_softmax_f32(const float* x, float* y, size_t rows, size_t cols);
/* dx = dy - exp(y) * sum(dy) per row, y = log_softmax(x). */
SIMDACT_API simdact_status simdact_log_softmax_backward_f32(const float* y, const float* dy, float* dx, size_t rows,
                                                            size_t cols);
/* gelu(x) = x * Phi(x) = x/2 * (1 + erf(x/sqrt(2))) (the erf form). */
SIMDACT_API simdact_status simdact_gelu_f32(const float* x, float* y, size_t n);
/* gelu_tanh(x) = x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) (the tanh approximation). */
SIMDACT_API simdact_status simdact_gelu_tanh_f32(const float* x, float* y, size_t n);
/* dx = dy * gelu'(x) = dy * (Phi(x) + x phi(x)); x is the forward input. */
SIMDACT_API simdact_status simdact_gelu_backward_f32(const float* x, const float* dy, float* dx, size_t n);
/* dx = dy * gelu_tanh'(x); x is the forward input. */
SIMDACT_API simdact_status simdact_gelu_tanh_backward_f32(const float* x, const float* dy, float* dx, size_t n);
/* silu(x) = x * sigmoid(x) (swish with beta = 1). */
SIMDACT_API simdact_status simdact_silu_f32(const float* x, float* y, size_t n);
/* dx = dy * sigmoid(x) * (1 + x * (1 - sigmoid(x))); x is the forward input. */
SIMDACT_API simdact_status simdact_silu_backward_f32(const float* x, const float* dy, float* dx, size_t n);
/* softplus(x) = log(1 + exp(x)), computed without overflow (x for large x). */
SIMDACT_API simdact_status simdact_softplus_f32(const float* x, float* y, size_t n);
/* dx = dy * sigmoid(x); x is the forward input. */
SIMDACT_API simdact_status simdact_softplus_backward_f32(const float* x, const float* dy, float* dx, size_t n);
/* elu(x) = x > 0 ? x : alpha * (exp(x) - 1). Any finite alpha. */
SIMDACT_API simdact_status simdact_elu_f32(const float* x, float* y, size_t n, float alpha);
/* dx = dy * (x > 0 ? 1 : alpha * exp(x)); x is the forward input. */
SIMDACT_API simdact_status simdact_elu_backward_f32(const float* x, const float* dy, float* dx, size_t n,
                                                    float alpha);
/* Softmax and log-softmax of rows that lie ld floats apart (a row-major matrix with padding, or a block
 * of columns of a wider matrix): row r is x[r*ldx .. r*ldx + cols). ldx >= cols and ldy >= cols, else
 * SIMDACT_ERR_INVALID_ARGUMENT. The padding between rows is never read or written. In place needs
 * x == y and ldx == ldy; otherwise no element of x may be an element of y (checked exactly for
 * ldx == ldy, by the spans [first, last element] otherwise). Same results as the contiguous calls. */
SIMDACT_API simdact_status simdact_softmax_strided_f32(const float* x, size_t ldx, float* y, size_t ldy, size_t rows,
                                                       size_t cols);
SIMDACT_API simdact_status simdact_log_softmax_strided_f32(const float* x, size_t ldx, float* y, size_t ldy,
                                                           size_t rows, size_t cols);

/* The ISA the calls above run on now. */
SIMDACT_API simdact_isa simdact_active_isa(void);
/* "scalar", "avx2", "avx512", "neon"; "unknown" for any other value. */
SIMDACT_API const char* simdact_isa_name(simdact_isa isa);
/* 1 if the ISA is compiled in and this CPU and OS can run it, else 0. */
SIMDACT_API int simdact_isa_supported(simdact_isa isa);
/* Switch every thread to this ISA (for tests and benchmarks). SIMDACT_ERR_UNSUPPORTED_ISA if it is
 * not compiled in or not runnable here; the active ISA is then unchanged. */
SIMDACT_API simdact_status simdact_set_isa(simdact_isa isa);
/* "MAJOR.MINOR.PATCH". */
SIMDACT_API const char* simdact_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SIMDACT_SIMDACT_H */
