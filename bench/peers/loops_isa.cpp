// Per-ISA loops, compiled once with -mavx2 -mfma (SIMDACT_PEER_AVX2) and once with the AVX-512 flags
// (SIMDACT_PEER_AVX512), each object sealed (bench/CMakeLists.txt):
//  - "naive-<isa>": the naive loops of the ops without a transcendental (relu, leaky relu, the backward
//    ops), auto-vectorised by the compiler for the ISA: what a user gets from -march=native (the
//    benchmark registers them for the best ISA the CPU has only);
//  - "sleef-u10-<isa>", "sleef-u35-<isa>" (SIMDACT_PEER_HAVE_SLEEF): sigmoid = 1/(1+exp(-x)), tanh and
//    softmax (max, exp(x - max), sum, divide) written the same way over SLEEF 3.5's vector functions.
//    SLEEF has expf in u10 only and tanhf in u10 and u35. Tails go through a padded local vector.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include <immintrin.h>
#ifdef SIMDACT_PEER_HAVE_SLEEF
#include <sleef.h>
#endif

#include "bench/peers/peers.hpp"

#if defined(SIMDACT_PEER_AVX512)
#define SIMDACT_PEER_ISA_NAME "avx512"
#define SIMDACT_PEER_TABLE loops_avx512_table
#elif defined(SIMDACT_PEER_AVX2)
#define SIMDACT_PEER_ISA_NAME "avx2"
#define SIMDACT_PEER_TABLE loops_avx2_table
#else
#error "compile with -DSIMDACT_PEER_AVX2 or -DSIMDACT_PEER_AVX512"
#endif

