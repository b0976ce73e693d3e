// Backward ops on every ISA: bit for bit the seed's formula evaluated in f32 (in the seed's order),
// and consistent with the forward op: central finite differences of the forward formula in double.
#include <cstdio>
#include <iterator>

#include "kernels/facts.hpp"
#include "tests/kernel_calls.hpp"
#include "tests/util.hpp"

namespace simdact_test {
namespace {

class Backward : public IsaTest {};

bool same(float a, float b) { return to_bits(a) == to_bits(b) || (std::isnan(a) && std::isnan(b)); }

// The seed's numpy code, elementwise in f32.
TEST_P(Backward, SeedFormulaInF32) {
  const std::size_t n = 4099;
  const std::vector<float> s = uniform(n, 0.0f, 1.0f, 1), t = uniform(n, -1.0f, 1.0f, 2);
  const std::vector<float> x = uniform(n, -3.0f, 3.0f, 3), dy = uniform(n, -2.0f, 2.0f, 4);
  std::vector<float> dx(n);
  ASSERT_EQ(simdact_sigmoid_backward_f32(s.data(), dy.data(), dx.data(), n), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) {
    const float want = dy[i] * (s[i] * (1.0f - s[i]));  // grad_output * (sigma * (1 - sigma))
    ASSERT_TRUE(same(dx[i], want)) << isa() << " sigmoid_backward " << i;
  }
  ASSERT_EQ(simdact_tanh_backward_f32(t.data(), dy.data(), dx.data(), n), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) {
    const float want = dy[i] * (1.0f - t[i] * t[i]);  // grad_output * (1 - th*th)
    ASSERT_TRUE(same(dx[i], want)) << isa() << " tanh_backward " << i;
  }
  ASSERT_EQ(simdact_relu_backward_f32(x.data(), dy.data(), dx.data(), n), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) {
    const float want = dy[i] * (x[i] > 0 ? 1.0f : 0.0f);  // grad_output * (input > 0)
    ASSERT_TRUE(same(dx[i], want)) << isa() << " relu_backward " << i;
  }
  ASSERT_EQ(simdact_leaky_relu_backward_f32(x.data(), dy.data(), dx.data(), n, 0.01f), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) {
    const float want = dy[i] * (x[i] > 0 ? 1.0f : 0.01f);
    ASSERT_TRUE(same(dx[i], want)) << isa() << " leaky_relu_backward " << i;
  }
  // Softmax: p * (grad_output - sum(grad_output * p)) per row; the sum in double here.
  const std::size_t rows = 7, cols = 333;
  std::vector<float> z = uniform(rows * cols, -4.0f, 4.0f, 5), p(rows * cols), g = uniform(rows * cols, -1, 1, 6);
  std::vector<float> d(rows * cols);
  ASSERT_EQ(simdact_softmax_f32(z.data(), p.data(), rows, cols), SIMDACT_OK);
  ASSERT_EQ(simdact_softmax_backward_f32(p.data(), g.data(), d.data(), rows, cols), SIMDACT_OK);
  for (std::size_t r = 0; r < rows; ++r) {
    double dot = 0.0, mag = 0.0;
    for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) dot += static_cast<double>(g[j]) * p[j];
    for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) mag += std::fabs(static_cast<double>(g[j]) * p[j]);
    for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
      const double want = p[j] * (g[j] - dot);
      // the dot product's order of summation and two f32 roundings
      const double tol = std::fabs(p[j]) * (mag * 0x1p-21 + (std::fabs(g[j]) + std::fabs(dot)) * 0x1p-22);
      ASSERT_NEAR(d[j], want, tol) << isa() << " softmax_backward row " << r << " col " << j - r * cols;
    }
  }
}

