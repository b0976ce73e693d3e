// Every op template (kernels/ops_*.hpp), for kernels/isa_table.inl, which instantiates each kernel
// of include/simdact/kernels.inc per ISA inside namespace simdact::SIMDACT_ISA_NS. Each op header includes what
// it builds on, so their order here does not matter. The contract of each op is written above it;
// tests/ check exactly these numbers against the scalar oracle (kernels/scalar.cpp).
#pragma once

// Every kernels/ops_*.hpp of the tree, listed by CMake (cmake/simdact_isa.cmake): a new op family's
// header is found without an edit here.
#include "simdact_op_headers.hpp"
