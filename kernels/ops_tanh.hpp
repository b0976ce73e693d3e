// tanh: accurate tier, fast tier, backward.
#pragma once

#include <cstddef>

#include "kernels/drivers.hpp"

#ifndef SIMDACT_ISA_NS
#error "included inside a per-ISA translation unit (kernels/isa_table.inl)"
#endif

namespace simdact {
namespace SIMDACT_ISA_NS {

// ---------------------------------------------------------------------------------------------
// Piecewise polynomial tanh (AVX-512, both tiers; AVX2's accurate tier until 2026-12-03, when
// tanh_direct below replaced it there: S = 22, 8 entries of degree 7, `tools/fit_tanh.py 8 22 7 0.75`).
//   a = min(|x|, 9.5); the interval comes from the float bits of a + 0.75: raw = bits(a + 0.75) >> S
//   keeps the exponent and the top 23 - S mantissa bits, so the intervals double in width per binade
//   of a + 0.75 and are narrowest at 0, where tanh bends most relative to its size:
//     S = 20 (AVX-512, 32 entries, one vpermi2ps per coefficient): [0, 1/4) in steps of 1/16, then
//       [1/4, 5/4) of 1/8, [5/4, 13/4) of 1/4, [13/4, 29/4) of 1/2, [29/4, 9.5] of 1; degree 4.
//     S = 22 (8 entries, one vpermps per coefficient on AVX2): [0, 1/4), [1/4, 3/4), [3/4, 5/4),
//       [5/4, 9/4), [9/4, 13/4), [13/4, 21/4), [21/4, 29/4), [29/4, 9.5]; degree 7.
//   The entry is raw mod entries; the interval's origin o = (a + 0.75 with the low S bits cleared)
//   - 0.75 and t = a - o are exact (o is on a grid of 1/16, and a - o is a multiple of a's ULP below
//   2^24 of them). a + 0.75 rounds, which can put a just past the end of the interval it then uses,
//   by a few ULPs of a: the fits cover that.
//   p(t) = c0 + t (c1 + t (c2 + ...)), Horner with FMA, coefficients looked up per lane.
//   The interval at 0 has c0 = 0, c1 = 1 exactly: tiny and subnormal a give a exactly (no flush), +0
//   gives +0, and the sign of x is or-ed back in at the end (tanh(-0) = -0, odd symmetry exact).
//   The last interval's polynomial gives exactly 1 at the clamp 9.5 (so +-inf -> +-1) and on from
//   |x| = 9.4673 (S = 20) resp. 8.9638 (S = 22); tanh rounds to 1 from 9.0109, and in between the
//   result is 1 - 2^-24 or 1, within the bound. No result exceeds 1 in magnitude (tools/fit_tanh.py
//   asserts it on every float of the last interval; checked on all 2^32 inputs of both ISAs, with
//   the sign of every result and subnormal x -> x). NaN: min_keep_nan keeps it in a, so t and the
//   result are NaN (its table index is garbage but harmless).
//   Coefficients: tools/fit_tanh.py (minimax in ULPs by Lawson's algorithm, rounded to float one
//   coefficient at a time with the higher ones re-fitted; c0 = tanh(o) in float, c0 = 0 and c1 = 1
//   on the first interval). Grid estimate of the float evaluation: 1.26 ULP (S = 20), 1.13 (S = 22).
#include "kernels/tables/tanh.inc"  // tools/gen_tables.py tanh

template <class A, std::size_t N, std::size_t D>
SIMDACT_INLINE vf<A> tanh_table(vf<A> x, const float (&c)[D][N]) {
  using V = vf<A>;
  using I = vi<A>;
  static_assert(N == 8 || N == 16 || N == 32, "one register permute per coefficient");
  constexpr int S = N == 32 ? 20 : N == 16 ? 21 : 22;
  const V a = min_keep_nan<A>(V(9.5f), xsimd::abs(x));
  const I bits = xsimd::bitwise_cast<I>(a + V(0.75f));
  I idx = bits >> S;
  // vpermps / vpermi2ps read only the low 3 / 4 / 5 bits of the index; NEON's tbl and the scalar
  // fallbacks want it in range.
  if constexpr (!lut_wraps_index<A>) idx = idx & I(static_cast<int32_t>(N - 1));
  const V t = a - (xsimd::bitwise_cast<V>(bits & I(-(1 << S))) - V(0.75f));
  auto lut = [&](const float* row) {
    if constexpr (N == 32) return lut32<A>(row, idx);
    else if constexpr (N == 16) return lut16<A>(row, idx);
    else return lut8<A>(row, idx);
  };
  V p = lut(c[D - 1]);
  for (std::size_t j = D - 1; j-- > 0;) p = fmadd<A>(p, t, lut(c[j]));
  return xsimd::bitwise_or(p, xsimd::bitofsign(x));
}

// ---------------------------------------------------------------------------------------------
// tanh(x), accurate tier (simdact_tanh_f32)
//   Max error: 2 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs by the
//   exhaustive test. Measured max (all 2^32): AVX-512 1.289 ULP, AVX2 1.198 ULP (table form: 1.229).
//   Range: all floats; no NaN/inf for finite x; |result| <= 1.
//   Special values: +-inf -> +-1, +-0 -> +-0 (sign kept), NaN -> NaN (every pattern); subnormal x
//   gives x (no flush: tanh(x) = x to far less than an ULP there).
//   Method, AVX-512: tanh_table with 32 entries of degree 4 (above); AVX2: tanh_direct (no table,
//   NEON's method, four vectors in lockstep). NEON: |x| < 0.625: x + x^3 P(x^2), P a degree-4 minimax fit (relative
//   error 4.4e-9); otherwise 1 - 2/(e^(2|x|) + 1) with the sign of x, 2|x| clamped to 19 (where tanh
//   is 1 in float); the result is >= 0.55 there, so the subtraction loses nothing; |x| >= 9.01
//   gives exactly +-1.
// tanh(a) for 0 <= a < 0.625: a + a^3 P(a^2), P a degree-4 minimax fit (relative error 4.4e-9);
// subnormal a give a (a^3 underflows to 0). AVX2 (tanh_direct); NEON's tanh_v has the same lines.
template <class A>
SIMDACT_INLINE vf<A> tanh_small(vf<A> a) {
  using V = vf<A>;
  const V a2 = a * a;
  V p = V(-0x1.75e1c8p-8f);
  p = fmadd<A>(p, a2, V(0x1.52269ap-6f));
  p = fmadd<A>(p, a2, V(-0x1.b83c5ap-5f));
  p = fmadd<A>(p, a2, V(0x1.110726p-3f));
  p = fmadd<A>(p, a2, V(-0x1.555532p-2f));
  return fmadd<A>(a * a2, p, a);
}

// The accurate tier on AVX2, table-free (the NEON method with e^(2a) from exp_pow2_split): a = min(|x|,
// 9.5); a < 0.625: tanh_small; else 1 - 2 / d, d = e^(2a) + 1 = fma(2^n, s, 2^n + 1) rounded once
// (s = e^r - 1 as in tanh_fast_direct; 2^n + 1 is exact for n <= 23, and for larger n its rounding is
// below 2^-23 of d), the quotient <= 0.45 so the subtraction loses nothing; the sign of x or-ed in.
// 2a <= 19: 2 / d < 2^-26 there, so |x| >= 9.5 and +-inf give exactly +-1. NaN stays in a.
// K vectors in lockstep (kernels/drivers.hpp), in place.
template <class A, std::size_t K>
SIMDACT_INLINE void tanh_direct(vf<A> (&x)[K]) {
  using V = vf<A>;
  pow2_split<A> e[K];
  V a[K], s[K];
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    a[k] = min_keep_nan<A>(V(9.5f), xsimd::abs(x[k]));
    e[k] = exp_pow2_split<A, false>(a[k] + a[k]);
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { s[k] = fmadd<A>(e[k].r * e[k].r, q6<A>(e[k].r), e[k].r); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    s[k] = V(1.0f) - divide<A>(V(2.0f), fmadd<A>(e[k].p2, s[k], e[k].p2 + V(1.0f)));
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V y = xsimd::select(a[k] < V(0.625f), tanh_small<A>(a[k]), s[k]);
    x[k] = xsimd::bitwise_or(y, xsimd::bitofsign(x[k]));
  });
}

template <class A>
SIMDACT_INLINE vf<A> tanh_v(vf<A> x) {
  using V = vf<A>;
  if constexpr (lut32_one_instruction<A>) return tanh_table<A>(x, kTanh32);
  else if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    V v[1] = {x};
    tanh_direct<A, 1>(v);
    return v[0];
  }
  else {
    const V a = xsimd::abs(x);
    // |x| < 0.625. Evaluated on |x| and signed at the end: x + x^3 P with x = -0 would give +0.
    // (tanh_small's operations, written out: calling it changed GCC's inlining across this NEON
    // object - 8 kernels' code, tools/compare_disasm.py - which cannot be measured here.)
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
}

template <class A>
void tanh(const float* x, float* y, std::size_t n) {
  const auto f = [](vf<A> v) __attribute__((always_inline)) { return tanh_v<A>(v); };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    map_unary_lockstep<A>(x, y, n, f, [](vf<A>(&v)[4]) __attribute__((always_inline)) { tanh_direct<A, 4>(v); });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// The fast tier on AVX2, table-free (tanh_table's 8 vpermps per vector are microcoded on Zen 1, ~4
// cycles each): a = min(|x|, 9.5), tanh(a) = m / d with m = e^(2a) - 1 and d = e^(2a) + 1, each formed
// from e^(2a) = 2^n (1 + s) in one FMA, 2^n s + (2^n -+ 1) (exact sums for n <= 23, i.e. a < 8.1);
// s = e^r - 1 = r + r^2 Q6(r) (exp_pow2_split, q6: kernels/simd_math.hpp); one division, then the sign
// of x or-ed in. No cancellation for small a: n = 0 there, so m = s. Rounding is monotonic, so m <= d
// and |result| <= 1; at the clamp m and d round to the same float (2a = 19: 2^27 ulp 16), so +-inf
// and |x| >= 9.5 give exactly +-1. Subnormal x: s = 2a exactly, d = 2, the result x.
// K vectors in lockstep (kernels/drivers.hpp), in place.
template <class A, std::size_t K>
SIMDACT_INLINE void tanh_fast_direct(vf<A> (&x)[K]) {
  using V = vf<A>;
  pow2_split<A> e[K];
  V s[K];
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V a = min_keep_nan<A>(V(9.5f), xsimd::abs(x[k]));
    e[k] = exp_pow2_split<A, false>(a + a);
  });
  each<K>([&](std::size_t k) __attribute__((always_inline)) { s[k] = fmadd<A>(e[k].r * e[k].r, q6<A>(e[k].r), e[k].r); });
  each<K>([&](std::size_t k) __attribute__((always_inline)) {
    const V m = fmadd<A>(e[k].p2, s[k], e[k].p2 - V(1.0f));
    const V d = fmadd<A>(e[k].p2, s[k], e[k].p2 + V(1.0f));
    x[k] = xsimd::bitwise_or(divide<A>(m, d), xsimd::bitofsign(x[k]));
  });
}
template <class A>
SIMDACT_INLINE vf<A> tanh_fast_direct(vf<A> x) {
  vf<A> v[1] = {x};
  tanh_fast_direct<A, 1>(v);
  return v[0];
}

