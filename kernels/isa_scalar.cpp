// The scalar table: the plain C++ reference kernels, compiled for the baseline ISA.
#include "kernels/scalar.hpp"
#include "kernels/table.hpp"

namespace simdact {

extern const kernel_table scalar_table;
const kernel_table scalar_table = {
    SIMDACT_ISA_SCALAR,
    "scalar",
#define SIMDACT_KERNEL(op, kind, ...) &scalar::op,
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};

}  // namespace simdact
