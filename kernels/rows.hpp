// Row reductions of the row-wise ops (softmax, log-softmax and their backward): a row's max and
// min, sums in float blocks moved into a double, the dot product with its exact fallback, and the
// eight-row transposition of short rows.
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/drivers.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (dispatch/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// Row reductions. Partial sums stay in float vector accumulators for at most 16 vectors per lane,
// then move into a double: the sum's rounding error stays near one float ULP for any row length.

// Largest and smallest entry of a row (NaN lanes may or may not win: a NaN entry reaches every output
// through the sum anyway).
template <class A>
struct row_range {
  float max, min;
};
template <class A>
SIMDACT_INLINE row_range<A> row_max_min(const float* x, std::size_t cols) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  const float inf = std::numeric_limits<float>::infinity();
  V m0(-inf), m1(-inf), n0(inf), n1(inf);
  std::size_t i = 0;
  for (; i + 2 * W <= cols; i += 2 * W) {
    const V a = V::load_unaligned(x + i), b = V::load_unaligned(x + i + W);
    m0 = xsimd::max(m0, a);
    n0 = xsimd::min(n0, a);
    m1 = xsimd::max(m1, b);
    n1 = xsimd::min(n1, b);
  }
  if (i + W <= cols) {
    const V a = V::load_unaligned(x + i);
    m0 = xsimd::max(m0, a);
    n0 = xsimd::min(n0, a);
    i += W;
  }
  if (i < cols) {
    m1 = xsimd::max(m1, load_partial<A>(x + i, cols - i, -inf));
    n1 = xsimd::min(n1, load_partial<A>(x + i, cols - i, inf));
  }
  return {hmax<A>(xsimd::max(m0, m1)), -hmax<A>(-xsimd::min(n0, n1))};
}

// Short rows on AVX2 (2 <= cols < 16): eight rows at a time with one row per lane, so that no lane
// idles and nothing is reduced across lanes (a softmax row of 10 took ~75 ns with the horizontal max,
// sum and the partial vectors of the row-wise path). The eight rows are transposed through a stack
// buffer element by element, in (short_rows_in) and out (short_rows_out). Both
// touch exactly the rows' entries; every input of a group is read before its output is written, so
// the kernels stay in-place safe. kShortCols bounds cols.
constexpr std::size_t kShortCols = 16;
// The architecture whose eight-row code an ISA runs (short_rows_arch_of: AVX-512 runs the 256-bit code).
template <class A>
using short_rows_arch = typename short_rows_arch_of<A>::type;
template <class A>
SIMDACT_INLINE bool short_rows_apply(std::size_t rows, std::size_t cols) {
  return is_arch<A, xsimd::fma3<xsimd::avx2>> && cols >= 2 && cols < kShortCols && rows >= 8;
}
// The columns are read element by element into a stack buffer, not gathered: qemu-x86_64 7.2 (CI's
// emulated AVX2 run) computes some vgatherdps wrongly (with a displacement every lane got base +
// disp; other rows of log_softmax_strided came out wrong as well), and the scalar loads cost little
// beside the exponentials (softmax cols 10 on the Xeon: within the noise of the gathers).
template <class A>
SIMDACT_INLINE void short_rows_in(const float* p, std::size_t ld, std::size_t cols, vf<A> (&c)[kShortCols]) {
  alignas(64) float e[kShortCols][vf<A>::size];
  for (std::size_t i = 0; i < vf<A>::size; ++i)
    for (std::size_t j = 0; j < cols; ++j) e[j][i] = p[i * ld + j];
  for (std::size_t j = 0; j < cols; ++j) c[j] = vf<A>::load_aligned(e[j]);
}
template <class A>
SIMDACT_INLINE void short_rows_out(float* p, std::size_t ld, std::size_t cols, const vf<A> (&c)[kShortCols]) {
  alignas(64) float e[kShortCols][vf<A>::size];
  for (std::size_t j = 0; j < cols; ++j) c[j].store_aligned(e[j]);
  for (std::size_t i = 0; i < vf<A>::size; ++i)
    for (std::size_t j = 0; j < cols; ++j) p[i * ld + j] = e[j][i];
}
// Pairwise sum of c[0..cols) (depth <= 4 for cols < 16: <= 4 x 2^-24 relative for terms of one sign).
template <class A>
SIMDACT_INLINE vf<A> short_rows_sum(vf<A> (&c)[kShortCols], std::size_t cols) {
  for (std::size_t w = cols; w > 1; w = (w + 1) / 2) {
    const std::size_t h = (w + 1) / 2;
    for (std::size_t k = 0; k + h < w; ++k) c[k] += c[k + h];
  }
  return c[0];
}

// sum(dy*y) of one row: float FMA accumulators moved into a double every 16 blocks; where that is
// not finite (a float product or partial sum overflowed where the oracle's double sum need not, or
// the row holds inf/NaN) the row is summed again as the oracle does, products and sum in double (a
// product of two floats cannot overflow a double), so the result is the oracle's.
template <class A>
SIMDACT_INLINE double dot_exact_fallback(const float* yr, const float* gr, std::size_t cols, double total) {
  if (total - total == 0.0) return total;
  total = 0.0;
  for (std::size_t j = 0; j < cols; ++j) total += static_cast<double>(gr[j]) * static_cast<double>(yr[j]);
  return total;
}

// A row sum in float vector accumulators (4 per iteration), moved into a double every 16 blocks:
// add(acc, i) returns acc plus the row's terms at [i, i + W); add_part(acc, i, k) the same for the k < W
// terms left at the end (masked loads).
template <class A, class Add, class AddPart>
SIMDACT_INLINE double block_sum(std::size_t cols, Add add, AddPart add_part) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  double total = 0.0;
  V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
  std::size_t i = 0, blocks = 0;
  for (; i + 4 * W <= cols; i += 4 * W) {
    s0 = add(s0, i);
    s1 = add(s1, i + W);
    s2 = add(s2, i + 2 * W);
    s3 = add(s3, i + 3 * W);
    if (++blocks == 16) {
      total += hsum<A>((s0 + s1) + (s2 + s3));
      s0 = s1 = s2 = s3 = V(0.0f);
      blocks = 0;
    }
  }
  for (; i + W <= cols; i += W) s0 = add(s0, i);
  if (i < cols) s1 = add_part(s1, i, cols - i);
  return total + hsum<A>((s0 + s1) + (s2 + s3));
}

template <class A>
SIMDACT_INLINE double dot_row(const float* yr, const float* gr, std::size_t cols) {
  using V = vf<A>;
  const double total = block_sum<A>(
      cols,
      [&](V acc, std::size_t i) __attribute__((always_inline)) {
        return fmadd<A>(V::load_unaligned(gr + i), V::load_unaligned(yr + i), acc);
      },
      [&](V acc, std::size_t i, std::size_t k) __attribute__((always_inline)) {
        return fmadd<A>(load_partial<A>(gr + i, k, 0.0f), load_partial<A>(yr + i, k, 0.0f), acc);
      });
  return dot_exact_fallback<A>(yr, gr, cols, total);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
