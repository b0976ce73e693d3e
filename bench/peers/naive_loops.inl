// The ops written like their formulas, one plain loop each (the seed's numpy code in C++). Included
// inside an anonymous namespace by naive.cpp (baseline flags) and loops_isa.cpp (an ISA's flags, where
// the compiler auto-vectorises the loops without a transcendental). No includes: the includer has
// <algorithm>, <cmath> and <cstddef>.

[[maybe_unused]] void naive_sigmoid(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i]));
}

[[maybe_unused]] void naive_tanh(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

[[maybe_unused]] void naive_relu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::max(x[i], 0.0f);
}

[[maybe_unused]] void naive_leaky_relu(const float* x, float* y, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

[[maybe_unused]] void naive_sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (y[i] * (1.0f - y[i]));
}

[[maybe_unused]] void naive_tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

[[maybe_unused]] void naive_relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * static_cast<float>(x[i] > 0.0f);
}

[[maybe_unused]] void naive_leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (x[i] > 0.0f ? 1.0f : slope);
}

// Row-wise: max, exp(x - max), sum, divide.
[[maybe_unused]] void naive_softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float m = xr[0];
    for (std::size_t j = 1; j < cols; ++j) m = std::max(m, xr[j]);
    float sum = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) {
      yr[j] = std::exp(xr[j] - m);
      sum += yr[j];
    }
    for (std::size_t j = 0; j < cols; ++j) yr[j] /= sum;
  }
}

// dx = y * (dy - sum(dy * y)) per row.
[[maybe_unused]] void naive_softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* dyr = dy + r * cols;
    float* dxr = dx + r * cols;
    float s = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) s += dyr[j] * yr[j];
    for (std::size_t j = 0; j < cols; ++j) dxr[j] = yr[j] * (dyr[j] - s);
  }
}

// ---- The ops of issue #7, the formulas as written (x is the forward input of the backward ops). ----

// gelu = x/2 * (1 + erf(x / sqrt 2)).
[[maybe_unused]] void naive_gelu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * 0.70710678f));
}

// gelu' = Phi(x) + x phi(x).
[[maybe_unused]] void naive_gelu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float cdf = 0.5f * (1.0f + std::erf(x[i] * 0.70710678f));
    const float pdf = 0.39894228f * std::exp(-0.5f * x[i] * x[i]);
    dx[i] = dy[i] * (cdf + x[i] * pdf);
  }
}

// gelu_tanh = x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
[[maybe_unused]] void naive_gelu_tanh(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float u = 0.79788456f * (x[i] + 0.044715f * x[i] * x[i] * x[i]);
    y[i] = 0.5f * x[i] * (1.0f + std::tanh(u));
  }
}

// gelu_tanh' = (1 + t)/2 + x/2 (1 - t^2) u', t = tanh(u), u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
[[maybe_unused]] void naive_gelu_tanh_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x2 = x[i] * x[i];
    const float t = std::tanh(0.79788456f * (x[i] + 0.044715f * x2 * x[i]));
    const float du = 0.79788456f * (1.0f + 0.134145f * x2);
    dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * x[i] * (1.0f - t * t) * du);
  }
}

[[maybe_unused]] void naive_silu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::exp(-x[i]));
}

// (x s)' = s (1 + x (1 - s)), s = sigmoid(x).
[[maybe_unused]] void naive_silu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float s = 1.0f / (1.0f + std::exp(-x[i]));
    dx[i] = dy[i] * (s * (1.0f + x[i] * (1.0f - s)));
  }
}

// softplus = log(1 + exp(x)), in the overflow-free form max(x, 0) + log1p(exp(-|x|)).
[[maybe_unused]] void naive_softplus(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = std::max(x[i], 0.0f) + std::log1p(std::exp(-std::fabs(x[i])));
}

// softplus' = sigmoid(x).
[[maybe_unused]] void naive_softplus_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] / (1.0f + std::exp(-x[i]));
}

[[maybe_unused]] void naive_elu(const float* x, float* y, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : alpha * std::expm1(x[i]);
}

[[maybe_unused]] void naive_elu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (x[i] > 0.0f ? 1.0f : alpha * std::exp(x[i]));
}

// Row-wise: max, sum(exp(x - max)), y = x - max - log(sum).
[[maybe_unused]] void naive_log_softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float m = xr[0];
    for (std::size_t j = 1; j < cols; ++j) m = std::max(m, xr[j]);
    float sum = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) sum += std::exp(xr[j] - m);
    const float shift = m + std::log(sum);
    for (std::size_t j = 0; j < cols; ++j) yr[j] = xr[j] - shift;
  }
}

// dx = dy - exp(y) * sum(dy) per row.
[[maybe_unused]] void naive_log_softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows,
                                                 std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* dyr = dy + r * cols;
    float* dxr = dx + r * cols;
    float s = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) s += dyr[j];
    for (std::size_t j = 0; j < cols; ++j) dxr[j] = dyr[j] - std::exp(yr[j]) * s;
  }
}
