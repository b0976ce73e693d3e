// What this CPU and OS can run, detected once (cpuid + xgetbv on x86-64, getauxval on aarch64).
// We do not use xsimd's available_architectures(): xsimd 8.1 reads AVX from the wrong CPUID leaf
// and never asks the OS (XCR0) whether it saves the YMM/ZMM state.
#pragma once

namespace simdact {

// One member per ISA of dispatch/isa_list.inc (its "feature" column).
struct cpu_features {
  bool always = true;     // the scalar kernels: any CPU
  bool avx2_fma = false;  // AVX2 + FMA, and the OS saves XMM/YMM state
  bool avx512 = false;    // AVX-512 F/BW/DQ/VL + FMA, and the OS saves opmask/ZMM state too
  bool neon = false;      // aarch64 Advanced SIMD (HWCAP_ASIMD)
};

cpu_features detect_cpu_features();

}  // namespace simdact
