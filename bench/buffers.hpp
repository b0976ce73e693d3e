// Buffers and deterministic inputs shared by the two benchmark programs (bench_kernels.cpp,
// simdact_compare.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "kernels/facts.hpp"

namespace simdact_bench {

// The range of a kernel's first input, from its row of include/simdact/kernels.inc (the first column): a backward
// op that takes a forward output gets that output's range (Domain::kUnit: sigmoid and softmax outputs,
// kSigned: tanh's, kLogUnit: log-softmax's); anything else, `forward`. Domain is each benchmark's own
// enum, with those three members.
template <class Domain>
Domain first_input_domain_of(const std::string& op, Domain forward) {
  using simdact::facts::first;
  const simdact::facts::kernel* k = simdact::facts::find(op.c_str());
  switch (k != nullptr ? k->first : first::x) {
    case first::sigmoid_y:
    case first::softmax_y: return Domain::kUnit;
    case first::tanh_y: return Domain::kSigned;
    case first::log_softmax_y: return Domain::kLogUnit;
    case first::x: break;
  }
  return forward;
}

// splitmix64: the next 64 random bits of the state *s (fixed seeds: cheap enough to fill 3 x 128 MiB
// in well under a second).
inline std::uint64_t splitmix(std::uint64_t* s) {
  std::uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float, FreeDeleter>;

// n floats, 64-byte aligned, plus 64 bytes of padding (some peers read past the end), zeroed so the
// pages are faulted in before any timing; nullptr when out of memory.
inline Buffer allocate(std::size_t n) {
  const std::size_t bytes = (n * sizeof(float) + 64 + 63) / 64 * 64;
  auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
  if (p != nullptr) std::memset(p, 0, bytes);
  return Buffer(p);
}

}  // namespace simdact_bench
