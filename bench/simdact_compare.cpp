// simdact against its peers: every op of include/simdact/kernels.inc, every simdact ISA and tier, and each
// implementation a user would otherwise pick (bench/peers/: naive loops, SLEEF, Eigen, oneDNN,
// XNNPACK), on the same buffers, in one process. Run it through bench/compare, which passes
// --benchmark_enable_random_interleaving=true and repetitions and turns the JSON into tables and plots.
//
// Names: <op>[@wide]/<impl>/<size> for element-wise ops, <op>/<impl>/cols:<cols>/<size> for the row ops
// (softmax, log_softmax, their backward: rows = size / cols; softmax_strided, log_softmax_strided: rows
// ld = cols + 16 floats apart in x and y, rows = size / ld), memcpy/<size> (the copy bound). <op> is the
// list's op without "_fast": an op named X_fast in include/simdact/kernels.inc is the fast tier of X and shows as
// impl simdact-fast-<isa>, the default (accurate) tier as simdact-<isa>. @wide: sigmoid and tanh on a
// wide-tailed input (99% U(-10,10), 1% with |x| log-uniform in [20, 1e6]) so that a branch for rare
// ranges shows its cost. Forward inputs are U(-10,10); backward ops get, by their row's first input
// (kernels.inc), y in (0,1) (sigmoid_y, softmax_y), y in (-1,1) (tanh_y), y = log(U(0,1)) in [-16.6, 0)
// (log_softmax_y) or x in U(-10,10) (x), and dy in U(-1,1). leaky_relu's slope 0.01, elu's alpha 1 (every
// implementation the same). Sizes 4 Ki, 64 Ki, 1 Mi, 32 Mi floats; row ops cols 10, 128, 1000, 32768.
// items = elements per call.
//
// Per-ISA peers (SLEEF, Eigen, auto-vectorised loops) run only where simdact_isa_supported() says the
// CPU has the ISA. oneDNN runs on one thread.
//
// Peer ISA (oneDNN and XNNPACK pick their kernels from the CPU: on an AVX-512 machine, AVX-512 ones):
//   --peer-isa=avx2    (or the environment SIMDACT_PEER_ISA=avx2; the option wins) caps both to AVX2, as
//                      on an AVX2-only CPU: oneDNN by dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2) before any
//                      other oneDNN call (then checks that the primitives it creates are AVX2 ones, e.g.
//                      "jit:avx2"), XNNPACK by clearing the avx512* fields of libcpuinfo's cpuinfo_isa
//                      before xnn_initialize (bench/peers/onednn.cpp, xnnpack.cpp). Their names stay
//                      "onednn" and "xnnpack"; the run prints a line per capped peer on stderr and the
//                      JSON context gets peer_isa = avx2 (bench/compare.py states it in its header). Exit
//                      status 1 if a cap cannot be applied. The per-ISA peers (eigen-avx2,
//                      sleef-u10-avx2, ...) are unchanged: their names say the ISA.
//   --peer-isa=none    (the default) each peer picks what the CPU has.
//
// Not run unless --all_sizes: the 32 Mi cases of simdact's scalar ISA, of the naive loops with a
// transcendental and of oneDNN's strided softmaxes (compute-bound; see run_at_size).
//
// Modes:
//   --simdact_smoke    every case up to 64 Ki once (proves that every peer runs; no figure means anything)
//   --peer-accuracy    no benchmark: max ULP of every implementation (simdact tiers and peers) of each
//                      accurate unary row of kernels.inc (elu: alpha 1) over 2^24 inputs spread over
//                      the whole float range plus 2^22 in U(-20,20), against the formula in double
//                      (tests/reference.hpp); non-finite results and where NaN starts (about a minute).
//   --peer-accuracy-range=LO,HI   the same over every float in [LO, HI) instead.
//   --peer-check       no benchmark: every implementation of every op (forward and backward, row ops too)
//                      against simdact's scalar ISA on the benchmark inputs at 4 Ki: proves each peer
//                      computes the same function (same alpha, same gelu form); exit status 1 if one differs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/buffers.hpp"
#include "bench/peers/peers.hpp"
#include "tests/reference.hpp"
#include "dispatch/isa_list.hpp"
#include "kernels/facts.hpp"
#include "kernels/kinds.hpp"
#include "simdact/simdact.h"

