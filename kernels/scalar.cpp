// Scalar reference kernels (see scalar.hpp for the contract). Plain C++, no intrinsics.
#include "kernels/scalar.hpp"

#include <cmath>
#include <limits>

#include "kernels/formulas.hpp"

namespace simdact {
namespace scalar {
namespace {

// The double formulas: kernels/formulas.hpp (the tests measure every ISA against the same ones).
using formulas::exp_clamped;

float sigmoid1(float xf) { return std::isnan(xf) ? xf : static_cast<float>(formulas::sigmoid(xf)); }

// (x > 0) as a float factor, NaN for a NaN x so that NaN propagates through the backward ops.
// Written as selects, not branches, so the compiler vectorises the loops (SSE2 on the baseline).
inline float positive_factor(float x, float otherwise) {
  const float f = x > 0.0f ? 1.0f : otherwise;
  return x != x ? x : f;  // NaN (IEEE: NaN != NaN)
}

}  // namespace

void sigmoid(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = sigmoid1(x[i]);
}

// The scalar fast tier is the accurate kernel: in double there is nothing to trade.
void sigmoid_fast(const float* x, float* y, std::size_t n) { sigmoid(x, y, n); }

void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = y[i];
    const float d = s * (1.0f - s);
    dx[i] = dy[i] * d;
  }
}

void tanh(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(formulas::tanh(static_cast<double>(x[i])));
}

void tanh_fast(const float* x, float* y, std::size_t n) { tanh(x, y, n); }

void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float t = y[i];
    const float d = 1.0f - t * t;
    dx[i] = dy[i] * d;
  }
}

void relu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = v <= 0.0f ? 0.0f : v;  // NaN compares false and passes through; -0 -> +0
  }
}

void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * positive_factor(x[i], 0.0f);
}

void leaky_relu(const float* x, float* y, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float t = slope * v;
    y[i] = v > 0.0f ? v : t;    // NaN takes the second branch: slope*NaN = NaN
  }
}

void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * positive_factor(x[i], slope);
}

namespace {

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

}  // namespace

void softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) softmax_row(x + r * cols, y + r * cols, cols);
}

void softmax_strided(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) softmax_row(x + r * ldx, y + r * ldy, cols);
}

void log_softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) log_softmax_row(x + r * cols, y + r * cols, cols);
}

void log_softmax_strided(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                         std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) log_softmax_row(x + r * ldx, y + r * ldy, cols);
}

namespace {

// e^y for log_softmax_backward: y clamped to <= 88 (a log-softmax output is <= 0), rounded to float as
// the SIMD kernels form it (0 below y = -103.97, where e^y * sum(dy) may still be a normal float).
double softmax_of(float y) {
  return static_cast<float>(std::exp(y < -200.0f ? -200.0 : (y > 88.0f ? 88.0 : static_cast<double>(y))));
}

}  // namespace

// dx = dy - e^y * sum(dy), in double with e^y as a float (softmax_of), one rounding.
void log_softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
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

namespace {

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

}  // namespace

void gelu(const float* x, float* y, std::size_t n) { map1(x, y, n, formulas::gelu); }
void gelu_backward(const float* x, const float* dy, float* dx, std::size_t n) { map_grad(x, dy, dx, n, formulas::gelu_grad); }
void gelu_tanh(const float* x, float* y, std::size_t n) { map1(x, y, n, formulas::gelu_tanh); }
void gelu_tanh_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map_grad(x, dy, dx, n, formulas::gelu_tanh_grad);
}
void silu(const float* x, float* y, std::size_t n) { map1(x, y, n, formulas::silu); }
void silu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map_grad(x, dy, dx, n, formulas::silu_grad);
}
void softplus(const float* x, float* y, std::size_t n) { map1(x, y, n, formulas::softplus); }
void softplus_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map_grad(x, dy, dx, n, formulas::softplus_grad);
}
void elu(const float* x, float* y, std::size_t n, float alpha) {
  map1(x, y, n, [alpha](double v) { return formulas::elu(v, alpha); });
}
void elu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  // e^x rounded to float first, as the SIMD kernels form it (0 below x = -103.97: alpha = +-inf then
  // gives NaN there, not +-inf).
  map_grad(x, dy, dx, n, [alpha](double v) {
    return v > 0 ? 1.0 : static_cast<double>(alpha) * static_cast<double>(static_cast<float>(exp_clamped(v)));
  });
}

// dx = y * (dy - sum(dy*y)); the row sum is accumulated in double, the rest is f32.
void softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
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

}  // namespace scalar
}  // namespace simdact
