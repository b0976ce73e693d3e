// The Eigen 3.4 peer: array expressions over Eigen::Map of the buffers, as a user would write them.
// Eigen picks its SIMD at compile time, so this file is compiled twice, with -mavx2 -mfma
// (SIMDACT_PEER_AVX2, namespace eigen_avx2) and with the AVX-512 flags (SIMDACT_PEER_AVX512, namespace
// eigen_avx512), each object sealed (bench/CMakeLists.txt). Softmax is row by row over a row-major Map:
// maxCoeff, exp, sum, divide; softmax backward y * (dy - sum(dy * y)).
#include <cstddef>

#include <Eigen/Core>

#include "bench/peers/peers.hpp"

#if defined(SIMDACT_PEER_AVX512)
#define SIMDACT_PEER_ISA_NAME "avx512"
#define SIMDACT_PEER_NS eigen_avx512
#define SIMDACT_PEER_TABLE eigen_avx512_table
#if !defined(EIGEN_VECTORIZE_AVX512)
#error "Eigen did not pick AVX-512: check the flags of this object"
#endif
#elif defined(SIMDACT_PEER_AVX2)
#define SIMDACT_PEER_ISA_NAME "avx2"
#define SIMDACT_PEER_NS eigen_avx2
#define SIMDACT_PEER_TABLE eigen_avx2_table
#if !defined(EIGEN_VECTORIZE_AVX2) || defined(EIGEN_VECTORIZE_AVX512)
#error "Eigen did not pick AVX2: check the flags of this object"
#endif
#else
#error "compile with -DSIMDACT_PEER_AVX2 or -DSIMDACT_PEER_AVX512"
#endif

namespace simdact_peers {
namespace SIMDACT_PEER_NS {
namespace {

using Array = Eigen::Array<float, Eigen::Dynamic, 1>;
using In = Eigen::Map<const Array>;
using Out = Eigen::Map<Array>;
using RowMajor = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using InRows = Eigen::Map<const RowMajor>;
using OutRows = Eigen::Map<RowMajor>;
using Index = Eigen::Index;

Index idx(std::size_t n) { return static_cast<Index>(n); }

void sigmoid(const float* x, float* y, std::size_t n) { Out(y, idx(n)) = In(x, idx(n)).logistic(); }

void tanh(const float* x, float* y, std::size_t n) { Out(y, idx(n)) = In(x, idx(n)).tanh(); }

void relu(const float* x, float* y, std::size_t n) {
  Out(y, idx(n)).matrix() = In(x, idx(n)).matrix().cwiseMax(0.0f);
}

void leaky_relu(const float* x, float* y, std::size_t n, float slope) {
  const In X(x, idx(n));
  Out(y, idx(n)) = (X > 0.0f).select(X, X * slope);
}

void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  const In Y(y, idx(n)), DY(dy, idx(n));
  Out(dx, idx(n)) = DY * (Y * (1.0f - Y));
}

void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  const In Y(y, idx(n)), DY(dy, idx(n));
  Out(dx, idx(n)) = DY * (1.0f - Y * Y);
}

void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  const In X(x, idx(n)), DY(dy, idx(n));
  Out(dx, idx(n)) = DY * (X > 0.0f).cast<float>();
}

void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  const In X(x, idx(n)), DY(dy, idx(n));
  Out(dx, idx(n)) = DY * (X > 0.0f).select(Array::Ones(idx(n)), slope);
}

void softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  const InRows X(x, idx(rows), idx(cols));
  OutRows Y(y, idx(rows), idx(cols));
  for (Index r = 0; r < X.rows(); ++r) {
    const float m = X.row(r).maxCoeff();
    Y.row(r) = (X.row(r) - m).exp();
    Y.row(r) /= Y.row(r).sum();
  }
}

void softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  const InRows Y(y, idx(rows), idx(cols)), DY(dy, idx(rows), idx(cols));
  OutRows DX(dx, idx(rows), idx(cols));
  for (Index r = 0; r < Y.rows(); ++r) {
    const float s = (DY.row(r) * Y.row(r)).sum();
    DX.row(r) = Y.row(r) * (DY.row(r) - s);
  }
}

#define SIMDACT_PEER_IMPL "eigen-" SIMDACT_PEER_ISA_NAME
constexpr Kernel kKernels[] = {
    {"sigmoid", SIMDACT_PEER_IMPL, sigmoid, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"sigmoid_backward", SIMDACT_PEER_IMPL, nullptr, sigmoid_backward, nullptr, nullptr, nullptr, nullptr},
    {"tanh", SIMDACT_PEER_IMPL, tanh, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"tanh_backward", SIMDACT_PEER_IMPL, nullptr, tanh_backward, nullptr, nullptr, nullptr, nullptr},
    {"relu", SIMDACT_PEER_IMPL, relu, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"relu_backward", SIMDACT_PEER_IMPL, nullptr, relu_backward, nullptr, nullptr, nullptr, nullptr},
    {"leaky_relu", SIMDACT_PEER_IMPL, nullptr, nullptr, leaky_relu, nullptr, nullptr, nullptr},
    {"leaky_relu_backward", SIMDACT_PEER_IMPL, nullptr, nullptr, nullptr, leaky_relu_backward, nullptr, nullptr},
    {"softmax", SIMDACT_PEER_IMPL, nullptr, nullptr, nullptr, nullptr, softmax, nullptr},
    {"softmax_backward", SIMDACT_PEER_IMPL, nullptr, nullptr, nullptr, nullptr, nullptr, softmax_backward},
};
#define SIMDACT_PEER_STR2(x) #x
#define SIMDACT_PEER_STR(x) SIMDACT_PEER_STR2(x)
}  // namespace
}  // namespace SIMDACT_PEER_NS

extern const Table SIMDACT_PEER_TABLE = {
    SIMDACT_PEER_NS::kKernels, sizeof SIMDACT_PEER_NS::kKernels / sizeof SIMDACT_PEER_NS::kKernels[0],
    "eigen-" SIMDACT_PEER_ISA_NAME ": Eigen " SIMDACT_PEER_STR(EIGEN_WORLD_VERSION) "." SIMDACT_PEER_STR(
        EIGEN_MAJOR_VERSION) "." SIMDACT_PEER_STR(EIGEN_MINOR_VERSION) ", SIMD: " SIMDACT_PEER_ISA_NAME};

}  // namespace simdact_peers
