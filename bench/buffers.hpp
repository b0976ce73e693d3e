// Buffers and deterministic inputs shared by the two benchmark programs (bench_kernels.cpp,
// simdact_compare.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace simdact_bench {

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
