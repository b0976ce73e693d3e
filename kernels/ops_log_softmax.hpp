// log-softmax forward (contiguous and strided rows) and backward.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include "kernels/rows.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (kernels/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// e^(x - m) as the unevaluated sum hi + lo (exp_split: <= 0.35 ULP), the rounding of x - m carried
// into the reduction (TwoSum), for z = x - m in [-104, 0]; -inf entries give 0 (hi and lo), NaN
// propagates (-inf - -inf, inf - inf and NaN entries).
template <class A>
SIMDACT_INLINE split<A> exp_shifted_split(vf<A> x, vf<A> neg_m) {
  using V = vf<A>;
  const V s = x + neg_m;
  const V lo = two_sum_err<A>(x, neg_m, s);
  const V z = max_keep_nan<A>(V(-104.0f), s);
  return exp_split<A>(z, xsimd::select(s > V(-104.0f), lo, V(0.0f)));
}

// The x86 method (AVX2, AVX-512; measured on a Zen 5: cols 1000 at 64 Ki, AVX2 1.19 -> 1.62 el/ns,
// AVX-512 2.51 -> 2.97; NEON keeps exp_shifted_split and the double output lanes: not measured).
template <class A>
constexpr bool log_softmax_x86 = has_stream<A>;

// e^(x - m) as hi + lo for the x86 row sum, z = x - m <= 0: x - m = s + t exactly (TwoSum), z = s
// clamped to >= -87 (so 2^n is one normal power from the exponent field, exp_pow2_split; the terms
// below, < 2^-125 each, add nothing a sum >= 1 can hold), q = e^r - 1 = r + r^2 Q6(r), hi = 1 + q and
// the rounding of that sum plus the carry e^t = 1 + t (|t| <= 2^-17.4, t^2 ignored) in lo, both
// times 2^n. hi + lo is within ~0.8 x 2^-24 relative of e^(x - m): the Cody-Waite rounding of r
// (2^-26), the fit (3.1e-9), the rounding of q (<= 2^-26 / 0.7) and of r^2 Q6. -inf entries give
// ~2^-125, NaN propagates (NaN entries, and x - m of a +inf or all -inf row).
// The same for K vectors in lockstep (kernels/drivers.hpp; the AVX2 row sum): out[k] for x[k], the
// operations of the one-vector form below, so the same bits. (The one-vector form is not written as
// K = 1 of this: that alone changed the AVX-512 object's code, which this CPU cannot measure.)
template <class A, std::size_t K>
SIMDACT_INLINE void exp_shifted_term(const vf<A> (&x)[K], vf<A> neg_m, split<A> (&out)[K]) {
  using V = vf<A>;
  V s[K], t[K], q[K];
  pow2_split<A> e[K];
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    s[k] = x[k] + neg_m;
    t[k] = two_sum_err<A>(x[k], neg_m, s[k]);
    e[k] = exp_pow2_split<A, false>(max_keep_nan<A>(V(-87.0f), s[k]));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { q[k] = fmadd<A>(e[k].r * e[k].r, q6<A>(e[k].r), e[k].r); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V hi = V(1.0f) + q[k];
    const V lo = fmadd<A>(hi, xsimd::select(s[k] > V(-87.0f), t[k], V(0.0f)), q[k] - (hi - V(1.0f)));
    out[k] = {hi * e[k].p2, lo * e[k].p2};
  });
}
template <class A>
SIMDACT_INLINE split<A> exp_shifted_term(vf<A> x, vf<A> neg_m) {
  using V = vf<A>;
  const V s = x + neg_m;
  const V t = two_sum_err<A>(x, neg_m, s);
  const pow2_split<A> e = exp_pow2_split<A, false>(max_keep_nan<A>(V(-87.0f), s));
  const V q = fmadd<A>(e.r * e.r, q6<A>(e.r), e.r);
  const V hi = V(1.0f) + q;
  const V lo = fmadd<A>(hi, xsimd::select(s > V(-87.0f), t, V(0.0f)), q - (hi - V(1.0f)));
  return {hi * e.p2, lo * e.p2};
}

