// The op templates, written once over xsimd::batch<float, Arch> and instantiated per ISA by
// dispatch/isa_table.inl inside namespace simdact::SIMDACT_ISA_NS. The contract of each op is written
// above it; tests/ check exactly these numbers against the scalar oracle (kernels/scalar.cpp).
//
// Common to every op: any length, no alignment needed, the output may be the very same buffer as an
// input, nothing is read or written outside [0, n) (masked tails), nothing
// allocates, and the FP control registers are left as they are (results assume the default
// round-to-nearest without FTZ/DAZ; with FTZ/DAZ set by the caller, subnormals follow those modes).
#pragma once

#include <cstddef>
#include <limits>

#include "kernels/simd_math.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// Loop drivers: 4 vectors per iteration, then 1, then the tail with masked loads and stores
// (load_partial/store_partial: padding lanes hold 0 and are never stored).

template <class A, class F>
SIMDACT_INLINE void map_unary(const float* x, float* y, std::size_t n, F f) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    const V r0 = f(V::load_unaligned(x + i));
    const V r1 = f(V::load_unaligned(x + i + W));
    const V r2 = f(V::load_unaligned(x + i + 2 * W));
    const V r3 = f(V::load_unaligned(x + i + 3 * W));
    r0.store_unaligned(y + i);
    r1.store_unaligned(y + i + W);
    r2.store_unaligned(y + i + 2 * W);
    r3.store_unaligned(y + i + 3 * W);
  }
  for (; i + W <= n; i += W) f(V::load_unaligned(x + i)).store_unaligned(y + i);
  if (i < n) store_partial<A>(y + i, n - i, f(load_partial<A>(x + i, n - i, 0.0f)));
}

template <class A, class F>
SIMDACT_INLINE void map_binary(const float* a, const float* b, float* out, std::size_t n, F f) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    const V r0 = f(V::load_unaligned(a + i), V::load_unaligned(b + i));
    const V r1 = f(V::load_unaligned(a + i + W), V::load_unaligned(b + i + W));
    const V r2 = f(V::load_unaligned(a + i + 2 * W), V::load_unaligned(b + i + 2 * W));
    const V r3 = f(V::load_unaligned(a + i + 3 * W), V::load_unaligned(b + i + 3 * W));
    r0.store_unaligned(out + i);
    r1.store_unaligned(out + i + W);
    r2.store_unaligned(out + i + 2 * W);
    r3.store_unaligned(out + i + 3 * W);
  }
  for (; i + W <= n; i += W) f(V::load_unaligned(a + i), V::load_unaligned(b + i)).store_unaligned(out + i);
  if (i < n) {
    const std::size_t r = n - i;
    store_partial<A>(out + i, r, f(load_partial<A>(a + i, r, 0.0f), load_partial<A>(b + i, r, 0.0f)));
  }
}

// (x > 0) as a factor: 1 where x > 0, `otherwise` where x <= 0, NaN where x is NaN.
template <class A>
SIMDACT_INLINE vf<A> positive_factor(vf<A> x, vf<A> otherwise) {
  using V = vf<A>;
  const V f = xsimd::select(x > V(0.0f), V(1.0f), otherwise);
  // xsimd 8.1's operator!= on floats is the ordered compare (NaN != NaN is false): use isnan.
  return xsimd::select(xsimd::isnan(x), x, f);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact

#include "kernels/ops_sigmoid.hpp"
#include "kernels/ops_tanh.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// relu(x) = x > 0 ? x : +0. Exact. NaN -> NaN (as numpy's maximum), -0 -> +0, +inf -> +inf.
template <class A>
void relu(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return xsimd::select(v <= vf<A>(0.0f), vf<A>(0.0f), v); });
}

// dx = dy * (x > 0), the factor NaN for a NaN x. Exact (a product by 1, 0 or NaN).
template <class A>
void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(x, dy, dx, n, [](vf<A> v, vf<A> g) { return g * positive_factor<A>(v, vf<A>(0.0f)); });
}

// leaky_relu(x) = x > 0 ? x : slope*x, one rounding of slope*x. NaN -> NaN, +-inf -> +inf / slope*-inf.
template <class A>
void leaky_relu(const float* x, float* y, std::size_t n, float slope) {
  const vf<A> s(slope);
  map_unary<A>(x, y, n, [s](vf<A> v) { return xsimd::select(v > vf<A>(0.0f), v, s * v); });
}

// dx = dy * (x > 0 ? 1 : slope), the factor NaN for a NaN x. One rounding.
template <class A>
void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float slope) {
  const vf<A> s(slope);
  map_binary<A>(x, dy, dx, n, [s](vf<A> v, vf<A> g) { return g * positive_factor<A>(v, s); });
}

// ---------------------------------------------------------------------------------------------
// Row reductions. Partial sums stay in float vector accumulators for at most 16 vectors per lane,
// then move into a double: the sum's rounding error stays near one float ULP for any row length.

template <class A>
SIMDACT_INLINE float row_max(const float* x, std::size_t cols) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  const V ninf(-std::numeric_limits<float>::infinity());
  V m0 = ninf, m1 = ninf, m2 = ninf, m3 = ninf;
  std::size_t i = 0;
  for (; i + 4 * W <= cols; i += 4 * W) {
    m0 = xsimd::max(m0, V::load_unaligned(x + i));
    m1 = xsimd::max(m1, V::load_unaligned(x + i + W));
    m2 = xsimd::max(m2, V::load_unaligned(x + i + 2 * W));
    m3 = xsimd::max(m3, V::load_unaligned(x + i + 3 * W));
  }
  for (; i + W <= cols; i += W) m0 = xsimd::max(m0, V::load_unaligned(x + i));
  if (i < cols) m1 = xsimd::max(m1, load_partial<A>(x + i, cols - i, -std::numeric_limits<float>::infinity()));
  return hmax<A>(xsimd::max(xsimd::max(m0, m1), xsimd::max(m2, m3)));
}