// The backward ops are the derivative of the forward ops: compare with central differences of the
// forward formula in double, evaluated at the x whose forward output (from simdact) feeds the op.
TEST_P(Backward, FiniteDifferences) {
  const std::size_t n = 2000;
  std::vector<float> x = uniform(n, -8.0f, 8.0f, 10), dy = uniform(n, -2.0f, 2.0f, 11);
  for (auto& v : x)
    if (std::fabs(v) < 1e-2f) v = 0.5f;  // keep the ReLU kink out of the differences
  std::vector<float> y(n), dx(n);
  const double h = 1e-5;
  double worst = 0.0;
  struct Op {
    const char* name;
    simdact_status (*fwd)(const float*, float*, size_t);
    simdact_status (*bwd)(const float*, const float*, float*, size_t);
    double (*f)(double);
    bool takes_output;
  };
  const Op ops[] = {
      {"sigmoid", simdact_sigmoid_f32, simdact_sigmoid_backward_f32, sigmoid_ref, true},
      {"tanh", simdact_tanh_f32, simdact_tanh_backward_f32, tanh_ref, true},
      {"relu", simdact_relu_f32, simdact_relu_backward_f32, [](double v) { return v > 0 ? v : 0.0; }, false},
  };
  for (const Op& op : ops) {
    ASSERT_EQ(op.fwd(x.data(), y.data(), n), SIMDACT_OK);
    ASSERT_EQ(op.bwd(op.takes_output ? y.data() : x.data(), dy.data(), dx.data(), n), SIMDACT_OK);
    for (std::size_t i = 0; i < n; ++i) {
      const double fd = dy[i] * (op.f(x[i] + h) - op.f(x[i] - h)) / (2 * h);
      // y carries <= 4 ULP, the differences ~1e-10 relative: 1e-5 of |dy| covers both with margin.
      const double err = std::fabs(dx[i] - fd);
      worst = std::max(worst, err);
      ASSERT_LE(err, 1e-5 * std::fabs(dy[i]) + 1e-7) << isa() << " " << op.name << "' at x = " << x[i];
    }
  }
  ASSERT_EQ(simdact_leaky_relu_backward_f32(x.data(), dy.data(), dx.data(), n, 0.1f), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) {
    auto f = [](double v) { return v > 0 ? v : 0.1f * v; };
    const double fd = dy[i] * (f(x[i] + h) - f(x[i] - h)) / (2 * h);
    ASSERT_LE(std::fabs(dx[i] - fd), 1e-5 * std::fabs(dy[i]) + 1e-7) << isa() << " leaky_relu' at x = " << x[i];
  }
  // Softmax: dL/dx_j for L = sum_i dy_i softmax(x)_i, differenced in double.
  const std::size_t rows = 3, cols = 50;
  std::vector<float> z = uniform(rows * cols, -3.0f, 3.0f, 12), p(rows * cols), d(rows * cols);
  ASSERT_EQ(simdact_softmax_f32(z.data(), p.data(), rows, cols), SIMDACT_OK);
  ASSERT_EQ(simdact_softmax_backward_f32(p.data(), dy.data(), d.data(), rows, cols), SIMDACT_OK);
  auto loss = [&](std::size_t r, std::size_t k, double dz) {
    double m = -INFINITY, sum = 0.0, l = 0.0;
    for (std::size_t j = 0; j < cols; ++j) m = std::max(m, z[r * cols + j] + (j == k ? dz : 0.0));
    for (std::size_t j = 0; j < cols; ++j) sum += std::exp(z[r * cols + j] + (j == k ? dz : 0.0) - m);
    for (std::size_t j = 0; j < cols; ++j) l += dy[r * cols + j] * std::exp(z[r * cols + j] + (j == k ? dz : 0.0) - m) / sum;
    return l;
  };
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < cols; ++k) {
      const double fd = (loss(r, k, h) - loss(r, k, -h)) / (2 * h);
      ASSERT_NEAR(d[r * cols + k], fd, 1e-6) << isa() << " softmax' row " << r << " col " << k;
    }
  std::printf("backward/%s: worst |dx - finite difference| %.3g (sigmoid, tanh, relu)\n", isa(), worst);
}

// The backward ops whose bound is grad (kernels.inc) against their ref's derivative in double, on
// 2^18 inputs spread over [-20, 20] plus every 16384th float bit pattern, dy = 1: the error in units of
// 2^-24 T(x) (T: the magnitudes of the derivative's terms, tests/reference.hpp), bound 8 (2^-21 T,
// plus 2^-126 where the derivative is below FLT_MIN). Prints the worst figure per op where T >= 2^-100
// (README).
TEST_P(Backward, DerivativeErrorAgainstTermScale) {
  // Every kernel of include/simdact/kernels.inc whose bound is grad (element-wise binary kinds), the _p kinds with
  // their default parameter.
  // Called through tests/kernel_calls.hpp.
  struct Op {
    const char* name;
    call_fn fn;  // fn(x, dy, dx, n, 1)
    simdact::facts::ref r;
    float param;
  };
  std::vector<Op> ops;
  for (std::size_t i = 0; i < std::size(simdact::facts::kKernels); ++i) {
    const simdact::facts::kernel& k = simdact::facts::kKernels[i];
    if (k.bound == simdact::facts::bound::grad) {
      ASSERT_TRUE(k.kind == simdact::facts::kind::binary || k.kind == simdact::facts::kind::binary_p)
          << k.op << ": a grad bound on a kernel that is not element-wise binary";
      ops.push_back({k.op, kKernelCalls[i].call, k.ref, k.param});
    }
  }
  ASSERT_FALSE(ops.empty());
  std::vector<float> x = uniform(1u << 18, -20.0f, 20.0f, 11);
  for (uint64_t b = 0; b < (uint64_t{1} << 32); b += 16384) {
    const float v = from_bits(static_cast<uint32_t>(b));
    if (std::isfinite(v) && std::fabs(v) < 1e15f) x.push_back(v);
  }
  const std::vector<float> dy(x.size(), 1.0f);
  std::vector<float> dx(x.size());
  for (const Op& op : ops) {
    const float saved = kernel_param();
    kernel_param() = op.param;  // the _p kinds' parameter (elu: alpha = 1)
    const simdact_status st = op.fn(x.data(), dy.data(), dx.data(), x.size(), 1);
    kernel_param() = saved;
    ASSERT_EQ(st, SIMDACT_OK);
    double worst = 0.0;
    float at = 0.0f;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double t = grad_scale(op.r, x[i], op.param);
      const double err = std::fabs(static_cast<double>(dx[i]) - grad_ref(op.r, x[i], op.param));
      ASSERT_LE(err, t * 0x1p-21 + 0x1p-126) << op.name << "/" << isa() << " at x = " << x[i];
      if (t >= 0x1p-100 && err / (t * 0x1p-24) > worst) worst = err / (t * 0x1p-24), at = x[i];  // away from FLT_MIN
    }
    std::printf("%s/%s: max error %.3f x 2^-24 T(x) (at x = %.9g)\n", op.name, isa(), worst, static_cast<double>(at));
  }
}

SIMDACT_INSTANTIATE_ISAS(Backward);

}  // namespace
}  // namespace simdact_test
