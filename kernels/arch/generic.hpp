// The ISA primitives: every operation the shared math (kernels/simd_math.hpp) and the op templates
// need that xsimd 8.1 lacks or gets wrong, and the traits that choose between methods. This header
// holds the generic versions, function templates over the xsimd architecture A written in xsimd
// alone (or lane by lane through memory); each ISA's header (kernels/arch/<isa>.hpp, named by its
// translation unit's SIMDACT_ISA_PRIMITIVES) explicitly specialises those it does better for its
// architecture. So the shared code carries no #if on the ISA, and a new ISA starts from these.
// (Explicit specialisations rather than a class of static members: the call depth stays what it
// was with the #if ladders, and with it GCC's inlining and register allocation, hence the machine
// code of the ISAs this machine cannot run; tools/compare_disasm.py.)
//
// Included inside no namespace; declares into simdact::SIMDACT_ISA_NS like the rest of kernels/:
// every helper has a distinct symbol per ISA (the linker can never merge two ISAs' copies).
#pragma once

#ifndef SIMDACT_ISA_NS
#error "kernels/arch/generic.hpp is included by a per-ISA translation unit that defines SIMDACT_ISA_NS"
#endif

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#define SIMDACT_INLINE inline __attribute__((always_inline))

namespace simdact {
namespace SIMDACT_ISA_NS {

template <class A>
using vf = xsimd::batch<float, A>;
template <class A>
using vi = xsimd::batch<int32_t, A>;
template <class A>
using vd = xsimd::batch<double, A>;

template <class A, class X>
constexpr bool is_arch = std::is_same<A, X>::value;

// Float vectors widened to two double vectors (lanes [0, W/2) and [W/2, W)).
template <class A>
struct wide {
  vd<A> lo, hi;
};

// The slot of a piecewise polynomial on unit intervals (kernels/simd_math.hpp, slot_of).
template <class A>
struct unit_slot {
  vf<A> t;
  vi<A> k;
};

// Traits of the ISA (each ISA header specialises those that hold for it).
template <class A>
constexpr bool has_scalef = false;  // scalef<A>(p, n) = p * 2^n in one instruction
template <class A>
constexpr bool has_stream = false;  // store_stream is a non-temporal store
template <class A>
constexpr bool lut_wraps_index = false;  // the lookups read only an index's low bits
template <class A>
constexpr bool lut32_one_instruction = false;  // lut32 is one permute (table kernels win)
template <class A>
constexpr bool slow_subnormal_results = false;  // an operation with a subnormal result costs a
                                                // microcode assist (x86)

// p * 2^n, n integral (where has_scalef).
template <class A>
vf<A> scalef(vf<A> p, vf<A> n);

// a*b + c with one rounding.
template <class A>
SIMDACT_INLINE vf<A> fmadd(vf<A> a, vf<A> b, vf<A> c) {
  return xsimd::fma(a, b, c);
}
// a / b correctly rounded.
template <class A>
SIMDACT_INLINE vf<A> divide(vf<A> a, vf<A> b) {
  return a / b;
}
// 1/d approximately (the x86 estimate is within 2^-12 relative, NEON's refined one ~2^-16): for
// corrections that are themselves ~2^-24 of the result. Generic: the division.
template <class A>
SIMDACT_INLINE vf<A> recip_approx(vf<A> d) {
  return vf<A>(1.0f) / d;
}

template <class A>
SIMDACT_INLINE wide<A> widen(vf<A> v) {
  alignas(64) float f[vf<A>::size];
  alignas(64) double d[vf<A>::size];
  v.store_aligned(f);
  for (std::size_t i = 0; i < vf<A>::size; ++i) d[i] = f[i];
  return {vd<A>::load_aligned(d), vd<A>::load_aligned(d + vd<A>::size)};
}
template <class A>
SIMDACT_INLINE vf<A> narrow(vd<A> lo, vd<A> hi) {
  alignas(64) float f[vf<A>::size];
  alignas(64) double d[vf<A>::size];
  lo.store_aligned(d);
  hi.store_aligned(d + vd<A>::size);
  for (std::size_t i = 0; i < vf<A>::size; ++i) f[i] = static_cast<float>(d[i]);
  return vf<A>::load_aligned(f);
}

// t[i] lane by lane through memory: the fallback of the register lookups.
template <class A>
SIMDACT_INLINE vf<A> lut_generic(const float* t, vi<A> i) {
  alignas(64) int32_t idx[vf<A>::size];
  alignas(64) float out[vf<A>::size];
  i.store_aligned(idx);
  for (std::size_t k = 0; k < vf<A>::size; ++k) out[k] = t[idx[k]];
  return vf<A>::load_aligned(out);
}
// Register table lookups t[i], i in [0, 8), [0, 16), [0, 32) (unless lut_wraps_index); t is a
// constant table of the caller (its loads are hoisted out of the loops).
template <class A>
SIMDACT_INLINE vf<A> lut8(const float* t, vi<A> i) {
  return lut_generic<A>(t, i);
}
template <class A>
SIMDACT_INLINE vf<A> lut16(const float* t, vi<A> i) {
  return lut_generic<A>(t, i);
}
template <class A>
SIMDACT_INLINE vf<A> lut32(const float* t, vi<A> i) {
  return lut_generic<A>(t, i);
}

// Piecewise polynomials on 16 intervals of width 1 centred at the integers (sigmoid, softplus, gelu):
// the slot k = round(a) for 0 <= a < 2^22, from the low mantissa bits of a + 1.5 * 2^23 (AVX-512
// leaves the higher bits: vpermps ignores them), and t = a - k, exact (Sterbenz for k >= 1, t = a
// for k = 0; vreduceps on AVX-512). NaN propagates into t.
template <class A>
SIMDACT_INLINE unit_slot<A> slot_of(vf<A> a) {
  using V = vf<A>;
  using I = vi<A>;
  const V magic(0x1.8p23f);
  const V r = a + magic;
  I k = xsimd::bitwise_cast<I>(r);
  return {a - (r - magic), k & I(15)};
}

// 1 - s where x > 0, s elsewhere (sigmoid's reflection: callers have s = 1/2 at x = +-0 and
// s = NaN where x is NaN, so an ISA may decide by the sign bit instead).
template <class A>
SIMDACT_INLINE vf<A> one_minus_where_positive(vf<A> x, vf<A> s) {
  return xsimd::select(x > vf<A>(0.0f), vf<A>(1.0f) - s, s);
}

// 1 where x > 0, x where x is NaN, `otherwise` elsewhere (relu's and leaky_relu's derivative).
template <class A>
SIMDACT_INLINE vf<A> positive_factor(vf<A> x, vf<A> otherwise) {
  const vf<A> f = xsimd::select(x > vf<A>(0.0f), vf<A>(1.0f), otherwise);
  // xsimd 8.1's operator!= on floats is the ordered compare (NaN != NaN is false): use isnan.
  return xsimd::select(xsimd::isnan(x), x, f);
}

// Lanes [0, n) from p, the others `fill`; n < lanes. Reads nothing at or past p + n.
template <class A>
SIMDACT_INLINE vf<A> load_partial(const float* p, std::size_t n, float fill) {
  alignas(64) float buf[vf<A>::size];
  for (std::size_t i = 0; i < vf<A>::size; ++i) buf[i] = i < n ? p[i] : fill;
  return vf<A>::load_aligned(buf);
}
// Stores lanes [0, n) of v to p; n < lanes. Writes nothing else.
template <class A>
SIMDACT_INLINE void store_partial(float* p, std::size_t n, vf<A> v) {
  alignas(64) float buf[vf<A>::size];
  v.store_aligned(buf);
  for (std::size_t i = 0; i < n; ++i) p[i] = buf[i];
}
// Stores v to p (aligned to the vector size), non-temporal where has_stream; callers end the
// kernel with stream_fence() so the stores are ordered before the kernel returns.
template <class A>
SIMDACT_INLINE void store_stream(float* p, vf<A> v) {
  v.store_aligned(p);
}
template <class A>
SIMDACT_INLINE void stream_fence() {}

// Largest lane. A NaN lane may or may not win: callers detect NaN elsewhere.
template <class A>
SIMDACT_INLINE float hmax(vf<A> v) {
  alignas(64) float lanes[vf<A>::size];
  v.store_aligned(lanes);
  float m = lanes[0];
  for (std::size_t i = 1; i < vf<A>::size; ++i) m = lanes[i] > m ? lanes[i] : m;
  return m;
}

// The eight-row short-row softmax paths (kernels/rows.hpp, ops_softmax.hpp, ops_log_softmax.hpp): `enabled` where an ISA header
// provides their 256-bit operations for the architecture A; short_rows_arch_of<A>::type names the
// architecture whose short-row code an ISA runs (itself by default).
template <class A>
struct short_rows_arch_of {
  using type = A;
};
template <class A, class = void>
struct short_rows_ops {
  static constexpr bool enabled = false;
};

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
