// The loop drivers of the element-wise op templates: 4 vectors per iteration, then 1, then the
// masked tail; non-temporal stores for large outputs; the lockstep drivers (four vectors phase by
// phase). Every op header includes this (through the headers it builds on).
//
// The op templates (kernels/ops_*.hpp) are written once over xsimd::batch<float, Arch> and
// instantiated per ISA by dispatch/isa_table.inl inside namespace simdact::SIMDACT_ISA_NS.
//
// Common to every op: any length, no alignment needed, the output may be the very same buffer as an
// input, nothing is read or written outside [0, n) (masked tails), nothing
// allocates, and the FP control registers are left as they are (results assume the default
// round-to-nearest without FTZ/DAZ; with FTZ/DAZ set by the caller, subnormals follow those modes).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "kernels/simd_math.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// Loop drivers: 4 vectors per iteration, then 1, then the tail with masked loads and stores
// (load_partial/store_partial: padding lanes hold 0 and are never stored).
//
// Outputs of kStreamMinBytes and more (x86) are written with non-temporal stores: an output that
// large does not stay in the cache anyway, and the stores then go to memory without reading the
// lines first (1.5x at 32 Mi floats for the copy-bound ops on this machine). The partial vector at
// the start (up to the vector alignment) and the tail use ordinary masked stores.
constexpr std::size_t kStreamMinBytes = std::size_t{16} << 20;

// full(i): the result vector at i; part(i, k): the result at i with only k < W lanes valid. The
// lambdas are always_inline: GCC 12 sometimes kept them as calls (one call per vector).
// stream: a part of a larger output (a row) that is to be streamed too; the caller fences.
// four(i, r) (optional, the lockstep drivers below): r[0..3] = the results at i, i + W, i + 2W, i + 3W.
template <class A, class Full, class Part, class Four = std::nullptr_t>
SIMDACT_INLINE void map_driver(float* out, std::size_t n, Full full, Part part, bool stream, Four four = nullptr) {
  constexpr bool locked = !std::is_same<Four, std::nullptr_t>::value;
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  if constexpr (has_stream<A>) {
    const std::uintptr_t addr = reinterpret_cast<std::uintptr_t>(out);
    const bool whole = n >= kStreamMinBytes / sizeof(float);
    if ((whole || stream) && addr % sizeof(float) == 0) {
      const std::size_t head = (sizeof(V) - addr % sizeof(V)) % sizeof(V) / sizeof(float);  // < W
      if (head != 0) store_partial<A>(out, head, part(0, head));
      for (i = head; i + 4 * W <= n; i += 4 * W) {
        if constexpr (locked) {
          V r[4];
          four(i, r);
          for (std::size_t k = 0; k < 4; ++k) store_stream<A>(out + i + k * W, r[k]);
        } else {
          const V r0 = full(i), r1 = full(i + W), r2 = full(i + 2 * W), r3 = full(i + 3 * W);
          store_stream<A>(out + i, r0);
          store_stream<A>(out + i + W, r1);
          store_stream<A>(out + i + 2 * W, r2);
          store_stream<A>(out + i + 3 * W, r3);
        }
      }
      for (; i + W <= n; i += W) store_stream<A>(out + i, full(i));
      if (i < n) store_partial<A>(out + i, n - i, part(i, n - i));
      if (!stream) stream_fence<A>();
      return;
    }
  }
  for (; i + 4 * W <= n; i += 4 * W) {
    if constexpr (locked) {
      V r[4];
      four(i, r);
      for (std::size_t k = 0; k < 4; ++k) r[k].store_unaligned(out + i + k * W);
    } else if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
      // AVX2: each result stored as soon as it is computed. Holding four results back for four
      // stores cost the copy-bound ops ~30% (sigmoid_backward at 64 Ki: 5.6 -> 7.5 el/ns, Xeon).
      full(i).store_unaligned(out + i);
      full(i + W).store_unaligned(out + i + W);
      full(i + 2 * W).store_unaligned(out + i + 2 * W);
      full(i + 3 * W).store_unaligned(out + i + 3 * W);
    } else {
      const V r0 = full(i), r1 = full(i + W), r2 = full(i + 2 * W), r3 = full(i + 3 * W);
      r0.store_unaligned(out + i);
      r1.store_unaligned(out + i + W);
      r2.store_unaligned(out + i + 2 * W);
      r3.store_unaligned(out + i + 3 * W);
    }
  }
  for (; i + W <= n; i += W) full(i).store_unaligned(out + i);
  if (i < n) store_partial<A>(out + i, n - i, part(i, n - i));
}

