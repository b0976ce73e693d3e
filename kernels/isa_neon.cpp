// aarch64 Advanced SIMD kernels (always present on aarch64; still detected at run time).
#define SIMDACT_ISA_NS neon
#define SIMDACT_ISA_ARCH xsimd::neon64
#define SIMDACT_ISA_ENUM SIMDACT_ISA_NEON
#define SIMDACT_ISA_PRIMITIVES "kernels/arch/neon.hpp"
#include "kernels/isa_table.inl"
