// The 256-bit operations of the eight-row short-row softmax paths (kernels/ops_softmax.hpp), for
// xsimd::fma3<xsimd::avx2>: included by the x86 ISA headers of kernels/arch/ (AVX-512
// runs the same 256-bit code; both objects are compiled with AVX2).
#pragma once

#include <immintrin.h>

#include "kernels/arch/generic.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

template <class A>
struct short_rows_ops<A, std::enable_if_t<is_arch<A, xsimd::fma3<xsimd::avx2>>>> {
  static constexpr bool enabled = true;
  using V = vf<A>;
  using I = vi<A>;

  // Row i's four-lane partial sum of dy*y over its `full` whole 128-bit blocks and a `tail`-lane
  // masked one (vmaskmovps never touches the masked entries): blocks b0 b1 b2 b3 added as
  // (b0 + b1) + (b2 + b3).
  static SIMDACT_INLINE __m128 row_part(const float* yi, const float* gi, std::size_t full, std::size_t tail,
                                        __m128i tail_mask) {
    __m128 b[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};
    std::size_t nb = 0;
    for (; nb < full; ++nb) b[nb] = _mm_mul_ps(_mm_loadu_ps(gi + 4 * nb), _mm_loadu_ps(yi + 4 * nb));
    if (tail != 0) {
      b[nb] = _mm_mul_ps(_mm_maskload_ps(gi + 4 * nb, tail_mask), _mm_maskload_ps(yi + 4 * nb, tail_mask));
      ++nb;
    }
    const __m128 lo = nb >= 2 ? _mm_add_ps(b[0], b[1]) : b[0];
    return nb == 4 ? _mm_add_ps(lo, _mm_add_ps(b[2], b[3])) : nb == 3 ? _mm_add_ps(lo, b[2]) : lo;
  }

  // The dot products sum dy*y of the eight rows of `cols` entries at yr, gr, row i's in lane i: the
  // rows' four-lane partial sums reduced together by three vhaddps (rows 0-3 in the low halves, 4-7
  // in the high ones). tail_lanes: -1 for the lanes [0, cols % 4), 0 for the others.
  static SIMDACT_INLINE V row_dots(const float* yr, const float* gr, std::size_t cols, const int32_t* tail_lanes) {
    const std::size_t full = cols / 4, tail = cols % 4;
    const __m128i tail_mask = _mm_load_si128(reinterpret_cast<const __m128i*>(tail_lanes));
    __m256 h[4];
    for (std::size_t i = 0; i < 4; ++i)
      h[i] = _mm256_set_m128(row_part(yr + (i + 4) * cols, gr + (i + 4) * cols, full, tail, tail_mask),
                             row_part(yr + i * cols, gr + i * cols, full, tail, tail_mask));
    return _mm256_hadd_ps(_mm256_hadd_ps(h[0], h[1]), _mm256_hadd_ps(h[2], h[3]));
  }

  // s[i[l]] in lane l (one vpermps).
  static SIMDACT_INLINE V spread(V s, I i) { return _mm256_permutevar8x32_ps(s, i); }
};

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
