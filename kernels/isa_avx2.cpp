// AVX2 + FMA kernels. Compiled with -mavx2 -mfma only (cmake/simdact_isa.cmake).
#define SIMDACT_ISA_NS avx2
#define SIMDACT_ISA_ARCH xsimd::fma3<xsimd::avx2>
#define SIMDACT_ISA_ENUM SIMDACT_ISA_AVX2
#define SIMDACT_ISA_PRIMITIVES "kernels/arch/avx2.hpp"
#include "kernels/isa_table.inl"
