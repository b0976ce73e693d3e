// Instantiates every kernel of include/simdact/kernels.inc for one ISA and fills its table. Included by exactly
// one translation unit per ISA (kernels/isa_<name>.cpp), which is compiled with that ISA's flags
// only and defines:
//   SIMDACT_ISA_NS    the per-ISA namespace, the row's name (dispatch/isa_list.inc) — also the table's
//                     name prefix
//   SIMDACT_ISA_ARCH  the xsimd architecture type
//   SIMDACT_ISA_ENUM  the simdact_isa value
//   SIMDACT_ISA_PRIMITIVES  its primitives header, "kernels/arch/<name>.hpp"
#include "kernels/simd_ops.hpp"
#include "kernels/table.hpp"

#define SIMDACT_CAT2(a, b) a##b
#define SIMDACT_CAT(a, b) SIMDACT_CAT2(a, b)
#define SIMDACT_STR2(a) #a
#define SIMDACT_STR(a) SIMDACT_STR2(a)

namespace simdact {

extern const kernel_table SIMDACT_CAT(SIMDACT_ISA_NS, _table);
const kernel_table SIMDACT_CAT(SIMDACT_ISA_NS, _table) = {
    SIMDACT_ISA_ENUM,
    SIMDACT_STR(SIMDACT_ISA_NS),
#define SIMDACT_KERNEL(op, kind, ...) &SIMDACT_ISA_NS::op<SIMDACT_ISA_ARCH>,
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};

}  // namespace simdact