// sum_j e^(x_j - m) of one row, >= 1 for a finite max: the hi parts added in double (two double
// accumulators per vector), the lo parts (< 2^-23 hi) in float and added at the end. The sum's
// relative error is that of the terms (x86 exp_shifted_term: ~0.8 x 2^-24; elsewhere exp_shifted_split:
// <= 0.35 x 2^-23) plus ~2^-50 from the double additions.
template <class A>
SIMDACT_INLINE double log_softmax_sum(const float* xr, std::size_t cols, vf<A> neg_m) {
  using V = vf<A>;
  using D = vd<A>;
  constexpr std::size_t W = V::size;
  auto term = [neg_m](V v) __attribute__((always_inline)) {
    if constexpr (log_softmax_x86<A>) return exp_shifted_term<A>(v, neg_m);
    else return exp_shifted_split<A>(v, neg_m);
  };
  D d0(0.0), d1(0.0), d2(0.0), d3(0.0);
  V l0(0.0f), l1(0.0f);
  std::size_t i = 0;
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    // AVX2: the same sums in the same order, four vectors' terms in lockstep (kernels/drivers.hpp;
    // Zen 3, 64 Ki: cols 128 1.15x, cols 1000 1.17x the two-at-a-time loop below, simdact_ab)
    for (; i + 4 * W <= cols; i += 4 * W) {
      const V v[4] = {V::load_unaligned(xr + i), V::load_unaligned(xr + i + W), V::load_unaligned(xr + i + 2 * W),
                      V::load_unaligned(xr + i + 3 * W)};
      split<A> e[4];
      exp_shifted_term<A, 4>(v, neg_m, e);
      for (std::size_t k = 0; k < 4; k += 2) {
        const wide<A> w0 = widen<A>(e[k].hi), w1 = widen<A>(e[k + 1].hi);
        d0 += w0.lo;
        d1 += w0.hi;
        d2 += w1.lo;
        d3 += w1.hi;
        l0 += e[k].lo;
        l1 += e[k + 1].lo;
      }
    }
  }
  for (; i + 2 * W <= cols; i += 2 * W) {
    const split<A> e0 = term(V::load_unaligned(xr + i));
    const split<A> e1 = term(V::load_unaligned(xr + i + W));
    const wide<A> w0 = widen<A>(e0.hi), w1 = widen<A>(e1.hi);
    d0 += w0.lo;
    d1 += w0.hi;
    d2 += w1.lo;
    d3 += w1.hi;
    l0 += e0.lo;
    l1 += e1.lo;
  }
  if (i < cols) {
    const float ninf = -std::numeric_limits<float>::infinity();
    const V v = i + W <= cols ? V::load_unaligned(xr + i) : load_partial<A>(xr + i, cols - i, ninf);
    const split<A> e = term(v);  // padding (-inf) gives 0 (x86: ~2^-125)
    const wide<A> w = widen<A>(e.hi);
    d0 += w.lo;
    d1 += w.hi;
    l0 += e.lo;
    i += W;
    if (i < cols) {  // at most one more, partial
      const split<A> f = term(load_partial<A>(xr + i, cols - i, ninf));
      const wide<A> u = widen<A>(f.hi);
      d2 += u.lo;
      d3 += u.hi;
      l1 += f.lo;
    }
  }
  return xsimd::hadd((d0 + d1) + (d2 + d3)) + static_cast<double>(hsum<A>(l0 + l1));
}

