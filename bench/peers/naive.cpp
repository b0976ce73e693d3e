// The naive peer: the formulas as plain loops over std::exp / std::tanh, compiled with the build's
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
};
}  // namespace

extern const Table naive_table = {kKernels, sizeof kKernels / sizeof kKernels[0],
                                  "naive: plain loops, std::exp/std::tanh, baseline flags"};

}  // namespace simdact_peers