namespace {

using simdact_peers::Problem;
using simdact_peers::Run;

constexpr std::size_t kSizes[] = {std::size_t{4} << 10, std::size_t{64} << 10, std::size_t{1} << 20,
                                  std::size_t{32} << 20};
constexpr std::size_t kCols[] = {10, 128, 1000, 32768};
using simdact::kIsas;  // dispatch/isa_list.hpp: every ISA simdact knows
constexpr float kEluAlpha = simdact::facts::find("elu")->param;  // include/simdact/kernels.inc's default (1)
constexpr std::size_t kStridePad = 16;  // the strided softmaxes: ld = cols + 16, as in simdact_bench
constexpr std::size_t kSmokeMaxSize = std::size_t{64} << 10;
constexpr std::size_t kWarmUpMaxSize = std::size_t{1} << 20;
bool g_smoke = false;
bool g_all_sizes = false;  // --all_sizes: also the compute-bound cases at 32 Mi (see run_at_size)

// The p of the *_p kinds for this op (every implementation gets the same): the kernel's default parameter
// (include/simdact/kernels.inc: leaky slope 0.01, elu alpha 1), as in simdact_bench.
float param_of(const std::string& op) {
  const simdact::facts::kernel* k = simdact::facts::find(op.c_str());
  return k != nullptr ? k->param : 0.0f;
}

// ---------------------------------------------------------------------------------------------------
// Kinds and ops, from include/simdact/kernels.inc.

enum class Kind { unary, binary, unary_p, binary_p, rows, rows_binary, rows_strided };

bool is_rows(Kind k) { return k == Kind::rows || k == Kind::rows_binary || k == Kind::rows_strided; }
int arrays_of(Kind k) {
  return (k == Kind::unary || k == Kind::unary_p || k == Kind::rows || k == Kind::rows_strided) ? 2 : 3;
}

const std::string kFastSuffix = "_fast";

// "sigmoid_fast" -> "sigmoid" (fast tier); anything else is its own op (default tier).
std::string base_op(const std::string& op, bool* fast) {
  *fast = op.size() > kFastSuffix.size() &&
          op.compare(op.size() - kFastSuffix.size(), kFastSuffix.size(), kFastSuffix) == 0;
  return *fast ? op.substr(0, op.size() - kFastSuffix.size()) : op;
}

// The base ops in list order with their kinds.
const std::vector<std::pair<std::string, Kind>>& list_ops() {
  static const std::vector<std::pair<std::string, Kind>> ops = [] {
    std::vector<std::pair<std::string, Kind>> v;
    auto add = [&v](const char* op, Kind k) {
      bool fast = false;
      const std::string b = base_op(op, &fast);
      for (const auto& e : v)
        if (e.first == b) return;
      v.emplace_back(b, k);
    };
#define SIMDACT_KERNEL(op, kind, ...) add(#op, Kind::kind);
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
    return v;
  }();
  return ops;
}

bool kind_of(const std::string& op, Kind* kind) {
  for (const auto& e : list_ops())
    if (e.first == op) return *kind = e.second, true;
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Implementations: (op, impl, make). make builds a Run on a problem's buffers (outside timed loops).

using Make = std::function<Run(const Problem&, std::string*)>;

struct Impl {
  std::string op;    // base op
  std::string impl;  // simdact-avx512, simdact-fast-avx2, eigen-avx512, onednn, ...
  Kind kind;
  Make make;
};

std::vector<Impl>& impls() {
  static std::vector<Impl> v;
  return v;
}
std::vector<std::string>& context_notes() {
  static std::vector<std::string> v;
  return v;
}

// simdact: one impl per ISA this CPU runs; the Run switches to the ISA first (the benchmark thread is
// the only caller).
template <class Call>
void add_simdact(const char* list_op, Kind kind, Call call) {
  bool fast = false;
  const std::string op = base_op(list_op, &fast);
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    const std::string name = std::string(fast ? "simdact-fast-" : "simdact-") + simdact_isa_name(isa);
    impls().push_back({op, name, kind, [isa, call](const Problem& p, std::string* error) -> Run {
                         if (simdact_set_isa(isa) != SIMDACT_OK || simdact_active_isa() != isa) {
                           *error = std::string("cannot switch to ISA ") + simdact_isa_name(isa);
                           return Run();
                         }
                         return [p, call](std::string* err) {
                           if (call(p) == SIMDACT_OK) return true;
                           *err = "simdact returned an error status";
                           return false;
                         };
                       }});
  }
}

using UnaryFn = simdact::signatures<simdact_status>::unary;
using BinaryFn = simdact::signatures<simdact_status>::binary;
using UnaryPFn = simdact::signatures<simdact_status>::unary_p;
using BinaryPFn = simdact::signatures<simdact_status>::binary_p;
using RowsFn = simdact::signatures<simdact_status>::rows;
using RowsBinaryFn = simdact::signatures<simdact_status>::rows_binary;
using RowsStridedFn = simdact::signatures<simdact_status>::rows_strided;

void add_simdact_unary(const char* op, UnaryFn fn) {
  add_simdact(op, Kind::unary, [fn](const Problem& p) { return fn(p.a, p.out, p.n); });
}
void add_simdact_binary(const char* op, BinaryFn fn) {
  add_simdact(op, Kind::binary, [fn](const Problem& p) { return fn(p.a, p.b, p.out, p.n); });
}
void add_simdact_unary_p(const char* op, UnaryPFn fn) {
  add_simdact(op, Kind::unary_p, [fn](const Problem& p) { return fn(p.a, p.out, p.n, p.p); });
}
void add_simdact_binary_p(const char* op, BinaryPFn fn) {
  add_simdact(op, Kind::binary_p, [fn](const Problem& p) { return fn(p.a, p.b, p.out, p.n, p.p); });
}
void add_simdact_rows(const char* op, RowsFn fn) {
  add_simdact(op, Kind::rows, [fn](const Problem& p) { return fn(p.a, p.out, p.rows, p.cols); });
}
void add_simdact_rows_binary(const char* op, RowsBinaryFn fn) {
  add_simdact(op, Kind::rows_binary, [fn](const Problem& p) { return fn(p.a, p.b, p.out, p.rows, p.cols); });
}
// Rows p.ld floats apart in both a and out (p.ld == cols: contiguous).
void add_simdact_rows_strided(const char* op, RowsStridedFn fn) {
  add_simdact(op, Kind::rows_strided, [fn](const Problem& p) { return fn(p.a, p.ld, p.out, p.ld, p.rows, p.cols); });
}

// A peer table (plain function pointers): every kernel whose op is in the list with the same kind.
// Implementations whose name starts with `skip_prefix` (if not empty) are left out.
void add_table(const simdact_peers::Table& t, const char* skip_prefix = "") {
  context_notes().push_back(t.note);
  for (std::size_t i = 0; i < t.count; ++i) {
    const simdact_peers::Kernel k = t.kernels[i];
    Kind kind;
    if (!kind_of(k.op, &kind)) continue;  // an op the library does not have (any more)
    if (*skip_prefix != '\0' && std::strncmp(k.impl, skip_prefix, std::strlen(skip_prefix)) == 0) continue;
    Make make;
    auto wrap = [](auto body) -> Make {
      return [body](const Problem& p, std::string*) -> Run {
        return [p, body](std::string*) {
          body(p);
          return true;
        };
      };
    };
    if (kind == Kind::unary && k.unary) make = wrap([f = k.unary](const Problem& p) { f(p.a, p.out, p.n); });
    if (kind == Kind::binary && k.binary)
      make = wrap([f = k.binary](const Problem& p) { f(p.a, p.b, p.out, p.n); });
    if (kind == Kind::unary_p && k.unary_p)
      make = wrap([f = k.unary_p](const Problem& p) { f(p.a, p.out, p.n, p.p); });
    if (kind == Kind::binary_p && k.binary_p)
      make = wrap([f = k.binary_p](const Problem& p) { f(p.a, p.b, p.out, p.n, p.p); });
    if (kind == Kind::rows && k.rows) make = wrap([f = k.rows](const Problem& p) { f(p.a, p.out, p.rows, p.cols); });
    if (kind == Kind::rows_binary && k.rows_binary)
      make = wrap([f = k.rows_binary](const Problem& p) { f(p.a, p.b, p.out, p.rows, p.cols); });
    if (make) impls().push_back({k.op, k.impl, kind, make});
  }
}

simdact_peers::PeerIsa g_peer_isa = simdact_peers::PeerIsa::none;  // --peer-isa / SIMDACT_PEER_ISA
bool g_peer_cap_failed = false;  // a peer could not apply g_peer_isa (main exits with status 1)

[[maybe_unused]] void add_stateful(const char* name, const simdact_peers::StatefulPeers& peers) {
  if (!peers.error.empty()) {
    std::fprintf(stderr, "simdact_compare: %s\n", peers.error.c_str());
    g_peer_cap_failed = true;
    return;
  }
  if (!peers.cap.empty()) std::fprintf(stderr, "simdact_compare: %s\n", peers.cap.c_str());
  if (!peers.skipped.empty()) {
    std::fprintf(stderr, "simdact_compare: %s skipped: %s\n", name, peers.skipped.c_str());
    context_notes().push_back(std::string(name) + " skipped: " + peers.skipped);
    return;
  }
  context_notes().push_back(peers.note);
  for (const auto& f : peers.factories) {
    Kind kind;
    if (kind_of(f.op, &kind)) impls().push_back({f.op, f.impl, kind, f.make});
  }
}

[[maybe_unused]] void skip_isa_peer(const char* what, const char* isa) {
  context_notes().push_back(std::string(what) + ": skipped, the CPU has no " + isa + " (or simdact lacks it)");
}

void collect_impls() {
#define SIMDACT_KERNEL(op, kind, ...) add_simdact_##kind(#op, &simdact_##op##_f32);
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
  add_table(simdact_peers::naive_table);
#ifdef SIMDACT_PEER_HAVE_LOOPS_X86
  // SLEEF on every ISA the CPU has; the auto-vectorised naive loops ("-march=native") on the best only.
  const bool avx512 = simdact_isa_supported(SIMDACT_ISA_AVX512) != 0;
  if (simdact_isa_supported(SIMDACT_ISA_AVX2)) add_table(simdact_peers::loops_avx2_table, avx512 ? "naive-" : "");
  else skip_isa_peer("naive-avx2/sleef-*-avx2", "AVX2");
  if (avx512) add_table(simdact_peers::loops_avx512_table);
  else skip_isa_peer("naive-avx512/sleef-*-avx512", "AVX-512");
#endif
#ifdef SIMDACT_PEER_HAVE_EIGEN
  if (simdact_isa_supported(SIMDACT_ISA_AVX2)) add_table(simdact_peers::eigen_avx2_table);
  else skip_isa_peer("eigen-avx2", "AVX2");
  if (simdact_isa_supported(SIMDACT_ISA_AVX512)) add_table(simdact_peers::eigen_avx512_table);
  else skip_isa_peer("eigen-avx512", "AVX-512");
#endif
#ifdef SIMDACT_PEER_HAVE_ONEDNN
  add_stateful("oneDNN", simdact_peers::onednn_peers(g_peer_isa));
#endif
#ifdef SIMDACT_PEER_HAVE_XNNPACK
  add_stateful("XNNPACK", simdact_peers::xnnpack_peers(g_peer_isa));
#endif
}

// ---------------------------------------------------------------------------------------------------
// Inputs: per nominal size one buffer per input range (so interleaved cases never refill a 128 MiB
// buffer), one dy buffer and one output. Padded past the end (XNNPACK may read 16 bytes beyond).

enum class Domain { kUniform, kWideTail, kUnit, kSigned, kDy, kLogUnit };

Domain first_input_domain(const std::string& op, bool wide) {
  return simdact_bench::first_input_domain_of(op, wide ? Domain::kWideTail : Domain::kUniform);
}

// The ops that also run on the wide-tailed input.
bool has_wide_variant(const std::string& op) { return op == "sigmoid" || op == "tanh"; }

using simdact_bench::splitmix;  // bench/buffers.hpp

void fill(float* p, std::size_t n, Domain d, std::uint64_t seed) {
  std::uint64_t s = seed;
  const double log_lo = std::log(20.0), log_hi = std::log(1e6);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t z = splitmix(&s);
    const double k = static_cast<double>(z >> 40);  // 24 random bits
    const double u = k * (1.0 / 16777216.0);        // [0, 1)
    float v = 0.0f;
    switch (d) {
      case Domain::kWideTail:
        if ((z & 0xFFFF) < 655) {  // 1%: |x| log-uniform in [20, 1e6], either sign
          v = static_cast<float>(std::exp(log_lo + u * (log_hi - log_lo)));
          if (z & 0x10000) v = -v;
          break;
        }
        [[fallthrough]];
      case Domain::kUniform:
        v = static_cast<float>(u * 20.0 - 10.0);
        if (v >= 10.0f) v = std::nextafter(10.0f, 0.0f);
        break;
      case Domain::kUnit: v = static_cast<float>((std::floor(k * 0.5) + 0.5) * (1.0 / 8388608.0)); break;
      case Domain::kSigned: v = static_cast<float>((k + 0.5) * (1.0 / 8388608.0) - 1.0); break;
      case Domain::kDy: v = static_cast<float>(k * (1.0 / 8388608.0) - 1.0); break;
      case Domain::kLogUnit: v = static_cast<float>(std::log((std::floor(k * 0.5) + 0.5) * (1.0 / 8388608.0))); break;
    }
    p[i] = v;
  }
}

