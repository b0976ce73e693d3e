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

// ---------------------------------------------------------------------------------------------
// sigmoid(x) = 1 / (1 + e^-x), accurate tier (simdact_sigmoid_f32)
//   Max error: 2 ULP for every x whose result is >= FLT_MIN (x >= -87.34), proven on all 2^32 inputs
//   by the exhaustive test; measured max in README.
//   Range: all floats; no NaN/inf/overflow for finite x (the exp argument is clamped to >= -104).
//   Special values: +inf -> 1, -inf -> +0, NaN -> NaN, +-0 -> 0.5, subnormal x -> 0.5.
//   Subnormal results (-103.97 < x < -87.34) are produced (within 4 x 2^-149), not flushed; below
//   that +0.
//   Method: e = e^-|x| as hi + lo (exp_split), then n/(1 + e) with n = 1 for x > 0 and e otherwise,
//   no cancellation; the quotient q0 = n_hi / d_hi is corrected once with the exact remainder
//   n_hi - q0 d_hi (an FMA) plus the low parts: q = q0 + (n - q0 (1 + e)) * rcp(d). What remains
//   is the exp error (<= 0.35 ULP), the correction's and the final rounding.
template <class A>
SIMDACT_INLINE vf<A> sigmoid_v(vf<A> x) {
  using V = vf<A>;
  const V z = max_keep_nan<A>(V(-104.0f), xsimd::bitwise_or(x, V(-0.0f)));  // -|x|, clamped
  const split<A> e = exp_split<A>(z);
  const V d = V(1.0f) + e.hi;
  const V d_lo = ((V(1.0f) - d) + e.hi) + e.lo;  // (1 + hi + lo) - d; 1 - d + hi is exact (Fast2Sum)
  const auto pos = x > V(0.0f);
  const V num = xsimd::select(pos, V(1.0f), e.hi);
  const V num_lo = xsimd::select(pos, V(0.0f), e.lo);
  const V q0 = divide<A>(num, d);
  const V rem = fmadd<A>(-q0, d_lo, fmadd<A>(-q0, d, num) + num_lo);
  // rem / d is ~1 ULP of q0: an estimate of 1/d (rcp14 on AVX-512, 12 bits on AVX2, 8 on NEON)
  // leaves far less than 2^-8 ULP.
  return fmadd<A>(rem, xsimd::reciprocal(d), q0);
}

template <class A>
void sigmoid(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return sigmoid_v<A>(v); });
}

// sigmoid, fast tier (simdact_sigmoid_fast_f32)
//   Max error: 4 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs.
//   Subnormal results (x < -87.33654) flush to +0 on AVX2 and NEON; AVX-512 (vscalefps) produces
//   them within 4 x 2^-149. Otherwise the accurate tier's contract
//   (specials, no NaN/inf for finite x).
//   Method: e = e^-|x| with the degree-5 polynomial and one scaling (exp_fast; the argument clamped to
//   the normal range), one division n / (1 + e), no correction.
template <class A>
SIMDACT_INLINE vf<A> sigmoid_fast_v(vf<A> x) {
  using V = vf<A>;
  const V z = xsimd::bitwise_or(x, V(-0.0f));  // -|x|
  if constexpr (has_scalef<A>) {  // AVX-512: graded underflow, nothing to flush
    const V e = exp_fast<A>(max_keep_nan<A>(V(-104.0f), z));
    return divide<A>(xsimd::select(x > V(0.0f), V(1.0f), e), V(1.0f) + e);
  }
  // T = -87.33654 is the smallest float whose sigmoid rounds to a normal float (found by search; the
  // exhaustive test caught -87.3365f, which flushed the normal results of the 5 floats just below it).
  const V T(-0x1.5d589ep+6f);
  const V e = exp_fast<A>(max_keep_nan<A>(T, z));
  const V q = divide<A>(xsimd::select(x > V(0.0f), V(1.0f), e), V(1.0f) + e);
  return xsimd::select(x < T, V(0.0f), q);  // the result is subnormal: flush
}

template <class A>
void sigmoid_fast(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return sigmoid_fast_v<A>(v); });
}

// dx = dy * (y * (1 - y)): the seed's formula, one rounding per operation, exactly as the oracle.
template <class A>
void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(y, dy, dx, n, [](vf<A> s, vf<A> g) { return g * (s * (vf<A>(1.0f) - s)); });
}

// ---------------------------------------------------------------------------------------------
// tanh(x), accurate tier (simdact_tanh_f32)
//   Max error: 2 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs by the
//   exhaustive test; measured max in README.
//   Range: all floats; no NaN/inf for finite x.
//   Special values: +-inf -> +-1, +-0 -> +-0, NaN -> NaN; |x| >= 9.01 gives exactly +-1;
//   subnormal x gives x (tanh(x) = x to within far less than an ULP there).
//   Method: |x| < 0.625: x + x^3 P(x^2), P a degree-4 minimax fit (relative error 4.4e-9);
//   otherwise 1 - 2/(e^(2|x|) + 1) with the sign of x, 2|x| clamped to 19 (where tanh is 1 in
//   float); the result is >= 0.55 there, so the subtraction loses nothing.
template <class A>
SIMDACT_INLINE vf<A> tanh_v(vf<A> x) {
  using V = vf<A>;
  const V a = xsimd::abs(x);
  // |x| < 0.625. Evaluated on |x| and signed at the end: x + x^3 P with x = -0 would give +0.
  const V a2 = a * a;
  V p = V(-0x1.75e1c8p-8f);
  p = fmadd<A>(p, a2, V(0x1.52269ap-6f));
  p = fmadd<A>(p, a2, V(-0x1.b83c5ap-5f));
  p = fmadd<A>(p, a2, V(0x1.110726p-3f));
  p = fmadd<A>(p, a2, V(-0x1.555532p-2f));
  const V small = fmadd<A>(a * a2, p, a);
  // |x| >= 0.625
  const V e = exp_reduced<A>(min_keep_nan<A>(V(19.0f), a + a));
  const V large = V(1.0f) - divide<A>(V(2.0f), e + V(1.0f));
  return xsimd::bitwise_or(xsimd::select(a < V(0.625f), small, large), xsimd::bitofsign(x));
}

template <class A>
void tanh(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return tanh_v<A>(v); });
}

// tanh, fast tier (simdact_tanh_fast_f32)
//   Max error: 4 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs; subnormal x
//   gives x (no flush). Otherwise the accurate tier's contract.
//   Method: one path for all x: m = e^(2|x|) - 1 (expm1_pos, 2|x| clamped to 19), tanh = m / (m + 2)
//   with the sign of x; small |x| keep full accuracy because expm1 has no cancellation there.
template <class A>
SIMDACT_INLINE vf<A> tanh_fast_v(vf<A> x) {
  using V = vf<A>;
  const V a = xsimd::abs(x);
  const V m = expm1_pos<A>(min_keep_nan<A>(V(19.0f), a + a));
  return xsimd::bitwise_or(divide<A>(m, m + V(2.0f)), xsimd::bitofsign(x));
}

template <class A>
void tanh_fast(const float* x, float* y, std::size_t n) {
  map_unary<A>(x, y, n, [](vf<A> v) { return tanh_fast_v<A>(v); });
}

// dx = dy * (1 - y*y), one rounding per operation, exactly as the oracle.
template <class A>
void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(y, dy, dx, n, [](vf<A> t, vf<A> g) { return g * (vf<A>(1.0f) - t * t); });
}

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
