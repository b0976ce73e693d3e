// Scalar reference kernels (see scalar.hpp for the contract). Plain C++, no intrinsics.
#include "kernels/scalar.hpp"

#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>

#include "kernels/facts.hpp"
#include "kernels/formulas.hpp"

namespace simdact {
namespace scalar {
namespace {

// Each row of include/simdact/kernels.inc is defined at the end of this file as kernel(row<id::<op>>{}, args...):
// the overload written out below for the rows that need their own, else the template that rounds the
// row's double formula (its ref column, kernels/formulas.hpp) to float.
using facts::id;
template <id I>
using row = std::integral_constant<id, I>;

// The double formulas: kernels/formulas.hpp (the tests measure every ISA against the same ones).
using formulas::exp_clamped;

// (x > 0) as a float factor, NaN for a NaN x so that NaN propagates through the backward ops.
// Written as selects, not branches, so the compiler vectorises the loops (SSE2 on the baseline).
inline float positive_factor(float x, float otherwise) {
  const float f = x > 0.0f ? 1.0f : otherwise;
  return x != x ? x : f;  // NaN (IEEE: NaN != NaN)
}

void kernel(row<id::sigmoid_backward>, const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = y[i];
    const float d = s * (1.0f - s);
    dx[i] = dy[i] * d;
  }
}

void kernel(row<id::tanh>, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(formulas::tanh(static_cast<double>(x[i])));
}

// The scalar fast tiers are the accurate kernels: in double there is nothing to trade (sigmoid_fast
// shares sigmoid's ref, so the template below gives it sigmoid's kernel).
void kernel(row<id::tanh_fast>, const float* x, float* y, std::size_t n) { kernel(row<id::tanh>{}, x, y, n); }

void kernel(row<id::tanh_backward>, const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float t = y[i];
    const float d = 1.0f - t * t;
    dx[i] = dy[i] * d;
  }
}

void kernel(row<id::relu>, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = v <= 0.0f ? 0.0f : v;  // NaN compares false and passes through; -0 -> +0
  }
}

void kernel(row<id::relu_backward>, const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * positive_factor(x[i], 0.0f);
}

void kernel(row<id::leaky_relu>, const float* x, float* y, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float t = slope * v;
    y[i] = v > 0.0f ? v : t;    // NaN takes the second branch: slope*NaN = NaN
  }
}

void kernel(row<id::leaky_relu_backward>, const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * positive_factor(x[i], slope);
}

// The max of a row in double; false if the row holds NaN or +inf or is all -inf (no meaningful max:
// every output is NaN then, for softmax and log-softmax alike).
bool row_max(const float* xr, std::size_t cols, double& m) {
  m = -std::numeric_limits<double>::infinity();
  bool nan = false;
  for (std::size_t j = 0; j < cols; ++j) {
    const double v = xr[j];
    nan |= std::isnan(v);
    if (v > m) m = v;
  }
  return !(nan || std::isinf(m));
}

// Softmax of one row in double: max, exp(x - max), sum, divide; -inf entries give 0.
void softmax_row(const float* xr, float* yr, std::size_t cols) {
  double m;
  if (!row_max(xr, cols, m)) {
    for (std::size_t j = 0; j < cols; ++j) yr[j] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  double sum = 0.0;
  for (std::size_t j = 0; j < cols; ++j) sum += exp_clamped(static_cast<double>(xr[j]) - m);
  for (std::size_t j = 0; j < cols; ++j) yr[j] = static_cast<float>(exp_clamped(static_cast<double>(xr[j]) - m) / sum);
}

// Log-softmax of one row in double: (x - max) - log(sum exp(x - max)), one rounding; -inf -> -inf.
void log_softmax_row(const float* xr, float* yr, std::size_t cols) {
  double m;
  if (!row_max(xr, cols, m)) {
    for (std::size_t j = 0; j < cols; ++j) yr[j] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  double sum = 0.0;
  for (std::size_t j = 0; j < cols; ++j) sum += exp_clamped(static_cast<double>(xr[j]) - m);
  const double l = std::log(sum);
  for (std::size_t j = 0; j < cols; ++j) yr[j] = static_cast<float>((static_cast<double>(xr[j]) - m) - l);
}

void kernel(row<id::softmax>, const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) softmax_row(x + r * cols, y + r * cols, cols);
}

void kernel(row<id::softmax_strided>, const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
            std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) softmax_row(x + r * ldx, y + r * ldy, cols);
}

void kernel(row<id::log_softmax>, const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) log_softmax_row(x + r * cols, y + r * cols, cols);
}

void kernel(row<id::log_softmax_strided>, const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
            std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) log_softmax_row(x + r * ldx, y + r * ldy, cols);
}

// e^y for log_softmax_backward: y clamped to <= 88 (a log-softmax output is <= 0), rounded to float as
// the SIMD kernels form it (0 below y = -103.97, where e^y * sum(dy) may still be a normal float).
double softmax_of(float y) {
  return static_cast<float>(std::exp(y < -200.0f ? -200.0 : (y > 88.0f ? 88.0 : static_cast<double>(y))));
}

