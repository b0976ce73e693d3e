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
