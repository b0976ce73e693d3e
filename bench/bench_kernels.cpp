// Google Benchmark suite, expanded from include/simdact/kernels.inc: every kernel x every ISA this CPU can run x
// sizes 4Ki, 64Ki, 1Mi, 32Mi floats, through the public C entry points simdact_<op>_f32, plus a memcpy
// copy bound. Adding a kernel to the list adds its benchmarks; nothing here names an op except
// first_input_domain(), which only picks the input range of backward ops that take a forward output,
// and param_of(), the p of the *_p kinds (leaky_relu's slope 0.01, elu's alpha 1).
//
// --simdact_smoke runs every case up to 64 Ki once (for emulators: it only proves the suite runs).
// Names: <op>/<isa>/<size> for element-wise kinds, <op>/<isa>/cols:<cols>/<size> for the row kinds
// (rows = size / cols, so rows*cols is size rounded down to a multiple of cols; a size smaller than
// cols is not registered). The strided kind (rows_strided) runs on a padded matrix, ldx = ldy =
// cols + 16, with rows = size / ld so that it stays within the nominal size. memcpy/<size>.
// items = elements, bytes = elements * 4 * arrays read+written.
// bench/summary.py turns the JSON output into elements/ns tables; bench/run-summary runs both.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "bench/buffers.hpp"
#include "dispatch/isa_list.hpp"
#include "kernels/facts.hpp"
#include "kernels/kinds.hpp"
#include "simdact/simdact.h"