using simdact_bench::allocate;
using simdact_bench::Buffer;

struct SizeBuffers {
  std::map<Domain, Buffer> inputs;
  Buffer out;
};

// The input of this size and range (filled on first use), or nullptr when out of memory.
float* input(std::size_t size, Domain d) {
  static std::map<std::size_t, SizeBuffers> cache;
  Buffer& b = cache[size].inputs[d];
  if (!b) {
    b = allocate(size);
    if (b) fill(b.get(), size, d, 0x5EED0000u + 0x100u * static_cast<unsigned>(d) + size);
  }
  return b.get();
}

float* output(std::size_t size) {
  static std::map<std::size_t, Buffer> cache;
  Buffer& b = cache[size];
  if (!b) b = allocate(size);
  return b.get();
}

// ---------------------------------------------------------------------------------------------------
// Benchmarks.

struct Case {
  std::size_t size, n, rows, cols;
  Domain a_domain;
  int arrays;
  std::size_t ld;  // row stride of the strided kind (cols otherwise)
  float p;         // the *_p kinds' parameter (param_of)
};

void run_case(benchmark::State& state, const Case& c, const Make& make) {
  const float* a = input(c.size, c.a_domain);
  const float* b = input(c.size, Domain::kDy);
  float* out = output(c.size);
  if (a == nullptr || b == nullptr || out == nullptr) {
    state.SkipWithError("out of memory");
    return;
  }
  const Problem p{a, b, out, c.n, c.rows, c.cols, c.p, c.ld};
  std::string error;
  Run run = make(p, &error);
  // One untimed call where the buffers fit in the caches (warms them, and checks the peer works);
  // above that it would only cost time, and the timed loop checks every call anyway.
  if (!run || (c.size <= kWarmUpMaxSize && !run(&error))) {
    state.SkipWithError(error.empty() ? "the implementation failed" : error.c_str());
    return;
  }
  for (auto _ : state) {
    if (!run(&error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(c.n));
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(c.n * sizeof(float)) * c.arrays);
}

void add_benchmark(const std::string& name, const Case& c, const Make& make) {
  if (g_smoke && c.size > kSmokeMaxSize) return;
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [c, make](benchmark::State& s) { run_case(s, c, make); });
  b->Unit(benchmark::kMicrosecond);
  if (g_smoke) b->Iterations(1);
}