template <class A, class F>
SIMDACT_INLINE void map_unary(const float* x, float* y, std::size_t n, F f, bool stream = false) {
  using V = vf<A>;
  map_driver<A>(
      y, n, [&](std::size_t i) __attribute__((always_inline)) { return f(V::load_unaligned(x + i)); },
      [&](std::size_t i, std::size_t k) __attribute__((always_inline)) { return f(load_partial<A>(x + i, k, 0.0f)); }, stream);
}

template <class A, class F>
SIMDACT_INLINE void map_binary(const float* a, const float* b, float* out, std::size_t n, F f, bool stream = false) {
  using V = vf<A>;
  map_driver<A>(
      out, n, [&](std::size_t i) __attribute__((always_inline)) { return f(V::load_unaligned(a + i), V::load_unaligned(b + i)); },
      [&](std::size_t i, std::size_t k) __attribute__((always_inline)) { return f(load_partial<A>(a + i, k, 0.0f), load_partial<A>(b + i, k, 0.0f)); },
      stream);
}

// ---------------------------------------------------------------------------------------------
// Lockstep: four vectors per step, each phase of an op (range reduction, polynomial, division...)
// for all four before the next. GCC 12 keeps the source's order on x86 (it schedules nothing before
// register allocation), so the loop above computes one vector's whole dependent chain (~20 operations,
// most of them FMAs at 3-4 cycles each) before it starts the next, and the core overlaps only as much
// as its scheduler holds; in phases, four independent chains are in flight. The same operations per
// lane, so the same bits as the one-vector form (the AVX2-only methods are their own K = 1 case; the
// helpers the other ISAs share keep a separate one-vector form, so their code stays as it was). Used by
// the AVX2 kernels with a long chain (every exp-based element-wise op of kernels/ops_*.hpp whose AVX2
// loop calls lockstep; log-softmax's row sum), measured on a Zen 3 EPYC (family 25 model 1, AVX2 only), 64 Ki floats,
// simdact_ab in one process: 1.10-1.58x (README). Two of them read tables (gelu_backward's 8 slots,
// 1.25x; softplus's 16, 1.17x); tanh's old 8-entry table was slower in lockstep (1.6 -> 1.2-1.4 el/ns:
// its indices and partial sums for four vectors spilled the 16 ymm registers) - measure each.
template <class F, std::size_t... k>
SIMDACT_INLINE void each_impl(F& f, std::index_sequence<k...>) {
  (f(k), ...);
}
// f(k) for k = 0 .. K-1, unrolled.
template <std::size_t K, class F>
SIMDACT_INLINE void each(F f) {
  each_impl(f, std::make_index_sequence<K>{});
}

// map_unary with f4(v) computing four vectors in place (f: the same op on one vector, for the rest).
template <class A, class F, class F4>
SIMDACT_INLINE void map_unary_lockstep(const float* x, float* y, std::size_t n, F f, F4 f4) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  map_driver<A>(
      y, n, [&](std::size_t i) __attribute__((always_inline)) { return f(V::load_unaligned(x + i)); },
      [&](std::size_t i, std::size_t k) __attribute__((always_inline)) { return f(load_partial<A>(x + i, k, 0.0f)); },
      false, [&](std::size_t i, V(&r)[4]) __attribute__((always_inline)) {
        each<4>([&](std::size_t k) __attribute__((always_inline)) { r[k] = V::load_unaligned(x + i + k * W); });
        f4(r);
      });
}

// map_binary with f4(v, g) computing four vectors in place in v (g: the second inputs).
template <class A, class F, class F4>
SIMDACT_INLINE void map_binary_lockstep(const float* a, const float* b, float* out, std::size_t n, F f, F4 f4) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  map_driver<A>(
      out, n, [&](std::size_t i) __attribute__((always_inline)) { return f(V::load_unaligned(a + i), V::load_unaligned(b + i)); },
      [&](std::size_t i, std::size_t k) __attribute__((always_inline)) { return f(load_partial<A>(a + i, k, 0.0f), load_partial<A>(b + i, k, 0.0f)); },
      false, [&](std::size_t i, V(&r)[4]) __attribute__((always_inline)) {
        V g[4];
        each<4>([&](std::size_t k) __attribute__((always_inline)) {
          r[k] = V::load_unaligned(a + i + k * W);
          g[k] = V::load_unaligned(b + i + k * W);
        });
        f4(r, g);
      });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