// tanh, fast tier (simdact_tanh_fast_f32)
//   Max error: 4 ULP for every x whose result is >= FLT_MIN, proven on all 2^32 inputs; subnormal x
//   gives x (no flush). Otherwise the accurate tier's contract (specials, |result| <= 1).
//   Method, AVX-512: the accurate tier's (tanh_table; measured max 1.289 ULP). No cheaper table meets
//   4 ULP (32 entries of degree 3: ~15 ULP; 16 of degree 4: ~12; 8 of degree 6: ~5.3), and 16 entries
//   of degree 5 (1.6 ULP) measured 10 % slower than 32 of degree 4 on AVX-512. AVX2: tanh_fast_direct,
//   no table (measured max 2.828 ULP at x = 8.1444798, where n = 24 makes 2^n -+ 1 round; degree 5
//   instead of 6 gave 9.7 ULP near x = 0.0624), four vectors in lockstep. NEON: one path for all x:
//   m = e^(2|x|) - 1 (expm1_pos, 2|x| clamped to 19), tanh = m / (m + 2) with the sign of x; small |x|
//   keep full accuracy because expm1 has no cancellation there.
template <class A>
SIMDACT_INLINE vf<A> tanh_fast_v(vf<A> x) {
  using V = vf<A>;
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    return tanh_fast_direct<A>(x);
  } else if constexpr (lut32_one_instruction<A>) {
    return tanh_v<A>(x);
  } else {
    const V a = xsimd::abs(x);
    const V m = expm1_pos<A>(min_keep_nan<A>(V(19.0f), a + a));
    return xsimd::bitwise_or(divide<A>(m, m + V(2.0f)), xsimd::bitofsign(x));
  }
}

template <class A>
void tanh_fast(const float* x, float* y, std::size_t n) {
  auto f = [](vf<A> v) __attribute__((always_inline)) { return tanh_fast_v<A>(v); };
  if constexpr (is_arch<A, xsimd::fma3<xsimd::avx2>>) {
    map_unary_lockstep<A>(x, y, n, f, [](vf<A>(&v)[4]) __attribute__((always_inline)) { tanh_fast_direct<A, 4>(v); });
  } else {
    map_unary<A>(x, y, n, f);
  }
}

// dx = dy * (1 - y*y), one rounding per operation, exactly as the oracle.
template <class A>
void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map_binary<A>(y, dy, dx, n, [](vf<A> t, vf<A> g) { return g * (vf<A>(1.0f) - t * t); });
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
