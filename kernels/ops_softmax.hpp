// softmax (contiguous and strided rows) and its backward.
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/rows.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (dispatch/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// e^(x - m) for softmax, z = x - m <= 0: exp as 1 + r (1 + r Q5(r)) in Horner form, 5 FMAs (relative
// error <= ~1.5 ULP: polynomial 1.05e-7, reduction and roundings; z clamped to >= -104, where the
// result is 0, so -inf entries give 0 and NaN propagates).
// Carry = true: the rounding error of x - m is carried into the reduction (TwoSum), so entries far
// below the max keep full relative accuracy. Carry = false, for rows whose max - min < 32: x - m is
// used rounded, an error of at most 2^-20 absolute in the exponent (|x - m| < 32), i.e. <= 9.6e-7
// relative in the output.
template <class A, bool Carry>
SIMDACT_INLINE vf<A> exp_shifted(vf<A> x, vf<A> neg_m) {
  using V = vf<A>;
  const V s = x + neg_m;
  const V z = max_keep_nan<A>(V(-104.0f), s);
  const V magic(0x1.8p23f);
  const V t = fmadd<A>(z, V(0x1.715476p+0f), magic);
  const V n = t - magic;
  V r = fmadd<A>(n, V(-0x1.63p-1f), z);
  if constexpr (Carry) {
    const V lo = two_sum_err<A>(x, neg_m, s);
    r = r + xsimd::select(s > V(-104.0f), lo, V(0.0f));  // lo is NaN for x = -inf
  }
  r = fmadd<A>(n, V(0x1.bd0106p-13f), r);
  const V p = fmadd<A>(fmadd<A>(q5<A>(r), r, V(1.0f)), r, V(1.0f));
  const vi<A> ni = xsimd::bitwise_cast<vi<A>>(t) - xsimd::bitwise_cast<vi<A>>(magic);
  return scale2n<A>(p, reduced<A>{r, ni, n});
}

// Pass 2 of softmax: y = e^(x - m), returns the sum (float accumulators moved into a double every
// 16 blocks, so the sum's rounding stays near one float ULP for any row length).
template <class A, bool Carry>
SIMDACT_INLINE double softmax_exp_row(const float* xr, float* yr, std::size_t cols, vf<A> neg_m) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  double total = 0.0;
  V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
  std::size_t i = 0, blocks = 0;
  for (; i + 4 * W <= cols; i += 4 * W) {
    const V e0 = exp_shifted<A, Carry>(V::load_unaligned(xr + i), neg_m);
    const V e1 = exp_shifted<A, Carry>(V::load_unaligned(xr + i + W), neg_m);
    const V e2 = exp_shifted<A, Carry>(V::load_unaligned(xr + i + 2 * W), neg_m);
    const V e3 = exp_shifted<A, Carry>(V::load_unaligned(xr + i + 3 * W), neg_m);
    e0.store_unaligned(yr + i);
    e1.store_unaligned(yr + i + W);
    e2.store_unaligned(yr + i + 2 * W);
    e3.store_unaligned(yr + i + 3 * W);
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
    if (++blocks == 16) {
      total += hsum<A>((s0 + s1) + (s2 + s3));
      s0 = s1 = s2 = s3 = V(0.0f);
      blocks = 0;
    }
  }
  for (; i + W <= cols; i += W) {
    const V e = exp_shifted<A, Carry>(V::load_unaligned(xr + i), neg_m);
    e.store_unaligned(yr + i);
    s0 += e;
  }
  if (i < cols) {
    const float ninf = -std::numeric_limits<float>::infinity();
    const V e = exp_shifted<A, Carry>(load_partial<A>(xr + i, cols - i, ninf), neg_m);  // padding gives e = 0
    store_partial<A>(yr + i, cols - i, e);
    s0 += e;
  }
  return total + hsum<A>((s0 + s1) + (s2 + s3));
}