// The largest size is left out for the implementations that stay far below 1 element/ns at every size:
// simdact's scalar ISA (both tiers: the fallback, not a contender) and the naive loops of the ops with
// a transcendental (std::exp, std::tanh, std::erf, ...). They are compute-bound, so their 1 Mi figure
// holds, and one 32 Mi call takes 0.1-0.7 s: at 32 Mi they would take minutes of the run. Likewise
// oneDNN's strided (log-)softmax: oneDNN 2.6 has only its reference implementation for a non-dense
// tensor (ref:any, about 0.01 elements/ns; 45 s of the run at 32 Mi). --all_sizes runs them anyway.
bool run_at_size(const std::string& op, const std::string& impl, std::size_t size) {
  if (g_all_sizes || size < kSizes[3]) return true;
  if (impl == "simdact-scalar" || impl == "simdact-fast-scalar") return false;
  const std::string strided = "_strided";
  if (impl == "onednn" && op.size() > strided.size() &&
      op.compare(op.size() - strided.size(), strided.size(), strided) == 0)
    return false;
  if (impl != "naive") return true;
  // The naive loops that stay at 32 Mi: no transcendental (memory-bound like the others).
  static const char* const kCheap[] = {"relu",          "relu_backward",    "leaky_relu",      "leaky_relu_backward",
                                       "sigmoid_backward", "tanh_backward", "softmax_backward"};
  for (const char* cheap : kCheap)
    if (op == cheap) return true;
  return false;
}

