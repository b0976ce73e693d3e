// AVX-512 kernels (F/BW/DQ/VL + FMA). Compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma
// only (cmake/simdact_isa.cmake); xsimd's avx512bw architecture needs DQ too.
#define SIMDACT_ISA_NS avx512
#define SIMDACT_ISA_ARCH xsimd::avx512bw
#define SIMDACT_ISA_ENUM SIMDACT_ISA_AVX512
#define SIMDACT_ISA_PRIMITIVES "kernels/arch/avx512.hpp"
#include "kernels/isa_table.inl"