// Pass 2 for two rows at once (short rows: the two dependency chains of max, sum and reciprocal
// overlap). Returns both sums, as softmax_exp_row.
template <class A, bool Carry>
SIMDACT_INLINE void softmax_exp_rows2(const float* x0, const float* x1, float* y0, float* y1, std::size_t cols,
                                      vf<A> neg_m0, vf<A> neg_m1, double* total0, double* total1) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  double t0 = 0.0, t1 = 0.0;
  V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
  std::size_t i = 0, blocks = 0;
  for (; i + 2 * W <= cols; i += 2 * W) {
    const V e0 = exp_shifted<A, Carry>(V::load_unaligned(x0 + i), neg_m0);
    const V e1 = exp_shifted<A, Carry>(V::load_unaligned(x1 + i), neg_m1);
    const V e2 = exp_shifted<A, Carry>(V::load_unaligned(x0 + i + W), neg_m0);
    const V e3 = exp_shifted<A, Carry>(V::load_unaligned(x1 + i + W), neg_m1);
    e0.store_unaligned(y0 + i);
    e1.store_unaligned(y1 + i);
    e2.store_unaligned(y0 + i + W);
    e3.store_unaligned(y1 + i + W);
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
    if (++blocks == 16) {
      t0 += hsum<A>(s0 + s2);
      t1 += hsum<A>(s1 + s3);
      s0 = s1 = s2 = s3 = V(0.0f);
      blocks = 0;
    }
  }
  for (; i + W <= cols; i += W) {
    const V e0 = exp_shifted<A, Carry>(V::load_unaligned(x0 + i), neg_m0);
    const V e1 = exp_shifted<A, Carry>(V::load_unaligned(x1 + i), neg_m1);
    e0.store_unaligned(y0 + i);
    e1.store_unaligned(y1 + i);
    s0 += e0;
    s1 += e1;
  }
  if (i < cols) {
    const float ninf = -std::numeric_limits<float>::infinity();
    const V e0 = exp_shifted<A, Carry>(load_partial<A>(x0 + i, cols - i, ninf), neg_m0);
    const V e1 = exp_shifted<A, Carry>(load_partial<A>(x1 + i, cols - i, ninf), neg_m1);
    store_partial<A>(y0 + i, cols - i, e0);
    store_partial<A>(y1 + i, cols - i, e1);
    s0 += e0;
    s1 += e1;
  }
  *total0 = t0 + hsum<A>(s0 + s2);
  *total1 = t1 + hsum<A>(s1 + s3);
}

// Pass 3 for two rows: y *= inv.
template <class A>
SIMDACT_INLINE void scale_rows2(float* y0, float* y1, std::size_t cols, vf<A> inv0, vf<A> inv1) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  for (; i + W <= cols; i += W) {
    (V::load_unaligned(y0 + i) * inv0).store_unaligned(y0 + i);
    (V::load_unaligned(y1 + i) * inv1).store_unaligned(y1 + i);
  }
  if (i < cols) {
    store_partial<A>(y0 + i, cols - i, load_partial<A>(y0 + i, cols - i, 0.0f) * inv0);
    store_partial<A>(y1 + i, cols - i, load_partial<A>(y1 + i, cols - i, 0.0f) * inv1);
  }
}

// softmax of eight short rows per step: max and min, the exponentials (exp_shifted: per-lane max,
// Carry where a row's max - min >= 32, as the row-wise path decides it), short_rows_sum, the
// reciprocal in float, one product per entry. Returns the rows done (a multiple of 8).
template <class A>
SIMDACT_INLINE std::size_t softmax_rows8_short(const float* x, std::size_t ldx, float* y, std::size_t ldy,
                                               std::size_t rows, std::size_t cols) {
  if constexpr (short_rows_ops<A>::enabled) {
    using V = vf<A>;
    if (!short_rows_apply<A>(rows, cols)) return 0;
    std::size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
      V c[kShortCols], t[kShortCols], sum[kShortCols];
      short_rows_in<A>(x + r * ldx, ldx, cols, c);
      V hi(-std::numeric_limits<float>::infinity()), lo(std::numeric_limits<float>::infinity());
      for (std::size_t j = 0; j < cols; ++j) {
        hi = xsimd::max(hi, c[j]);
        lo = xsimd::min(lo, c[j]);
      }
      const V neg_m = -hi;
      if (xsimd::all(hi - lo < V(32.0f))) {
        for (std::size_t j = 0; j < cols; ++j) t[j] = exp_shifted<A, false>(c[j], neg_m);
      } else {
        for (std::size_t j = 0; j < cols; ++j) t[j] = exp_shifted<A, true>(c[j], neg_m);
      }
      for (std::size_t j = 0; j < cols; ++j) sum[j] = t[j];
      const V inv = divide<A>(V(1.0f), short_rows_sum<A>(sum, cols));
      for (std::size_t j = 0; j < cols; ++j) t[j] *= inv;
      short_rows_out<A>(y + r * ldy, ldy, cols, t);
    }
    return r;
  }
  (void)x, (void)ldx, (void)y, (void)ldy, (void)rows, (void)cols;
  return 0;
}

