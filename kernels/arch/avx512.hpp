// AVX-512 primitives (xsimd::avx512bw; F/BW/DQ/VL + FMA): the translation unit
// kernels/isa_avx512.cpp, compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma only.
// See kernels/arch/generic.hpp for what each member promises.
#pragma once

#include <immintrin.h>

#include "kernels/arch/generic.hpp"
#include "kernels/arch/x86_short_rows.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

using arch = xsimd::avx512bw;
using vfa = vf<arch>;
using via = vi<arch>;
using vda = vd<arch>;

// Rows shorter than 16 run the 256-bit eight-row code (on a Zen 5, cols 10 at 1 Mi: softmax
// 0.61 -> ~0.75 el/ns, log-softmax 0.30 -> ~0.49, softmax_backward 2.5 -> ~4, against the masked
// 512-bit two-row path).
template <>
struct short_rows_arch_of<arch> {
  using type = xsimd::fma3<xsimd::avx2>;
};

template <>
constexpr bool has_scalef<arch> = true;
template <>
constexpr bool has_stream<arch> = true;
template <>
constexpr bool lut_wraps_index<arch> = true;  // vpermps / vpermi2ps read the low 4 / 5 bits
template <>
constexpr bool lut32_one_instruction<arch> = true;
template <>
constexpr bool slow_subnormal_results<arch> = true;

// xsimd 8.1 has no fma for its AVX-512 architectures: its generic fallback is a multiply and an
// add (two roundings, two instructions).
template <>
SIMDACT_INLINE vfa fmadd<arch>(vfa a, vfa b, vfa c) {
  return _mm512_fmadd_ps(a, b, c);
}
template <>
SIMDACT_INLINE vfa recip_approx<arch>(vfa d) {
  return _mm512_rcp14_ps(d);
}

template <>
SIMDACT_INLINE wide<arch> widen<arch>(vfa v) {
  return {_mm512_cvtps_pd(_mm512_castps512_ps256(v)), _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1))};
}
template <>
SIMDACT_INLINE vfa narrow<arch>(vda lo, vda hi) {
  return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1);
}

// vscalefps: p * 2^n with gradual underflow.
template <>
SIMDACT_INLINE vfa scalef<arch>(vfa p, vfa n) {
  return _mm512_scalef_ps(p, n);
}

template <>
SIMDACT_INLINE vfa lut16<arch>(const float* t, via i) {
  return _mm512_permutexvar_ps(i, _mm512_loadu_ps(t));
}
template <>
SIMDACT_INLINE vfa lut32<arch>(const float* t, via i) {
  return _mm512_permutex2var_ps(_mm512_loadu_ps(t), i, _mm512_loadu_ps(t + 16));
}
// The slot index unmasked (vpermps ignores the higher bits), t by vreduceps (a - rne(a)).
template <>
SIMDACT_INLINE unit_slot<arch> slot_of<arch>(vfa a) {
  const vfa magic(0x1.8p23f);
  const vfa r = a + magic;
  via k = xsimd::bitwise_cast<via>(r);
  return {_mm512_reduce_ps(a, 0), k};
}
// The sign bits into a mask (vpmovd2m) and a masked subtraction.
template <>
SIMDACT_INLINE vfa one_minus_where_positive<arch>(vfa x, vfa s) {
  const __mmask16 pos = static_cast<__mmask16>(~_mm512_movepi32_mask(_mm512_castps_si512(x)));
  return _mm512_mask_sub_ps(s, pos, _mm512_set1_ps(1.0f), s);
}

// Masked loads do not fault on masked-off lanes, so a buffer may end right before a guard page.
template <>
SIMDACT_INLINE vfa load_partial<arch>(const float* p, std::size_t n, float fill) {
  return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), static_cast<__mmask16>((1u << n) - 1u), p);
}
template <>
SIMDACT_INLINE void store_partial<arch>(float* p, std::size_t n, vfa v) {
  _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
}
template <>
SIMDACT_INLINE void store_stream<arch>(float* p, vfa v) {
  _mm512_stream_ps(p, v);
}
template <>
SIMDACT_INLINE void stream_fence<arch>() {
  _mm_sfence();
}

template <>
SIMDACT_INLINE float hmax<arch>(vfa v) {
  return _mm512_reduce_max_ps(v);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