// dx = dy - e^y * sum(dy), in double with e^y as a float (softmax_of), one rounding.
void kernel(row<id::log_softmax_backward>, const float* y, const float* dy, float* dx, std::size_t rows,
            std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* dyr = dy + r * cols;
    float* dxr = dx + r * cols;
    double sum = 0.0;
    for (std::size_t j = 0; j < cols; ++j) sum += dyr[j];
    for (std::size_t j = 0; j < cols; ++j)
      dxr[j] = static_cast<float>(static_cast<double>(dyr[j]) - softmax_of(yr[j]) * sum);
  }
}

template <class F>
void map1(const float* x, float* y, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::isnan(x[i]) ? x[i] : static_cast<float>(f(static_cast<double>(x[i])));
}
// dx = dy * f'(x) with f'(x) evaluated in double and rounded to float (as the SIMD kernels form it in
// float: so dy = inf gives NaN where f'(x) underflows, in both), the product rounded once; NaN x -> NaN.
template <class F>
void map_grad(const float* x, const float* dy, float* dx, std::size_t n, F f) {
  for (std::size_t i = 0; i < n; ++i) {
    const float d = static_cast<float>(f(static_cast<double>(x[i])));
    dx[i] = std::isnan(x[i]) ? x[i] : dy[i] * d;
  }
}

// The rows without an overload of their own: an elementwise forward (unary, unary_p) is its formula's
// value rounded to float (map1), an elementwise backward of x (binary, binary_p) its formula's
// derivative rounded to float times dy (map_grad); the _p kinds pass their parameter to the formula.
template <id I, class... Args>
void kernel(row<I>, Args... args) {
  using facts::kind;
  constexpr facts::kernel k = facts::kKernels[static_cast<int>(I)];
  constexpr facts::ref f = k.ref;
  static_assert(f != &formulas::ref::none && k.first == facts::first::x && !facts::is_rows(k.kind),
                "this row of include/simdact/kernels.inc needs its own scalar kernel: kernel(row<id::op>, ...)");
  const auto a = std::make_tuple(args...);
  if constexpr (k.kind == kind::unary) {
    map1(std::get<0>(a), std::get<1>(a), std::get<2>(a), [](double v) { return f->value(v, 0.0); });
  } else if constexpr (k.kind == kind::unary_p) {
    const double p = std::get<3>(a);
    map1(std::get<0>(a), std::get<1>(a), std::get<2>(a), [p](double v) { return f->value(v, p); });
  } else if constexpr (k.kind == kind::binary) {
    map_grad(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a), [](double v) { return f->grad(v, 0.0); });
  } else {
    static_assert(k.kind == kind::binary_p);
    const double p = std::get<4>(a);
    map_grad(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a), [p](double v) { return f->grad(v, p); });
  }
}

void kernel(row<id::elu_backward>, const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  // e^x rounded to float first, as the SIMD kernels form it (0 below x = -103.97: alpha = +-inf then
  // gives NaN there, not +-inf).
  map_grad(x, dy, dx, n, [alpha](double v) {
    return v > 0 ? 1.0 : static_cast<double>(alpha) * static_cast<double>(static_cast<float>(exp_clamped(v)));
  });
}

// dx = y * (dy - sum(dy*y)); the row sum is accumulated in double, the rest is f32.
void kernel(row<id::softmax_backward>, const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* dyr = dy + r * cols;
    float* dxr = dx + r * cols;
    double dot = 0.0;
    for (std::size_t j = 0; j < cols; ++j) dot += static_cast<double>(dyr[j]) * yr[j];
    const float s = static_cast<float>(dot);
    for (std::size_t j = 0; j < cols; ++j) dxr[j] = yr[j] * (dyr[j] - s);
  }
}

}  // namespace

// The kernels of scalar.hpp, one per row.
#define SIMDACT_DEF_unary(op) \
  void op(const float* x, float* y, std::size_t n) { kernel(row<id::op>{}, x, y, n); }
#define SIMDACT_DEF_binary(op) \
  void op(const float* a, const float* b, float* out, std::size_t n) { kernel(row<id::op>{}, a, b, out, n); }
#define SIMDACT_DEF_unary_p(op) \
  void op(const float* x, float* y, std::size_t n, float p) { kernel(row<id::op>{}, x, y, n, p); }
#define SIMDACT_DEF_binary_p(op)                                                     \
  void op(const float* a, const float* b, float* out, std::size_t n, float p) { \
    kernel(row<id::op>{}, a, b, out, n, p);                                          \
  }
#define SIMDACT_DEF_rows(op) \
  void op(const float* x, float* y, std::size_t rows, std::size_t cols) { kernel(row<id::op>{}, x, y, rows, cols); }
#define SIMDACT_DEF_rows_binary(op)                                                             \
  void op(const float* a, const float* b, float* out, std::size_t rows, std::size_t cols) { \
    kernel(row<id::op>{}, a, b, out, rows, cols);                                               \
  }
#define SIMDACT_DEF_rows_strided(op)                                                                          \
  void op(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows, std::size_t cols) { \
    kernel(row<id::op>{}, x, ldx, y, ldy, rows, cols);                                                        \
  }
#define SIMDACT_KERNEL(op, kind, ...) SIMDACT_DEF_##kind(op)
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL

}  // namespace scalar
}  // namespace simdact