namespace {

constexpr std::size_t kSizes[] = {std::size_t{4} << 10, std::size_t{64} << 10, std::size_t{1} << 20,
                                  std::size_t{32} << 20};
constexpr std::size_t kCols[] = {10, 128, 1000, 32768};  // row kinds (softmax)
using simdact::kIsas;  // dispatch/isa_list.hpp: every ISA simdact knows
// The p of the *_p kinds: the kernel's default parameter (include/simdact/kernels.inc: leaky slope 0.01, elu alpha 1).
float param_of(const std::string& op) {
  const simdact::facts::kernel* k = simdact::facts::find(op.c_str());
  return k != nullptr ? k->param : 0.0f;
}

// ---------------------------------------------------------------------------------------------------
// Inputs. Per nominal size one cached set of three buffers: a (first input), b (second input, dy),
// out. 32Mi floats are 128 MiB per buffer, so at most 3 of the largest size are alive. a is refilled
// only when a benchmark needs another range than it holds (registration order keeps that rare).

enum class Domain {
  kWide,    // [-10, 10): forward inputs
  kUnit,    // (0, 1): a sigmoid / softmax output
  kSigned,  // (-1, 1): a tanh output
  kDy,      // [-1, 1): upstream gradients
  kLogUnit, // log of kUnit, [-16.6, 0): a log_softmax output
};

// Backward ops whose first input is the forward *output* (the first column of include/simdact/kernels.inc) get
// that output's range; forward inputs are in [-10, 10).
Domain first_input_domain(const std::string& op) { return simdact_bench::first_input_domain_of(op, Domain::kWide); }

// splitmix64 (bench/buffers.hpp), fixed seeds.
void fill(float* p, std::size_t n, Domain d, std::uint64_t seed) {
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t z = simdact_bench::splitmix(&s);
    const double k = static_cast<double>(z >> 40);  // 24 random bits, [0, 2^24)
    float v = 0.0f;
    switch (d) {  // every value below is exact in float except kWide's, which is clamped
      case Domain::kWide:
        v = static_cast<float>(k * (20.0 / 16777216.0) - 10.0);
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

using simdact_bench::allocate;  // bench/buffers.hpp
using simdact_bench::Buffer;

struct Buffers {
  Buffer a, b, out;
  Domain a_domain = Domain::kWide;
};

// The buffers for this nominal size with a in the asked range, or nullptr (and the benchmark skipped)
// if they cannot be allocated. Filled outside the timed loop.
Buffers* buffers_for(benchmark::State& state, std::size_t size, Domain a_domain) {
  static std::map<std::size_t, Buffers> cache;
  Buffers& bufs = cache[size];
  if (!bufs.out) {
    bufs.a = allocate(size);
    bufs.b = allocate(size);
    bufs.out = allocate(size);
    if (!bufs.a || !bufs.b || !bufs.out) {
      cache.erase(size);
      state.SkipWithError("out of memory");
      return nullptr;
    }
    fill(bufs.a.get(), size, Domain::kWide, 0x5EED0001u + size);
    bufs.a_domain = Domain::kWide;
    fill(bufs.b.get(), size, Domain::kDy, 0x5EED0002u + size);
    std::memset(bufs.out.get(), 0, size * sizeof(float));  // fault the pages in before timing
  }
  if (bufs.a_domain != a_domain) {
    fill(bufs.a.get(), size, a_domain, 0x5EED0003u + size);
    bufs.a_domain = a_domain;
  }
  return &bufs;
}

// ---------------------------------------------------------------------------------------------------
// One benchmark case and the generic timed loop every kind shares.

struct Case {
  simdact_isa isa;
  std::size_t size;  // nominal size: the buffer cache key and the last name component
  std::size_t n;     // elements processed per call (rows*cols for the row kinds)
  std::size_t rows, cols;
  Domain a_domain;
  int arrays;  // arrays read + written, for the bytes counter
};

// call(a, b, out) -> simdact_status runs the kernel once on the case's buffers.
template <class Call>
void run_case(benchmark::State& state, const Case& c, Call call) {
  if (simdact_set_isa(c.isa) != SIMDACT_OK || simdact_active_isa() != c.isa) {
    state.SkipWithError((std::string("cannot switch to ISA ") + simdact_isa_name(c.isa)).c_str());
    return;
  }
  Buffers* bufs = buffers_for(state, c.size, c.a_domain);
  if (bufs == nullptr) return;
  const float* a = bufs->a.get();
  const float* b = bufs->b.get();
  float* out = bufs->out.get();
  for (auto _ : state) {
    if (call(a, b, out) != SIMDACT_OK) {
      state.SkipWithError("kernel returned an error status");
      break;
    }
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(c.n));
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(c.n * sizeof(float)) * c.arrays);
}

// --simdact_smoke: every case up to 64 Ki floats, one iteration each. Under an emulator (qemu) no
// figure means anything, but the benchmark must still build and run everywhere so it cannot rot.
bool g_smoke = false;
constexpr std::size_t kSmokeMaxSize = std::size_t{64} << 10;

template <class Call>
void add(const std::string& name, const Case& c, Call call) {
  if (g_smoke && c.size > kSmokeMaxSize) return;
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [c, call](benchmark::State& state) { run_case(state, c, call); });
  b->Unit(benchmark::kMicrosecond);
  if (g_smoke) b->Iterations(1);
}

// Calls make(name, case) for every ISA this CPU runs x every size.
template <class Make>
void for_each_elementwise(const std::string& op, int arrays, Make make) {
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    for (const std::size_t size : kSizes) {
      const Case c{isa, size, size, 1, size, first_input_domain(op), arrays};
      make(op + "/" + simdact_isa_name(isa) + "/" + std::to_string(size), c);
    }
  }
}

