// The naive peer: the formulas as plain loops over std::exp / std::tanh (/ std::erf, std::expm1,
// std::log1p for the newer ops), compiled with the build's
// baseline flags, as a user would write them first.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "bench/peers/peers.hpp"

namespace simdact_peers {
namespace {
#include "bench/peers/naive_loops.inl"

constexpr Kernel kKernels[] = {
    {"sigmoid", "naive", naive_sigmoid, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"sigmoid_backward", "naive", nullptr, naive_sigmoid_backward, nullptr, nullptr, nullptr, nullptr},
    {"tanh", "naive", naive_tanh, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"tanh_backward", "naive", nullptr, naive_tanh_backward, nullptr, nullptr, nullptr, nullptr},
    {"relu", "naive", naive_relu, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"relu_backward", "naive", nullptr, naive_relu_backward, nullptr, nullptr, nullptr, nullptr},
    {"leaky_relu", "naive", nullptr, nullptr, naive_leaky_relu, nullptr, nullptr, nullptr},
    {"leaky_relu_backward", "naive", nullptr, nullptr, nullptr, naive_leaky_relu_backward, nullptr, nullptr},
    {"softmax", "naive", nullptr, nullptr, nullptr, nullptr, naive_softmax, nullptr},
    {"softmax_backward", "naive", nullptr, nullptr, nullptr, nullptr, nullptr, naive_softmax_backward},
    {"log_softmax", "naive", nullptr, nullptr, nullptr, nullptr, naive_log_softmax, nullptr},
    {"log_softmax_backward", "naive", nullptr, nullptr, nullptr, nullptr, nullptr, naive_log_softmax_backward},
    {"gelu", "naive", naive_gelu, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"gelu_backward", "naive", nullptr, naive_gelu_backward, nullptr, nullptr, nullptr, nullptr},
    {"gelu_tanh", "naive", naive_gelu_tanh, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"gelu_tanh_backward", "naive", nullptr, naive_gelu_tanh_backward, nullptr, nullptr, nullptr, nullptr},
    {"silu", "naive", naive_silu, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"silu_backward", "naive", nullptr, naive_silu_backward, nullptr, nullptr, nullptr, nullptr},
    {"softplus", "naive", naive_softplus, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"softplus_backward", "naive", nullptr, naive_softplus_backward, nullptr, nullptr, nullptr, nullptr},
    {"elu", "naive", nullptr, nullptr, naive_elu, nullptr, nullptr, nullptr},
    {"elu_backward", "naive", nullptr, nullptr, nullptr, naive_elu_backward, nullptr, nullptr},
};
}  // namespace

extern const Table naive_table = {kKernels, sizeof kKernels / sizeof kKernels[0],
                                  "naive: plain loops, std::exp/std::tanh, baseline flags"};

}  // namespace simdact_peers