// softmax(x)_j = e^(x_j - max) / sum_k e^(x_k - max), row by row, in three passes (max and min;
// exp, store and sum; scale by the reciprocal of the sum).
//   Max error: relative 2e-6 for every output >= FLT_MIN, rows of any length (measured: README):
//   exp <= ~1.5 ULP (2e-7); x - max exact to 2^-20 (<= 9.6e-7) in rows whose max - min < 32, else
//   carried exactly (TwoSum); the sum ~2 ULP; reciprocal and product 0.5 ULP each.
//   Row sums within 1e-5 of 1.
//   Special values: -inf entries give +0; one column gives 1; a row holding NaN or +inf, or all
//   -inf, gives NaN in every entry. Outputs below ~1.4e-45 are 0, subnormal outputs are produced.
//   Rows shorter than 512 go two at a time (the same exponentials; each sum in another order, which
//   moves results by ~1 ULP against one-row calls); on AVX2 and AVX-512, rows of 2 to 15 go eight at a time, one
//   per lane (softmax_rows8_short; the rest of rows / 8 as before).
//   Outputs of kStreamMinBytes (16 MiB) and more in rows of 256 to 2048 floats (x86): the
//   exponentials go to a buffer on the stack (8 KiB) and y is written once with non-temporal stores,
//   so it is not read from memory first (the same results as one-row calls; a large output would not
//   stay in the cache anyway).
//   Strided rows (softmax_strided): row r at x + r*ldx and y + r*ldy; the same per-row arithmetic, so
//   the same bits as the contiguous call on the same rows (pairs and streaming decided alike).
template <class A>
SIMDACT_INLINE void softmax_rows(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                                 std::size_t cols, std::size_t stream_bytes) {
  using V = vf<A>;
  constexpr std::size_t kStreamCols = 2048;
  constexpr std::size_t kPairCols = 512;  // rows shorter than this go two at a time
  const bool stream = has_stream<A> && cols >= 256 && cols <= kStreamCols && rows * cols >= stream_bytes / sizeof(float) &&
                      (reinterpret_cast<std::uintptr_t>(y) & (sizeof(float) - 1)) == 0;
  alignas(64) float buf[has_stream<A> ? kStreamCols : 1];
  std::size_t r = stream ? 0 : softmax_rows8_short<short_rows_arch<A>>(x, ldx, y, ldy, rows, cols);
  if (!stream && cols < kPairCols) {
    for (; r + 2 <= rows; r += 2) {
      const float* x0 = x + r * ldx;
      const float* x1 = x0 + ldx;
      float* y0 = y + r * ldy;
      float* y1 = y0 + ldy;
      const row_range<A> a = row_max_min<A>(x0, cols);
      const row_range<A> b = row_max_min<A>(x1, cols);
      double t0, t1;
      if (a.max - a.min < 32.0f && b.max - b.min < 32.0f) {
        softmax_exp_rows2<A, false>(x0, x1, y0, y1, cols, V(-a.max), V(-b.max), &t0, &t1);
      } else {
        softmax_exp_rows2<A, true>(x0, x1, y0, y1, cols, V(-a.max), V(-b.max), &t0, &t1);
      }
      scale_rows2<A>(y0, y1, cols, V(static_cast<float>(1.0 / t0)), V(static_cast<float>(1.0 / t1)));
    }
  }
  for (; r < rows; ++r) {
    const float* xr = x + r * ldx;
    float* yr = y + r * ldy;
    float* er = stream ? buf : yr;
    const row_range<A> mm = row_max_min<A>(xr, cols);
    const V neg_m(-mm.max);
    const double total = mm.max - mm.min < 32.0f ? softmax_exp_row<A, false>(xr, er, cols, neg_m)
                                                 : softmax_exp_row<A, true>(xr, er, cols, neg_m);
    const V inv(static_cast<float>(1.0 / total));
    map_unary<A>(er, yr, cols, [inv](V v) { return v * inv; }, stream);  // er == yr unless streaming
  }
  if (stream) stream_fence<A>();
}

template <class A>
void softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  softmax_rows<A>(x, cols, y, cols, rows, cols, kStreamMinBytes);
}

template <class A>
void softmax_strided(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows, std::size_t cols) {
  softmax_rows<A>(x, ldx, y, ldy, rows, cols, kStreamMinBytes);
}