void register_all() {
  for (const std::size_t size : kSizes) {
    const Case c{size, size, 1, size, Domain::kUniform, 2, size, 0.0f};
    add_benchmark("memcpy/" + std::to_string(size), c, [](const Problem& p, std::string*) -> Run {
      return [p](std::string*) {
        std::memcpy(p.out, p.a, p.n * sizeof(float));
        return true;
      };
    });
  }
  for (const auto& op_kind : list_ops()) {
    const std::string& op = op_kind.first;
    for (const bool wide : {false, true}) {
      if (wide && !has_wide_variant(op)) continue;
      const std::string label = op + (wide ? "@wide" : "");
      const Domain domain = first_input_domain(op, wide);
      for (const Impl& im : impls()) {
        if (im.op != op) continue;
        for (const std::size_t size : kSizes) {
          if (!run_at_size(op, im.impl, size)) continue;
          if (!is_rows(im.kind)) {
            add_benchmark(label + "/" + im.impl + "/" + std::to_string(size),
                          Case{size, size, 1, size, domain, arrays_of(im.kind), size, param_of(op)}, im.make);
            continue;
          }
          for (const std::size_t cols : kCols) {
            // The strided kind: ld = cols + kStridePad, rows = size / ld (the footprint stays the size).
            const std::size_t ld = im.kind == Kind::rows_strided ? cols + kStridePad : cols;
            const std::size_t rows = size / ld;
            if (rows == 0) continue;
            add_benchmark(label + "/" + im.impl + "/cols:" + std::to_string(cols) + "/" + std::to_string(size),
                          Case{size, rows * cols, rows, cols, domain, arrays_of(im.kind), ld, param_of(op)},
                          im.make);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// --peer-accuracy

using simdact_test::from_bits;    // tests/reference.hpp: the references of the test suite
using simdact_test::ulp_error;

// The forward ops --peer-accuracy measures: the accurate-tier elementwise rows of
// include/simdact/kernels.inc (bound ulp2; the fast tiers are implementations of the same op), each
// against its formula in double with the row's parameter (tests/reference.hpp).
std::vector<const simdact::facts::kernel*> accuracy_ops() {
  std::vector<const simdact::facts::kernel*> v;
  for (const simdact::facts::kernel& k : simdact::facts::kKernels)
    if ((k.kind == simdact::facts::kind::unary || k.kind == simdact::facts::kind::unary_p) &&
        k.bound == simdact::facts::bound::ulp2)
      v.push_back(&k);
  return v;
}

struct Padded {  // a float vector with the peers' read-past-the-end padding
  Buffer data;
  std::size_t n = 0;
  explicit Padded(std::size_t n_) : data(allocate(n_)), n(n_) {}
  float* get() const { return data.get(); }
};

// Runs one implementation over x[0..n) into y; false (and a message) when it cannot.
bool evaluate(const Impl& im, const float* x, float* y, std::size_t n, std::string* error) {
  const Problem p{x, x, y, n, 1, n, param_of(im.op), n};
  Run run = im.make(p, error);
  return run && run(error);
}

// The smallest |x| (over one sign) whose result is NaN, searched exactly between the sweep's points.
// Returns 0 when no NaN was seen.
float nan_threshold(const Impl& im, const std::vector<float>& xs, const float* ys, bool negative) {
  float lo = 0.0f, hi = INFINITY;  // largest |x| seen with a number, smallest |x| seen with NaN
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::signbit(xs[i]) != negative || std::isnan(xs[i]) || std::isinf(xs[i])) continue;
    const float m = std::fabs(xs[i]);
    if (std::isnan(ys[i])) hi = std::min(hi, m);
  }
  if (std::isinf(hi)) return 0.0f;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::signbit(xs[i]) != negative || std::isnan(ys[i])) continue;
    const float m = std::fabs(xs[i]);
    if (m < hi) lo = std::max(lo, m);
  }
  // Every float between lo and hi (the sweep is 256 patterns apart: at most a few hundred).
  std::uint32_t blo, bhi;
  std::memcpy(&blo, &lo, 4);
  std::memcpy(&bhi, &hi, 4);
  if (bhi <= blo + 1) return negative ? -hi : hi;
  const std::size_t count = std::min<std::size_t>(bhi - blo, std::size_t{1} << 20);
  Padded x(count), y(count);
  for (std::size_t i = 0; i < count; ++i) x.get()[i] = from_bits((blo + 1 + static_cast<std::uint32_t>(i)) | (negative ? 0x80000000u : 0u));
  std::string error;
  if (!evaluate(im, x.get(), y.get(), count, &error)) return negative ? -hi : hi;
  for (std::size_t i = 0; i < count; ++i)
    if (std::isnan(y.get()[i])) return x.get()[i];
  return negative ? -hi : hi;
}

// range_lo < range_hi: every float in [range_lo, range_hi) instead of the default sweep.
int peer_accuracy(float range_lo, float range_hi) {
  std::vector<float> xs;
  std::string what;
  if (range_lo < range_hi) {
    for (float v = range_lo; v < range_hi; v = std::nextafter(v, INFINITY)) xs.push_back(v);
    what = "every float in [" + std::to_string(range_lo) + ", " + std::to_string(range_hi) + ")";
  } else {
    // The sweep of tests/test_accuracy.cpp: every 256th bit pattern (low bits varied), NaNs dropped,
    // plus 2^22 uniform in [-20, 20).
    xs.reserve((std::size_t{1} << 24) + (std::size_t{1} << 22));
    for (std::uint32_t i = 0; i < (1u << 24); ++i) {
      const float v = from_bits(i * 256u + (i % 256u));
      if (!std::isnan(v)) xs.push_back(v);
    }
    std::uint64_t s = 2024;
    for (std::size_t i = 0; i < (std::size_t{1} << 22); ++i) {
      const double u = static_cast<double>(splitmix(&s) >> 40) * (1.0 / 16777216.0);
      xs.push_back(static_cast<float>(u * 40.0 - 20.0));
    }
    what = "2^24 spread over all floats + 2^22 in U(-20,20)";
  }
  const std::size_t n = xs.size();
  Padded x(n), y(n);
  if (x.get() == nullptr || y.get() == nullptr) {
    std::fprintf(stderr, "simdact_compare: out of memory\n");
    return 1;
  }
  std::memcpy(x.get(), xs.data(), n * sizeof(float));

  std::printf("simdact_compare --peer-accuracy: %zu inputs (%s), error against the formula in double.\n"
              "ULP = float ULP of the exact result (as tests/util.hpp). 'max ULP' over results >= FLT_MIN;\n"
              "'|x|<=20': the same over |x| <= 20 only; 'subnormal' = max error where the exact result is\n"
              "below FLT_MIN, in units of 2^-149; 'non-finite' = NaN/inf results for finite inputs;\n"
              "'NaN from' = smallest |x| per sign that gives NaN (searched exactly between sweep points).\n\n",
              n, what.c_str());
  std::printf("| op | implementation | max ULP | at x | max ULP, \\|x\\|<=20 | mean ULP | subnormal (2^-149) | "
              "non-finite | NaN from |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
  std::vector<double> ref(n);
  for (const simdact::facts::kernel* k : accuracy_ops()) {
    const char* op = k->op;
    for (std::size_t i = 0; i < n; ++i) ref[i] = simdact_test::forward_ref(k->ref, xs[i], k->param);
    for (const Impl& im : impls()) {
      if (im.op != op) continue;
      std::string error;
      std::memset(y.get(), 0, n * sizeof(float));
      if (!evaluate(im, x.get(), y.get(), n, &error)) {
        std::printf("| %s | %s | failed: %s | | | | | | |\n", op, im.impl.c_str(), error.c_str());
        continue;
      }
      double max_err = 0.0, max_core = 0.0, sum = 0.0, max_sub = 0.0;
      std::size_t at = 0, counted = 0, nonfinite = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const float yi = y.get()[i];
        // An infinite exact result (the formula of +inf, e.g. x sigmoid(x)) met exactly: not an error.
        if (!std::isfinite(ref[i]) && static_cast<double>(yi) == ref[i]) continue;
        if (!std::isfinite(yi)) {
          ++nonfinite;
          continue;
        }
        const double e = ulp_error(yi, ref[i]);
        if (std::fabs(ref[i]) < static_cast<double>(FLT_MIN)) {
          max_sub = std::max(max_sub, e);
          continue;
        }
        if (e > max_err) max_err = e, at = i;
        if (std::fabs(xs[i]) <= 20.0f) max_core = std::max(max_core, e);
        sum += e;
        ++counted;
      }
      std::string nan_from = "-";
      if (nonfinite > 0) {
        const float pos = nan_threshold(im, xs, y.get(), false), neg = nan_threshold(im, xs, y.get(), true);
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s%.9g%s%s%.9g", pos != 0.0f ? "x >= " : "", pos != 0.0f ? pos : 0.0,
                      pos != 0.0f && neg != 0.0f ? ", " : "", neg != 0.0f ? "x <= " : "",
                      neg != 0.0f ? neg : 0.0);
        nan_from = (pos == 0.0f && neg == 0.0f) ? "(inf, no NaN)" : buf;
      }
      std::printf("| %s | %s | %.3f | %.9g | %.3f | %.4f | %.3g | %zu | %s |\n", op, im.impl.c_str(), max_err,
                  xs[at], max_core, counted ? sum / static_cast<double>(counted) : 0.0, max_sub, nonfinite,
                  nan_from.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// --peer-check: every implementation of every op against simdact's scalar ISA (the oracle of the
// tests) on the benchmark's own inputs at 4 Ki floats (row ops: cols 128; strided: ld 144), so a peer
// configured for another function (a wrong alpha, another gelu) shows. Error: max |y - ref| / max(|ref|, 1).

constexpr double kCheckTolerance = 1e-4;

int peer_check() {
  constexpr std::size_t kSize = 4096, kCheckCols = 128;
  std::printf("simdact_compare --peer-check: every implementation against simdact-scalar, %zu floats "
              "(row ops: cols %zu, strided ld %zu), the benchmark's inputs; error = max |y - ref| / max(|ref|, 1), "
              "flagged above %g.\n\n",
              kSize, kCheckCols, kCheckCols + kStridePad, kCheckTolerance);
  std::printf("| op | implementation | max error | at | |\n|---|---|---:|---:|---|\n");
  int bad = 0;
  Padded ref(kSize), y(kSize);
  for (const auto& op_kind : list_ops()) {
    const std::string& op = op_kind.first;
    const Kind kind = op_kind.second;
    const std::size_t cols = is_rows(kind) ? kCheckCols : kSize;
    const std::size_t ld = kind == Kind::rows_strided ? cols + kStridePad : cols;
    const std::size_t rows = kSize / ld;
    const Problem base{input(kSize, first_input_domain(op, false)), input(kSize, Domain::kDy), nullptr,
                       rows * cols, rows, cols, param_of(op), ld};
    const Impl* oracle = nullptr;
    for (const Impl& im : impls())
      if (im.op == op && im.impl == "simdact-scalar") oracle = &im;
    std::string error;
    auto evaluate_into = [&](const Impl& im, float* out) {
      std::fill(out, out + kSize, 0.0f);
      Problem p = base;
      p.out = out;
      Run run = im.make(p, &error);
      return run && run(&error);
    };
    if (oracle == nullptr || !evaluate_into(*oracle, ref.get())) {
      std::printf("| %s | simdact-scalar | failed: %s | | |\n", op.c_str(), oracle ? error.c_str() : "missing");
      ++bad;
      continue;
    }
    for (const Impl& im : impls()) {
      if (im.op != op || &im == oracle) continue;
      if (!evaluate_into(im, y.get())) {
        std::printf("| %s | %s | failed: %s | | FAILED |\n", op.c_str(), im.impl.c_str(), error.c_str());
        ++bad;
        continue;
      }
      double max_err = 0.0;
      std::size_t at = 0;
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t j = 0; j < cols; ++j) {
          const std::size_t i = r * ld + j;
          const double rv = ref.get()[i], yv = y.get()[i];
          double e = std::fabs(yv - rv) / std::max(std::fabs(rv), 1.0);
          if (std::isnan(e)) e = std::isnan(rv) && std::isnan(yv) ? 0.0 : INFINITY;
          if (e > max_err) max_err = e, at = i;
        }
      }
      const bool differs = !(max_err <= kCheckTolerance);
      bad += differs ? 1 : 0;
      std::printf("| %s | %s | %.3g | %zu | %s |\n", op.c_str(), im.impl.c_str(), max_err, at,
                  differs ? "DIFFERS" : "");
    }
    std::fflush(stdout);
  }
  std::printf("\n%d implementation(s) failed or differ.\n", bad);
  return bad == 0 ? 0 : 1;
}

bool take_flag(int* argc, char** argv, const char* flag) {
  for (int i = 1; i < *argc; ++i) {
    if (std::strcmp(argv[i], flag) != 0) continue;
    for (int j = i; j + 1 < *argc; ++j) argv[j] = argv[j + 1];
    --*argc;
    return true;
  }
  return false;
}

// --peer-isa=VALUE (removed from argv), else $SIMDACT_PEER_ISA, else none. false on a bad value.
bool take_peer_isa(int* argc, char** argv, simdact_peers::PeerIsa* isa) {
  const char* value = std::getenv("SIMDACT_PEER_ISA");
  const char* from = "SIMDACT_PEER_ISA";
  static const char kFlag[] = "--peer-isa=";
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], kFlag, sizeof kFlag - 1) != 0) continue;
    value = argv[i] + sizeof kFlag - 1;
    from = "--peer-isa";
    for (int j = i; j + 1 < *argc; ++j) argv[j] = argv[j + 1];
    --*argc;
    --i;
  }
  if (value == nullptr || *value == '\0' || std::strcmp(value, "none") == 0) {
    *isa = simdact_peers::PeerIsa::none;
    return true;
  }
  if (std::strcmp(value, "avx2") == 0) {
    *isa = simdact_peers::PeerIsa::avx2;
    return true;
  }
  std::fprintf(stderr, "simdact_compare: %s=%s: the peer ISA is avx2 or none\n", from, value);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const simdact_isa detected = simdact_active_isa();
  g_smoke = take_flag(&argc, argv, "--simdact_smoke");
  g_all_sizes = take_flag(&argc, argv, "--all_sizes");
  const bool accuracy = take_flag(&argc, argv, "--peer-accuracy");
  const bool check = take_flag(&argc, argv, "--peer-check");
  float range_lo = 0.0f, range_hi = 0.0f;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--peer-accuracy-range=", 22) != 0) continue;
    if (std::sscanf(argv[i] + 22, "%f,%f", &range_lo, &range_hi) != 2 || !(range_lo < range_hi)) {
      std::fprintf(stderr, "simdact_compare: --peer-accuracy-range=LO,HI needs LO < HI\n");
      return 1;
    }
    for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
    --argc;
    break;
  }
  if (!take_peer_isa(&argc, argv, &g_peer_isa)) return 1;
  const bool capped = g_peer_isa == simdact_peers::PeerIsa::avx2;
  if (capped)
    std::fprintf(stderr, "simdact_compare: peers capped to AVX2 (--peer-isa=avx2): oneDNN and XNNPACK (where "
                         "built) run their AVX2 kernels; the per-ISA peers keep their -avx2 / -avx512 names\n");
  collect_impls();
  if (g_peer_cap_failed) {
    std::fprintf(stderr, "simdact_compare: the peers could not be capped to AVX2; not running\n");
    return 1;
  }
  if (check) {
    const int rc = peer_check();
    simdact_set_isa(detected);
    return rc;
  }
  if (accuracy || range_lo < range_hi) {
    const int rc = peer_accuracy(range_lo, range_hi);
    simdact_set_isa(detected);
    return rc;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::string isas;
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    if (!isas.empty()) isas += ",";
    isas += simdact_isa_name(isa);
  }
  benchmark::AddCustomContext("simdact_version", simdact_version());
  benchmark::AddCustomContext("simdact_active_isa_at_start", simdact_isa_name(detected));
  benchmark::AddCustomContext("simdact_isas_benchmarked", isas);
  if (capped) benchmark::AddCustomContext("peer_isa", "avx2");
  for (std::size_t i = 0; i < context_notes().size(); ++i)
    benchmark::AddCustomContext("peer_" + std::to_string(i), context_notes()[i]);
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  simdact_set_isa(detected);
  return 0;
}