// log_softmax of eight short rows per step (AVX2 and AVX-512, 2 <= cols < 16; short_rows_in/out of
// kernels/rows.hpp: one row per lane): the per-lane max, the hi parts of the exponentials added
// in double lanes and the lo parts in float, as log_softmax_sum does per row (the same terms, in
// another order), log of the eight sums in double (std::log), then y = ((double)x - m) - log in
// double lanes, rounded once. Returns the rows done (a multiple of 8).
template <class A>
SIMDACT_INLINE std::size_t log_softmax_rows8_short(const float* x, std::size_t ldx, float* y, std::size_t ldy,
                                                   std::size_t rows, std::size_t cols) {
  if constexpr (short_rows_ops<A>::enabled) {
    using V = vf<A>;
    using D = vd<A>;
    if (!short_rows_apply<A>(rows, cols)) return 0;
    std::size_t r = 0;
    for (; r + 8 <= rows; r += 8) {
      V c[kShortCols];
      short_rows_in<A>(x + r * ldx, ldx, cols, c);
      V m(-std::numeric_limits<float>::infinity());
      for (std::size_t j = 0; j < cols; ++j) m = xsimd::max(m, c[j]);
      D s0(0.0), s1(0.0);
      V sl(0.0f);
      for (std::size_t j = 0; j < cols; ++j) {
        const split<A> e = exp_shifted_split<A>(c[j], -m);
        const wide<A> w = widen<A>(e.hi);
        s0 += w.lo;
        s1 += w.hi;
        sl += e.lo;
      }
      const wide<A> wl = widen<A>(sl);
      alignas(32) double t[8];
      (s0 + wl.lo).store_aligned(t);
      (s1 + wl.hi).store_aligned(t + 4);
      for (double& v : t) v = std::log(v);  // NaN sums (NaN rows) stay NaN
      const D l0 = D::load_aligned(t), l1 = D::load_aligned(t + 4);
      const wide<A> dm = widen<A>(m);
      for (std::size_t j = 0; j < cols; ++j) {
        const wide<A> w = widen<A>(c[j]);
        c[j] = narrow<A>((w.lo - dm.lo) - l0, (w.hi - dm.hi) - l1);
      }
      short_rows_out<A>(y + r * ldy, ldy, cols, c);
    }
    return r;
  }
  (void)x, (void)ldx, (void)y, (void)ldy, (void)rows, (void)cols;
  return 0;
}

// log_softmax(x)_j = x_j - m - log(sum_k e^(x_k - m)), m = max, row by row: never the log of a
// softmax output (so no log(0) = -inf for entries far below the max, and no loss for them).
//   Max error: absolute 2 ULP of max(|y|, 1) for every finite output (measured: README; the tests
//   check this bound against the double oracle): the sum's relative error (log_softmax_sum: x86
//   ~0.8 x 2^-24, NEON <= 0.35 x 2^-23) becomes an absolute error of log(sum) (which is >= 0 and
//   <= |y|); then
//   - x86 (AVX2, AVX-512): c = m + log(sum) as a float pair ch + cl (exact to ~2^-24 |cl|), y =
//     (x - ch) - cl in float: x - ch is exact where x is near ch (Sterbenz) and rounds by 0.5 ULP of
//     |x - ch| <= |y| + |cl| elsewhere, the second subtraction by 0.5 ULP of y: <= 1 ULP of max(|y|, 1)
//     plus the sum's 0.4 (1.5 + 0.4 where |x - ch| crosses a power of two that |y| stays below);
//   - NEON: y = ((double)x - m) - log(sum) in double, rounded once (0.5 ULP of y).
//   Special values: -inf entries give -inf exactly; a row holding NaN or +inf, or all -inf, gives NaN
//   in every entry; one column gives 0 (x - x - log 1).
//   Three passes: max; the sum (exp, nothing stored); y from x (x86: two float subtractions; NEON:
//   double lanes, two conversions each way per vector); on AVX2 and AVX-512 rows of 2 to 15 eight at a time
//   (log_softmax_rows8_short, double lanes as NEON). Outputs of kStreamMinBytes and more in rows of
//   at least 256 floats use non-temporal stores (x86), as softmax_backward.
template <class A>
SIMDACT_INLINE void log_softmax_rows(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                                     std::size_t cols) {
  using V = vf<A>;
  using D = vd<A>;
  const bool stream = has_stream<A> && cols >= 256 && rows * cols >= kStreamMinBytes / sizeof(float);
  for (std::size_t r = log_softmax_rows8_short<short_rows_arch<A>>(x, ldx, y, ldy, rows, cols); r < rows; ++r) {
    const float* xr = x + r * ldx;
    float* yr = y + r * ldy;
    const float m = row_max_min<A>(xr, cols).max;
    const double total = log_softmax_sum<A>(xr, cols, V(-m));
    const double l = std::log(total);  // NaN sum (NaN rows) -> NaN everywhere
    if constexpr (log_softmax_x86<A>) {
      // c = m + l as the float pair ch + cl; y = (x - ch) - cl in float.
      const float ch = static_cast<float>(static_cast<double>(m) + l);
      const V vch(ch), vcl(static_cast<float>((static_cast<double>(m) - ch) + l));
      map_unary<A>(
          xr, yr, cols, [vch, vcl](V v) __attribute__((always_inline)) { return (v - vch) - vcl; }, stream);
    } else {
      const D dm(static_cast<double>(m)), dl(l);
      map_unary<A>(
          xr, yr, cols,
          [dm, dl](V v) __attribute__((always_inline)) {
            const wide<A> w = widen<A>(v);
            return narrow<A>((w.lo - dm) - dl, (w.hi - dm) - dl);
          },
          stream);
    }
  }
  if (stream) stream_fence<A>();
}

