// C++ consumer: the header-only C++ layer (simdact/simdact.hpp) over libsimdact.so.
#include <simdact/simdact.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <vector>

int main() {
  // Row-wise softmax of a 2 x 3 matrix in a std::vector, then its backward pass.
  const std::vector<float> logits = {1.0f, 2.0f, 3.0f, 0.0f, 0.0f, 0.0f};
  std::vector<float> p(logits.size()), grad(logits.size());
  simdact::softmax(logits, p, 3);  // cols = 3, rows = size / 3; throws simdact::error on bad input
  const std::vector<float> dy = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  simdact::softmax_backward(p, dy, grad, 3);

  // Element-wise ops on a std::array, in place, with the default leaky slope 0.01.
  std::array<float, 4> x = {-2.0f, -0.5f, 0.5f, 2.0f};
  simdact::leaky_relu(x, x);

  // The non-throwing flavour returns a std::error_code: sizes differ here.
  std::vector<float> too_short(3);
  const std::error_code ec = simdact::sigmoid(logits, too_short, std::nothrow);

  // The same softmax on the scalar reference kernels, switched for this scope only.
  std::vector<float> p_scalar(logits.size());
  {
    simdact::scoped_isa use(SIMDACT_ISA_SCALAR);
    simdact::softmax(logits, p_scalar, 3);
  }

  const bool ok = std::fabs(p[0] - 0.0900306f) < 1e-6f && std::fabs(p[2] - 0.6652409f) < 1e-6f &&
                  std::fabs(p[3] - 1.0f / 3) < 1e-6f && std::fabs(grad[0] - p[0] * (1 - p[0])) < 1e-6f &&
                  x[0] == -0.02f && x[3] == 2.0f && ec == std::errc::invalid_argument &&
                  std::fabs(p_scalar[2] - p[2]) < 1e-6f;
  std::printf("consumer-cmake (C++): simdact %s on %s: softmax(1,2,3) = %.4f %.4f %.4f, d/dx0 = %.4f, "
              "leaky(-2) = %.2f, bad sizes -> \"%s\" [%s]\n",
              simdact::version(), simdact::isa_name(simdact::active_isa()), p[0], p[1], p[2], grad[0], x[0],
              ec.message().c_str(), ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
