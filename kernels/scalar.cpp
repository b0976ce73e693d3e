// Scalar reference kernels (see scalar.hpp for the contract). Plain C++, no intrinsics.
#include "kernels/scalar.hpp"

#include <cmath>
#include <limits>

namespace simdact {
namespace scalar {
namespace {

// exp of an argument clamped to [-200, 200]: no overflow or underflow, so glibc never sets errno
// or raises FE_OVERFLOW/FE_UNDERFLOW; e^-200 (1.4e-87) is far below the smallest float.
double exp_clamped(double d) { return std::exp(d < -200.0 ? -200.0 : (d > 200.0 ? 200.0 : d)); }

float sigmoid1(float xf) {
  if (std::isnan(xf)) return xf;
  const double x = xf;
  if (x >= 0) return static_cast<float>(1.0 / (1.0 + exp_clamped(-x)));
  const double e = exp_clamped(x);
  return static_cast<float>(e / (1.0 + e));
}

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
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(std::tanh(static_cast<double>(x[i])));
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

// Softmax in double: max, exp(x - max), sum, divide. A row holding NaN or +inf, or whose entries
// are all -inf, has no meaningful max and gives NaN everywhere; -inf entries of other rows give 0.
void softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    double m = -std::numeric_limits<double>::infinity();
    bool nan = false;
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = xr[j];
      nan |= std::isnan(v);
      if (v > m) m = v;
    }
    if (nan || std::isinf(m)) {
      for (std::size_t j = 0; j < cols; ++j) yr[j] = std::numeric_limits<float>::quiet_NaN();
      continue;
    }
    double sum = 0.0;
    for (std::size_t j = 0; j < cols; ++j) sum += exp_clamped(static_cast<double>(xr[j]) - m);
    for (std::size_t j = 0; j < cols; ++j)
      yr[j] = static_cast<float>(exp_clamped(static_cast<double>(xr[j]) - m) / sum);
  }
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