template <class A>
void log_softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  log_softmax_rows<A>(x, cols, y, cols, rows, cols);
}

template <class A>
void log_softmax_strided(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,
                         std::size_t cols) {
  log_softmax_rows<A>(x, ldx, y, ldy, rows, cols);
}

// sum(g) of one row: block_sum (float accumulators moved into a double every 16 blocks, as dot_row);
// where that is not finite, the row is summed again in double as the oracle does.
template <class A>
SIMDACT_INLINE double sum_row(const float* gr, std::size_t cols) {
  using V = vf<A>;
  double total = block_sum<A>(
      cols, [&](V acc, std::size_t i) __attribute__((always_inline)) { return acc + V::load_unaligned(gr + i); },
      [&](V acc, std::size_t i, std::size_t k) __attribute__((always_inline)) {
        return acc + load_partial<A>(gr + i, k, 0.0f);
      });
  if (total - total == 0.0) return total;
  total = 0.0;
  for (std::size_t j = 0; j < cols; ++j) total += static_cast<double>(gr[j]);
  return total;
}

// dx = dy - e^y * sum(dy) per row (y = log_softmax(x), so e^y is the softmax output).
//   Max error: |dx - oracle| <= 2^-23 |dx| + (2^-21 e^y + 2^-148) sum|dy| (+ 4 x 2^-149): e^y is formed
//   in float (0 below y = -103.97; subnormal between, as the oracle rounds it) by exp_reduced
//   (<= 0.9 ULP), the sum in float blocks moved into a double (as softmax_backward's dot product),
//   then one FMA. y is clamped to [-104, 88] before the exp (a log-softmax output is <= 0; the
//   oracle clamps alike). NaN in y or dy propagates. A row whose sum(dy) is beyond the float range
//   (or not finite) is computed in double as the oracle does.
template <class A>
void log_softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  using V = vf<A>;
  const bool stream = cols >= 256 && rows * cols >= kStreamMinBytes / sizeof(float);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* gr = dy + r * cols;
    const double total = sum_row<A>(gr, cols);
    if (!(std::fabs(total) <= static_cast<double>(std::numeric_limits<float>::max()))) {
      // sum(dy) beyond the float range (or inf/NaN in dy): the row in double, as the oracle (found by
      // the fuzzer: e^y S overflowed to inf where dy - e^y S is finite).
      float* dr = dx + r * cols;
      for (std::size_t j = 0; j < cols; ++j) {
        const float v = yr[j];
        const double e = static_cast<float>(std::exp(v < -200.0f ? -200.0 : (v > 88.0f ? 88.0 : static_cast<double>(v))));
        dr[j] = static_cast<float>(static_cast<double>(gr[j]) - e * total);
      }
      continue;
    }
    const V s(static_cast<float>(total));
    map_binary<A>(
        yr, gr, dx + r * cols, cols,
        [s](V p, V g) __attribute__((always_inline)) {
          const V e = exp_reduced<A>(min_keep_nan<A>(V(88.0f), max_keep_nan<A>(V(-104.0f), p)));
          return fmadd<A>(-e, s, g);
        },
        stream);
  }
  if (stream) stream_fence<A>();
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