// e^(x - m) with the rounding error of x - m carried into the exponent (TwoSum), so entries far
// below the max keep full relative accuracy. NaN (x NaN, or m = +inf, or all -inf) propagates;
// x - m <= -104 (including -inf entries) gives 0.
template <class A>
SIMDACT_INLINE vf<A> exp_shifted(vf<A> x, vf<A> neg_m) {
  using V = vf<A>;
  const V s = x + neg_m;
  const V bp = s - x;
  const V lo = (x - (s - bp)) + (neg_m - bp);
  const V z = max_keep_nan<A>(V(-104.0f), s);
  return exp_reduced<A>(z, xsimd::select(s > V(-104.0f), lo, V(0.0f)));
}

// softmax(x)_j = e^(x_j - max) / sum_k e^(x_k - max), row by row, in three passes (max; exp, store
// and sum; scale by the reciprocal of the sum).
//   Max error: relative 4e-6 for every output >= FLT_MIN, rows of any length (measured ~3e-7):
//   exp <= 0.9 ULP, x - max carried exactly, sum ~1 ULP, reciprocal and product 0.5 ULP each.
//   Row sums within 1e-5 of 1.
//   Special values: -inf entries give +0; one column gives 1; a row holding NaN or +inf, or all
//   -inf, gives NaN in every entry. Outputs below ~1.4e-45 are 0, subnormal outputs are produced.
template <class A>
void softmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    const V neg_m(-row_max<A>(xr, cols));
    double total = 0.0;
    V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
    std::size_t i = 0, blocks = 0;
    for (; i + 4 * W <= cols; i += 4 * W) {
      const V e0 = exp_shifted<A>(V::load_unaligned(xr + i), neg_m);
      const V e1 = exp_shifted<A>(V::load_unaligned(xr + i + W), neg_m);
      const V e2 = exp_shifted<A>(V::load_unaligned(xr + i + 2 * W), neg_m);
      const V e3 = exp_shifted<A>(V::load_unaligned(xr + i + 3 * W), neg_m);
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
      const V e = exp_shifted<A>(V::load_unaligned(xr + i), neg_m);
      e.store_unaligned(yr + i);
      s0 += e;
    }
    if (i < cols) {
      const float ninf = -std::numeric_limits<float>::infinity();
      const V e = exp_shifted<A>(load_partial<A>(xr + i, cols - i, ninf), neg_m);  // padding gives e = 0
      store_partial<A>(yr + i, cols - i, e);
      s0 += e;
    }
    total += hsum<A>((s0 + s1) + (s2 + s3));
    const V inv(static_cast<float>(1.0 / total));
    map_unary<A>(yr, yr, cols, [inv](V v) { return v * inv; });
  }
}

// dx = y * (dy - sum(dy*y)) per row: the dot product in float FMA accumulators moved into a double
// every 16 vectors, then one rounding per operation as in the oracle. The dot product differs from
// the oracle's (double throughout) by at most ~1 float ULP of sum|dy*y|.
template <class A>
void softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols) {
  using V = vf<A>;
  constexpr std::size_t W = V::size;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* gr = dy + r * cols;
    float* dxr = dx + r * cols;
    double total = 0.0;
    V s0(0.0f), s1(0.0f), s2(0.0f), s3(0.0f);
    std::size_t i = 0, blocks = 0;
    for (; i + 4 * W <= cols; i += 4 * W) {
      s0 = fmadd<A>(V::load_unaligned(gr + i), V::load_unaligned(yr + i), s0);
      s1 = fmadd<A>(V::load_unaligned(gr + i + W), V::load_unaligned(yr + i + W), s1);
      s2 = fmadd<A>(V::load_unaligned(gr + i + 2 * W), V::load_unaligned(yr + i + 2 * W), s2);
      s3 = fmadd<A>(V::load_unaligned(gr + i + 3 * W), V::load_unaligned(yr + i + 3 * W), s3);
      if (++blocks == 16) {
        total += hsum<A>((s0 + s1) + (s2 + s3));
        s0 = s1 = s2 = s3 = V(0.0f);
        blocks = 0;
      }
    }
    for (; i + W <= cols; i += W) s0 = fmadd<A>(V::load_unaligned(gr + i), V::load_unaligned(yr + i), s0);
    if (i < cols) s1 = fmadd<A>(load_partial<A>(gr + i, cols - i, 0.0f), load_partial<A>(yr + i, cols - i, 0.0f), s1);
    total += hsum<A>((s0 + s1) + (s2 + s3));
    if (!(total - total == 0.0)) {
      // Not finite: a float product or partial sum overflowed (where the double sum of the oracle
      // need not), or the row holds inf/NaN. Redo the row as the oracle does: products and sum in
      // double (a product of two floats cannot overflow a double), so the result is the oracle's.
      total = 0.0;
      for (std::size_t j = 0; j < cols; ++j) total += static_cast<double>(gr[j]) * static_cast<double>(yr[j]);
    }
    const V s(static_cast<float>(total));
    map_binary<A>(yr, gr, dxr, cols, [s](V p, V g) { return p * (g - s); });
  }
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