// Same for the row kinds: every ISA x cols x size with at least one row.
template <class Make>
void for_each_rows(const std::string& op, int arrays, Make make) {
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    for (const std::size_t cols : kCols) {
      for (const std::size_t size : kSizes) {
        const std::size_t rows = size / cols;
        if (rows == 0) continue;
        const Case c{isa, size, rows * cols, rows, cols, first_input_domain(op), arrays};
        make(op + "/" + simdact_isa_name(isa) + "/cols:" + std::to_string(cols) + "/" + std::to_string(size), c);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// One registrar per kind (the C signatures of include/simdact/kernels.inc).

using UnaryFn = simdact::signatures<simdact_status>::unary;
using BinaryFn = simdact::signatures<simdact_status>::binary;
using UnaryPFn = simdact::signatures<simdact_status>::unary_p;
using BinaryPFn = simdact::signatures<simdact_status>::binary_p;
using RowsFn = simdact::signatures<simdact_status>::rows;
using RowsBinaryFn = simdact::signatures<simdact_status>::rows_binary;
using RowsStridedFn = simdact::signatures<simdact_status>::rows_strided;

void register_unary(const char* op, UnaryFn fn) {
  for_each_elementwise(op, 2, [fn](const std::string& name, const Case& c) {
    add(name, c, [fn, n = c.n](const float* a, const float*, float* out) { return fn(a, out, n); });
  });
}

void register_binary(const char* op, BinaryFn fn) {
  for_each_elementwise(op, 3, [fn](const std::string& name, const Case& c) {
    add(name, c, [fn, n = c.n](const float* a, const float* b, float* out) { return fn(a, b, out, n); });
  });
}

void register_unary_p(const char* op, UnaryPFn fn) {
  for_each_elementwise(op, 2, [fn, p = param_of(op)](const std::string& name, const Case& c) {
    add(name, c, [fn, p, n = c.n](const float* a, const float*, float* out) { return fn(a, out, n, p); });
  });
}

void register_binary_p(const char* op, BinaryPFn fn) {
  for_each_elementwise(op, 3, [fn, p = param_of(op)](const std::string& name, const Case& c) {
    add(name, c,
        [fn, p, n = c.n](const float* a, const float* b, float* out) { return fn(a, b, out, n, p); });
  });
}

void register_rows(const char* op, RowsFn fn) {
  for_each_rows(op, 2, [fn](const std::string& name, const Case& c) {
    add(name, c, [fn, rows = c.rows, cols = c.cols](const float* a, const float*, float* out) {
      return fn(a, out, rows, cols);
    });
  });
}

void register_rows_binary(const char* op, RowsBinaryFn fn) {
  for_each_rows(op, 3, [fn](const std::string& name, const Case& c) {
    add(name, c, [fn, rows = c.rows, cols = c.cols](const float* a, const float* b, float* out) {
      return fn(a, b, out, rows, cols);
    });
  });
}

// Strided rows: ldx = ldy = cols + kStridePad (a padded row-major matrix), rows = size / ld so the
// footprint stays within the nominal size (n = rows * cols elements, fewer than the contiguous kinds
// at small cols). Names as the row kinds: <op>/<isa>/cols:<cols>/<size>.
constexpr std::size_t kStridePad = 16;

void register_rows_strided(const char* op, RowsStridedFn fn) {
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    for (const std::size_t cols : kCols) {
      const std::size_t ld = cols + kStridePad;
      for (const std::size_t size : kSizes) {
        const std::size_t rows = size / ld;
        if (rows == 0) continue;
        const Case c{isa, size, rows * cols, rows, cols, first_input_domain(op), 2};
        add(std::string(op) + "/" + simdact_isa_name(isa) + "/cols:" + std::to_string(cols) + "/" +
                std::to_string(size),
            c, [fn, rows, cols, ld](const float* a, const float*, float* out) {
              return fn(a, ld, out, ld, rows, cols);
            });
      }
    }
  }
}

// The copy bound: one read + one write per element, like a unary kernel. The ISA is irrelevant.
void register_memcpy() {
  for (const std::size_t size : kSizes) {
    const Case c{SIMDACT_ISA_SCALAR, size, size, 1, size, Domain::kWide, 2};
    add("memcpy/" + std::to_string(size), c, [n = size](const float* a, const float*, float* out) {
      std::memcpy(out, a, n * sizeof(float));
      return SIMDACT_OK;
    });
  }
}

void register_all() {
  register_memcpy();
#define SIMDACT_KERNEL(op, kind, ...) register_##kind(#op, &simdact_##op##_f32);
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
}

}  // namespace

int main(int argc, char** argv) {
  const simdact_isa detected = simdact_active_isa();
  std::string isas;
  for (const simdact_isa isa : kIsas) {
    if (!simdact_isa_supported(isa)) continue;
    if (!isas.empty()) isas += ",";
    isas += simdact_isa_name(isa);
  }
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--simdact_smoke") != 0) continue;
    g_smoke = true;
    for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
    --argc;
    break;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("simdact_version", simdact_version());
  benchmark::AddCustomContext("simdact_active_isa_at_start", simdact_isa_name(detected));
  benchmark::AddCustomContext("simdact_isas_benchmarked", isas);
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  simdact_set_isa(detected);
  return 0;
}
