// AVX2 + FMA primitives (xsimd::fma3<xsimd::avx2>): the translation unit kernels/isa_avx2.cpp,
// compiled with -mavx2 -mfma only. See kernels/arch/generic.hpp for what each member promises.
#pragma once

#include <immintrin.h>

#include "kernels/arch/generic.hpp"
#include "kernels/arch/x86_short_rows.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

using arch = xsimd::fma3<xsimd::avx2>;
using vfa = vf<arch>;
using via = vi<arch>;
using vda = vd<arch>;

template <>
constexpr bool has_stream<arch> = true;
template <>
constexpr bool lut_wraps_index<arch> = true;  // vpermps reads the low 3 bits, the blends bit 3 (4)
template <>
constexpr bool slow_subnormal_results<arch> = true;

// xsimd::fma is vfmadd here.
template <>
SIMDACT_INLINE vfa recip_approx<arch>(vfa d) {
  return _mm256_rcp_ps(d);
}

template <>
SIMDACT_INLINE wide<arch> widen<arch>(vfa v) {
  return {_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))};
}
template <>
SIMDACT_INLINE vfa narrow<arch>(vda lo, vda hi) {
  return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
}

// One vpermps per eight entries, blends on the index bits.
template <>
SIMDACT_INLINE vfa lut8<arch>(const float* t, via i) {
  return _mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i);
}
template <>
SIMDACT_INLINE vfa lut16<arch>(const float* t, via i) {
  const __m256 lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i);
  const __m256 hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 8), i);
  return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(i, 28)));  // bit 3 -> sign
}
template <>
SIMDACT_INLINE vfa lut32<arch>(const float* t, via i) {
  const __m256 b3 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 28));
  const __m256 b4 = _mm256_castsi256_ps(_mm256_slli_epi32(i, 27));
  const __m256 q0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t), i);
  const __m256 q1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 8), i);
  const __m256 q2 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 16), i);
  const __m256 q3 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(t + 24), i);
  return _mm256_blendv_ps(_mm256_blendv_ps(q0, q1, b3), _mm256_blendv_ps(q2, q3, b3), b4);
}

// No blend: the mask and-ed with 1 (or-ed with otherwise outside it), then or-ed with the unordered
// compare of x with itself: all ones (a NaN) where x is NaN, 0 elsewhere (vblendvps is several µops
// on Intel cores: relu_backward 4 Ki 7.5 -> 10.2 el/ns without the two, Xeon).
template <>
SIMDACT_INLINE vfa positive_factor<arch>(vfa x, vfa otherwise) {
  const __m256 m = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ);
  const __m256 f = _mm256_or_ps(_mm256_and_ps(m, _mm256_set1_ps(1.0f)), _mm256_andnot_ps(m, otherwise));
  return _mm256_or_ps(f, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

// vmaskmovps loads do not fault on masked-off lanes, so a buffer may end right before a guard page.
template <>
SIMDACT_INLINE vfa load_partial<arch>(const float* p, std::size_t n, float fill) {
  const __m256i m =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
// 4, 2 and 1 lanes with SSE stores: vmaskmovps to memory is microcoded on AMD (cols-10 softmax
// backward ran at 0.77x of a plain loop with it).
template <>
SIMDACT_INLINE void store_partial<arch>(float* p, std::size_t n, vfa v) {
  __m128 part = _mm256_castps256_ps128(v);
  if (n & 4) {
    _mm_storeu_ps(p, part);
    part = _mm256_extractf128_ps(v, 1);
    p += 4;
  }
  if (n & 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(p), part);
    part = _mm_movehl_ps(part, part);
    p += 2;
  }
  if (n & 1) _mm_store_ss(p, part);
}
template <>
SIMDACT_INLINE void store_stream<arch>(float* p, vfa v) {
  _mm256_stream_ps(p, v);
}
template <>
SIMDACT_INLINE void stream_fence<arch>() {
  _mm_sfence();
}

template <>
SIMDACT_INLINE float hmax<arch>(vfa v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
