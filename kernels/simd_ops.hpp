// Every op template (kernels/ops_*.hpp), for kernels/isa_table.inl, which instantiates each kernel
// of kernels/list.inc per ISA inside namespace simdact::SIMDACT_ISA_NS. Each op header includes what
// it builds on, so their order here does not matter. The contract of each op is written above it;
// tests/ check exactly these numbers against the scalar oracle (kernels/scalar.cpp).
#pragma once

#include "kernels/ops_elu.hpp"
#include "kernels/ops_gelu.hpp"
#include "kernels/ops_log_softmax.hpp"
#include "kernels/ops_relu.hpp"
#include "kernels/ops_sigmoid.hpp"
#include "kernels/ops_silu.hpp"
#include "kernels/ops_softmax.hpp"
#include "kernels/ops_softplus.hpp"
#include "kernels/ops_tanh.hpp"
