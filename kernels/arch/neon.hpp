// aarch64 Advanced SIMD primitives (xsimd::neon64): the translation unit kernels/isa_neon.cpp.
// See kernels/arch/generic.hpp for what each member promises.
#pragma once

#include <arm_neon.h>

#include "kernels/arch/generic.hpp"

namespace simdact {
namespace SIMDACT_ISA_NS {

using arch = xsimd::neon64;
using vfa = vf<arch>;
using via = vi<arch>;
using vda = vd<arch>;

// xsimd::fma is vfmaq here. Its float division is a reciprocal estimate refined by two Newton
// steps (not IEEE, up to ~2 ULP off): vdivq_f32 instead.
template <>
SIMDACT_INLINE vfa divide<arch>(vfa a, vfa b) {
  return vdivq_f32(a, b);
}
// The estimate and one Newton step (~2^-16 relative).
template <>
SIMDACT_INLINE vfa recip_approx<arch>(vfa d) {
  const float32x4_t r = vrecpeq_f32(d);
  return vmulq_f32(r, vrecpsq_f32(d, r));
}

template <>
SIMDACT_INLINE wide<arch> widen<arch>(vfa v) {
  return {vcvt_f64_f32(vget_low_f32(v)), vcvt_high_f64_f32(v)};
}
template <>
SIMDACT_INLINE vfa narrow<arch>(vda lo, vda hi) {
  return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
}

// Byte-table lookups (tbl) of the four bytes of each lane: byte k of lane j = 4*i_j + k.
template <>
SIMDACT_INLINE vfa lut16<arch>(const float* t, via i) {
  const uint8x16_t b =
      vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(i), 0x04040404u));
  const uint8x16x4_t tb = {
      {vld1q_u8(reinterpret_cast<const uint8_t*>(t)), vld1q_u8(reinterpret_cast<const uint8_t*>(t + 4)),
       vld1q_u8(reinterpret_cast<const uint8_t*>(t + 8)), vld1q_u8(reinterpret_cast<const uint8_t*>(t + 12))}};
  return vreinterpretq_f32_u8(vqtbl4q_u8(tb, b));
}
template <>
SIMDACT_INLINE vfa lut32<arch>(const float* t, via i) {
  const uint8x16_t b =
      vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(i), 0x04040404u));
  const uint8_t* u = reinterpret_cast<const uint8_t*>(t);
  const uint8x16x4_t t0 = {{vld1q_u8(u), vld1q_u8(u + 16), vld1q_u8(u + 32), vld1q_u8(u + 48)}};
  const uint8x16x4_t t1 = {{vld1q_u8(u + 64), vld1q_u8(u + 80), vld1q_u8(u + 96), vld1q_u8(u + 112)}};
  // tbl gives 0 for byte indices >= 64; tbx keeps the previous byte there.
  return vreinterpretq_f32_u8(vqtbx4q_u8(vqtbl4q_u8(t0, b), t1, vsubq_u8(b, vdupq_n_u8(64))));
}

template <>
SIMDACT_INLINE float hmax<arch>(vfa v) {
  return vmaxvq_f32(v);
}

}  // namespace SIMDACT_ISA_NS
}  // namespace simdact
