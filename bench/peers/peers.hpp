// The peers of bench/simdact_compare: what a user would otherwise pick for the same op. Each peer
// translation unit is compiled on its own (bench/CMakeLists.txt), some with an ISA's flags, and hands
// over its kernels in one of two plain forms, so nothing here instantiates a template that an
// AVX-512 object could share with the baseline code:
//
//  - Table: constant data with plain function pointers (the naive loops, SLEEF and Eigen, per ISA).
//    The per-ISA objects are sealed like the library's (only the table symbol stays global), so a
//    machine without AVX-512 never runs an AVX-512 copy of an inline function.
//  - Factory: peers with state (oneDNN primitives, XNNPACK operators) build a Run per problem,
//    outside the timed loop, in baseline-compiled code.
//
// Op names are the rows of include/simdact/kernels.inc without the _fast suffix; the rows_strided ones
// (softmax_strided, log_softmax_strided) only as factories (Problem::ld; Kernel has no strided pointer). Argument order is simdact's: backward ops take (forward output or input, dy, dx),
// see simdact.h.
#ifndef SIMDACT_BENCH_PEERS_HPP
#define SIMDACT_BENCH_PEERS_HPP

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "kernels/kinds.hpp"

namespace simdact_peers {

using UnaryFn = simdact::signatures<void>::unary;
using BinaryFn = simdact::signatures<void>::binary;
using UnaryPFn = simdact::signatures<void>::unary_p;
using BinaryPFn = simdact::signatures<void>::binary_p;
using RowsFn = simdact::signatures<void>::rows;
using RowsBinaryFn = simdact::signatures<void>::rows_binary;

// One kernel of a table: exactly one of the pointers is set, by the op's kind (include/simdact/kernels.inc).
struct Kernel {
  const char* op;
  const char* impl;  // e.g. "sleef-u10-avx512", "eigen-avx2", "naive"
  UnaryFn unary;
  BinaryFn binary;
  UnaryPFn unary_p;
  BinaryPFn binary_p;
  RowsFn rows;
  RowsBinaryFn rows_binary;
};

struct Table {
  const Kernel* kernels;
  std::size_t count;
  const char* note;  // one line for the benchmark context (library version, flags)
};

// Plain loops written like the formulas, baseline flags (always built).
extern const Table naive_table;
// Per ISA (x86-64 only; the caller checks simdact_isa_supported first): the naive loops of the ops
// without a transcendental, compiled with the ISA's flags (auto-vectorised: "naive-<isa>"), and the
// same loops over SLEEF's vector exp/tanh ("sleef-u10-<isa>", "sleef-u35-<isa>").
extern const Table loops_avx2_table;
extern const Table loops_avx512_table;
// Eigen 3.4 array expressions over Eigen::Map of the buffers, one object per ISA.
extern const Table eigen_avx2_table;
extern const Table eigen_avx512_table;

// ---------------------------------------------------------------------------------------------------
// Stateful peers.

// The buffers and shape of one benchmark case. a = the first input (x, or y for the backward ops that
// take the forward output), b = dy, out = y or dx. n = rows * cols for the row ops (rows = 1 otherwise).
struct Problem {
  const float* a;
  const float* b;
  float* out;
  std::size_t n, rows, cols;
  float p;         // leaky_relu's slope, elu's alpha
  std::size_t ld;  // the strided row ops: a's and out's row stride in floats (ld >= cols); cols otherwise
};

// One call of the op on the problem's buffers; false on failure (message in *error).
using Run = std::function<bool(std::string* error)>;

struct Factory {
  std::string op;
  std::string impl;
  // Builds the Run (primitives, memory objects) or returns an empty Run with *error set.
  std::function<Run(const Problem&, std::string* error)> make;
};

struct StatefulPeers {
  std::vector<Factory> factories;
  std::string note;     // context line: version, ISA, threads
  std::string skipped;  // non-empty: why this peer cannot run here
  std::string cap;      // with an ISA cap: one line saying how it was applied and what the peer now runs
  std::string error;    // non-empty: the ISA cap asked for could not be applied (the run must stop)
};

// The most a stateful peer may use (simdact_compare --peer-isa): none = what the CPU has; avx2 = no
// AVX-512 (an AVX2-only CPU). Each peer applies it before its library's first use.
enum class PeerIsa { none, avx2 };

// oneDNN (eltwise, softmax), one thread. Defined only when SIMDACT_PEER_ONEDNN is on. avx2:
// dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2), and the implementations picked are checked to be AVX2 ones.
StatefulPeers onednn_peers(PeerIsa cap);
// XNNPACK operators, no thread pool. Defined only when SIMDACT_PEER_XNNPACK is on. avx2: the avx512*
// fields of libcpuinfo's cpuinfo_isa (from which XNNPACK picks its micro-kernels) cleared before
// xnn_initialize.
StatefulPeers xnnpack_peers(PeerIsa cap);

}  // namespace simdact_peers

#endif  // SIMDACT_BENCH_PEERS_HPP