// dx = y * (dy - sum(dy*y)) per row: the dot product as above, then one rounding per operation as in
// the oracle. The dot product differs from the oracle's (double throughout) by at most ~1 float ULP
// of sum|dy*y|. Outputs of kStreamMinBytes and more in rows of at least 256 floats are written with
// non-temporal stores (x86), as the element-wise ops (shorter rows would mix them with ordinary
// stores to the same lines).
// softmax_backward of eight short rows per step (AVX2 and AVX-512, 256-bit): the eight rows are 8 * cols contiguous floats,
// i.e. cols whole vectors of y and dy, loaded and stored as such for dx. Each row's dot product is
// taken from the row itself in 128-bit blocks: products dy*y rounded once each (the last block masked:
// vmaskmovps never touches the masked entries), the <= 4 blocks added pairwise, and the eight rows'
// four-lane partial sums reduced together by three vhaddps (rows 0-3 in the low halves, 4-7 in the
// high ones), which leaves row i's sum in lane i: depth <= 4 additions, within ~2^-22 sum|dy*y| of the
// double sum as the row-wise float blocks. Lanes whose sum is not finite are summed again in double as
// the oracle does (dot_exact_fallback). Each row's sum is spread back to its entries by one vpermps
// per vector. (Before: the products transposed through a stack buffer element by element, ~0.85x a
// plain loop on the Xeon; gathering y and dy by columns ran at 0.9 el/ns against the row-wise 1.3.)
// Returns the rows done (a multiple of 8).
template <class A>
SIMDACT_INLINE std::size_t softmax_backward_rows8_short(const float* y, const float* dy, float* dx, std::size_t rows,
                                                        std::size_t cols) {
  if constexpr (short_rows_ops<A>::enabled) {
    using V = vf<A>;
    using I = vi<A>;
    using S = short_rows_ops<A>;
    if (!short_rows_apply<A>(rows, cols)) return 0;
    I spread[kShortCols];  // lane l of vector k belongs to row (8k + l) / cols
    for (std::size_t k = 0; k < cols; ++k) {
      alignas(32) int32_t lane_row[8];
      for (std::size_t l = 0; l < 8; ++l) lane_row[l] = static_cast<int32_t>((8 * k + l) / cols);
      spread[k] = I::load_aligned(lane_row);
    }
    alignas(16) int32_t tail_lanes[4];
    for (std::size_t l = 0; l < 4; ++l) tail_lanes[l] = l < cols % 4 ? -1 : 0;
    std::size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
      const float* yr = y + r * cols;
      const float* gr = dy + r * cols;
      V s = S::row_dots(yr, gr, cols, tail_lanes);
      if (!xsimd::all(xsimd::isfinite(s))) {
        alignas(32) float lanes[8];
        s.store_aligned(lanes);
        for (std::size_t i = 0; i < 8; ++i) {
          const std::size_t o = (r + i) * cols;
          lanes[i] = static_cast<float>(dot_exact_fallback<A>(y + o, dy + o, cols, lanes[i]));
        }
        s = V::load_aligned(lanes);
      }
      for (std::size_t k = 0; k < cols; ++k) {
        const V p = V::load_unaligned(yr + 8 * k), g = V::load_unaligned(gr + 8 * k);
        (p * (g - S::spread(s, spread[k]))).store_unaligned(dx + r * cols + 8 * k);
      }
    }
    return r;
  }
  (void)y, (void)dy, (void)dx, (void)rows, (void)cols;
  return 0;
}

template <class A>
void softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  using V = vf<A>;
  if (const std::size_t done = softmax_backward_rows8_short<short_rows_arch<A>>(y, dy, dx, rows, cols); done != 0) {
    y += done * cols;
    dy += done * cols;
    dx += done * cols;
    rows -= done;
  }
  if (cols < V::size) {
    // Rows shorter than a vector: each row's y and dy are loaded once (masked) and serve both the
    // dot product and dx; two rows at a time (their chains overlap). The same arithmetic as below.
    auto row = [&](std::size_t r) __attribute__((always_inline)) {
      const V p = load_partial<A>(y + r * cols, cols, 0.0f), g = load_partial<A>(dy + r * cols, cols, 0.0f);
      return std::pair<V, V>(p, g);
    };
    auto finish = [&](std::size_t r, const std::pair<V, V>& pg) __attribute__((always_inline)) {
      const double t = dot_exact_fallback<A>(y + r * cols, dy + r * cols, cols, hsum<A>(fmadd<A>(pg.second, pg.first, V(0.0f))));
      return pg.first * (pg.second - V(static_cast<float>(t)));
    };
    std::size_t r = 0;
    for (; r + 2 <= rows; r += 2) {
      const std::pair<V, V> a = row(r), b = row(r + 1);
      const V d0 = finish(r, a), d1 = finish(r + 1, b);
      store_partial<A>(dx + r * cols, cols, d0);
      store_partial<A>(dx + (r + 1) * cols, cols, d1);
    }
    if (r < rows) store_partial<A>(dx + r * cols, cols, finish(r, row(r)));
    return;
  }
  const bool stream = cols >= 256 && rows * cols >= kStreamMinBytes / sizeof(float);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* gr = dy + r * cols;
    const V s(static_cast<float>(dot_row<A>(yr, gr, cols)));
    map_binary<A>(yr, gr, dx + r * cols, cols, [s](V p, V g) { return p * (g - s); }, stream);
  }
  if (stream) stream_fence<A>();
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