namespace simdact_peers {
namespace {
#include "bench/peers/naive_loops.inl"

#ifdef SIMDACT_PEER_HAVE_SLEEF

#if defined(SIMDACT_PEER_AVX512)
struct Vec {
  using V = __m512;
  static constexpr std::size_t W = 16;
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(float f) { return _mm512_set1_ps(f); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V exp_u10(V v) { return Sleef_expf16_u10avx512f(v); }
  static V tanh_u10(V v) { return Sleef_tanhf16_u10avx512f(v); }
  static V tanh_u35(V v) { return Sleef_tanhf16_u35avx512f(v); }
};
#else
struct Vec {
  using V = __m256;
  static constexpr std::size_t W = 8;
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V set1(float f) { return _mm256_set1_ps(f); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V div(V a, V b) { return _mm256_div_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static V exp_u10(V v) { return Sleef_expf8_u10avx2(v); }
  static V tanh_u10(V v) { return Sleef_tanhf8_u10avx2(v); }
  static V tanh_u35(V v) { return Sleef_tanhf8_u35avx2(v); }
};
#endif
using V = Vec::V;
constexpr std::size_t W = Vec::W;

// y[i] = f(x[i]) a vector at a time; the last rem < W elements through a vector padded with `pad`.
template <class F>
void map(const float* x, float* y, std::size_t n, float pad, F f) {
  std::size_t i = 0;
  for (; i + W <= n; i += W) Vec::store(y + i, f(Vec::load(x + i)));
  if (i < n) {
    alignas(64) float buf[W];
    for (std::size_t j = 0; j < W; ++j) buf[j] = i + j < n ? x[i + j] : pad;
    Vec::store(buf, f(Vec::load(buf)));
    for (std::size_t j = 0; i + j < n; ++j) y[i + j] = buf[j];
  }
}

float hsum(V v) {
  alignas(64) float buf[W];
  Vec::store(buf, v);
  float s = 0.0f;
  for (std::size_t j = 0; j < W; ++j) s += buf[j];
  return s;
}

float hmax(V v) {
  alignas(64) float buf[W];
  Vec::store(buf, v);
  float m = buf[0];
  for (std::size_t j = 1; j < W; ++j) m = std::max(m, buf[j]);
  return m;
}

void sleef_sigmoid_u10(const float* x, float* y, std::size_t n) {
  const V one = Vec::set1(1.0f), zero = Vec::set1(0.0f);
  map(x, y, n, 0.0f, [=](V v) { return Vec::div(one, Vec::add(one, Vec::exp_u10(Vec::sub(zero, v)))); });
}

void sleef_tanh_u10(const float* x, float* y, std::size_t n) { map(x, y, n, 0.0f, Vec::tanh_u10); }
void sleef_tanh_u35(const float* x, float* y, std::size_t n) { map(x, y, n, 0.0f, Vec::tanh_u35); }

// Row-wise max, exp(x - max) stored and summed, divide; tails padded with -inf (exp gives 0).
void sleef_softmax_u10(const float* x, float* y, std::size_t rows, std::size_t cols) {
  const float ninf = -INFINITY;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    V vm = Vec::set1(ninf);
    std::size_t j = 0;
    for (; j + W <= cols; j += W) vm = Vec::max(vm, Vec::load(xr + j));
    float m = hmax(vm);
    for (; j < cols; ++j) m = std::max(m, xr[j]);
    const V vmax = Vec::set1(m);
    V vs = Vec::set1(0.0f);
    map(xr, yr, cols, ninf, [&](V v) {
      const V e = Vec::exp_u10(Vec::sub(v, vmax));
      vs = Vec::add(vs, e);
      return e;
    });
    const V vsum = Vec::set1(hsum(vs));
    map(yr, yr, cols, 1.0f, [=](V v) { return Vec::div(v, vsum); });
  }
}

#define SIMDACT_PEER_SLEEF_KERNELS                                                                           \
  {"sigmoid", "sleef-u10-" SIMDACT_PEER_ISA_NAME, sleef_sigmoid_u10, nullptr, nullptr, nullptr, nullptr, nullptr}, \
      {"tanh", "sleef-u10-" SIMDACT_PEER_ISA_NAME, sleef_tanh_u10, nullptr, nullptr, nullptr, nullptr, nullptr},  \
      {"tanh", "sleef-u35-" SIMDACT_PEER_ISA_NAME, sleef_tanh_u35, nullptr, nullptr, nullptr, nullptr, nullptr},  \
      {"softmax", "sleef-u10-" SIMDACT_PEER_ISA_NAME, nullptr, nullptr, nullptr, nullptr, sleef_softmax_u10, nullptr},
#define SIMDACT_PEER_SLEEF_NOTE "; SLEEF " SIMDACT_PEER_STR(SLEEF_VERSION_MAJOR) "." SIMDACT_PEER_STR( \
    SLEEF_VERSION_MINOR) "." SIMDACT_PEER_STR(SLEEF_VERSION_PATCHLEVEL) " exp u10, tanh u10/u35"
#define SIMDACT_PEER_STR2(x) #x
#define SIMDACT_PEER_STR(x) SIMDACT_PEER_STR2(x)
#else
#define SIMDACT_PEER_SLEEF_KERNELS
#define SIMDACT_PEER_SLEEF_NOTE "; SLEEF not built"
#endif  // SIMDACT_PEER_HAVE_SLEEF

#define SIMDACT_PEER_NAIVE "naive-" SIMDACT_PEER_ISA_NAME
constexpr Kernel kKernels[] = {
    SIMDACT_PEER_SLEEF_KERNELS
    {"sigmoid_backward", SIMDACT_PEER_NAIVE, nullptr, naive_sigmoid_backward, nullptr, nullptr, nullptr, nullptr},
    {"tanh_backward", SIMDACT_PEER_NAIVE, nullptr, naive_tanh_backward, nullptr, nullptr, nullptr, nullptr},
    {"relu", SIMDACT_PEER_NAIVE, naive_relu, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"relu_backward", SIMDACT_PEER_NAIVE, nullptr, naive_relu_backward, nullptr, nullptr, nullptr, nullptr},
    {"leaky_relu", SIMDACT_PEER_NAIVE, nullptr, nullptr, naive_leaky_relu, nullptr, nullptr, nullptr},
    {"leaky_relu_backward", SIMDACT_PEER_NAIVE, nullptr, nullptr, nullptr, naive_leaky_relu_backward, nullptr,
     nullptr},
    {"softmax_backward", SIMDACT_PEER_NAIVE, nullptr, nullptr, nullptr, nullptr, nullptr, naive_softmax_backward},
};
}  // namespace

extern const Table SIMDACT_PEER_TABLE = {kKernels, sizeof kKernels / sizeof kKernels[0],
                                         "loops-" SIMDACT_PEER_ISA_NAME ": naive loops auto-vectorised"
                                         SIMDACT_PEER_SLEEF_NOTE};

}  // namespace simdact_peers
