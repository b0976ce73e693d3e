// Differential fuzzer (libFuzzer): every kernel of include/simdact/kernels.inc, on every ISA this CPU runs,
// against the scalar oracle, through the C ABI (simdact_set_isa + simdact_<op>_f32). Any difference
// beyond the op's documented bound, a status that differs between ISAs, a wrong status, or a write
// outside the output (or any write by a rejected call) aborts with __builtin_trap() after printing the
// case on stderr. ASan and UBSan (.ci/fuzz) catch the rest.
//
// Input layout (all little endian; missing bytes read as 0):
//   [0]      kernel: index into include/simdact/kernels.inc, modulo the number of kernels
//   [1]      ISAs: bit v picks the ISA of simdact_isa value v (dispatch/isa_list.inc) to compare with the
//            oracle; 0 or only unsupported ones: every ISA this CPU runs
//   [2]      buffers: bits 0-1 aliasing (0 separate, 1 out = a, 2 out = b, 3 a = b and a separate out);
//            bits 2-4 offset of every buffer in floats (misalignment); bit 5 the output partially
//            overlaps input a (must be rejected); bit 6 one pointer is NULL (bit 7: the output, else
//            input a) (must be rejected unless the size is 0)
//   [3..4]   elementwise: n = value % 1100;  rows kinds: cols = value % 2100
//   [5]      rows kinds: rows = value % 5 (rows * cols <= 8400)
//   [6..9]   the parameter (leaky relu's slope) as float bits
//   [10..]   float bit patterns, repeated cyclically: a[i] = f[i % m], b[i] = f[(i + 7) % m] ^ mask(i);
//            no patterns at all: a ramp over [-20, 20). So a short input fills a long vector, and NaN
//            payloads, infinities, subnormals and huge values come straight from the bytes.
//
// The bounds (the contract: include/simdact/simdact.h, kernels/ops_*.hpp, tests/test_kernels.cpp):
//   exact       relu, leaky relu and the elementwise backward ops: the same bits (NaN: any NaN)
//   ulp2/ulp4   the accurate tier (2 ULP: every ulp2 row, elu with any alpha) and the fast tiers (4 ULP)
//               against their ref's formula in double, for results >= FLT_MIN; below, 4 x 2^-149
//               (ulp4_flush, sigmoid_fast, may give +0 there)
//   softmax     relative 4e-6 for outputs >= FLT_MIN, 4 x 2^-149 absolute below; NaN-ness equal
//   softmax_backward  the bound tests/test_kernels.cpp's tolerance is the first-order form of, taken
//               exactly: dx = y * (dy - s) in f32 with s = (float)S for some S within 2^-21 sum|dy y|
//               (+ cols x 2^-149) of the row's dot product in double: the result is a value the
//               formula takes on that interval (so the overflows, and the NaN of 0 * inf, that the f32
//               formula itself gives are allowed where the interval reaches them). A row holding
//               inf/NaN: the oracle's result (NaN-ness, equal values).
//   log_softmax     absolute 2.5 ULP of max(|y|, 1) against the oracle (2 against the exact value)
//   log_softmax_backward  2^-23 |dx| + (2^-21 e^y + 2^-148) sum|dy| (+ 4 x 2^-149); +-inf where that interval
//               reaches beyond the float range (a sum of huge dy that cancels)
//   grad        the backward ops of issue 7: 2^-21 |dy| T(x) + 2^-126 |dy| (+ 4 x 2^-149), T the sum of
//               the magnitudes of the derivative's terms (tests/reference.hpp); dy = +-inf times a
//               derivative below FLT_MIN may give NaN (the factor flushed) or inf
// A kernel added to include/simdact/kernels.inc without a bound here fails to compile (static_assert below), and
// a new kind fails to compile until it has an adapter.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <vector>

#include "dispatch/isa_list.hpp"
#include "kernels/facts.hpp"
#include "simdact/simdact.h"
#include "tests/kernel_calls.hpp"
#include "tests/reference.hpp"

namespace {

// ---------------------------------------------------------------------------------------------
// Bounds and references: each kernel's row of include/simdact/kernels.inc (kernels/facts.hpp).
using simdact::facts::bound;
using simdact::facts::ref;

// ---------------------------------------------------------------------------------------------
// One entry per kernel: the adapters of tests/kernel_calls.hpp plus the kernel's bound and reference.
using simdact_test::call_fn;
using simdact_test::kernel_param;  // the slope of the _p kinds, set from each input

struct Kernel {
  const char* name;
  int inputs;
  bool rows;
  simdact::facts::bound bound;
  simdact::facts::ref ref;
  call_fn call;
};

const Kernel kKernels[] = {
#define SIMDACT_KERNEL(op, kind, bound_, ref_, ...)                                                   \
  {#op, simdact_test::kind##_adapter::inputs, simdact_test::kind##_adapter::rows, bound::bound_,       \
   &simdact::formulas::ref::ref_, &simdact_test::kind##_adapter::call<&simdact_##op##_f32>},
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
};
constexpr std::size_t kNumKernels = sizeof(kKernels) / sizeof(kKernels[0]);

// ---------------------------------------------------------------------------------------------
// Helpers.

using simdact_test::from_bits;
using simdact_test::sigmoid_ref;
using simdact_test::to_bits;
using simdact_test::ulp_error;

// d rounded to float (to nearest, overflowing to +-inf as IEEE does; C++ leaves the out-of-range
// conversion undefined, so it is spelled out).
float to_f32(double d) {
  if (std::isnan(d)) return static_cast<float>(d);
  if (std::fabs(d) >= 0x1.ffffffp127) return d > 0 ? INFINITY : -INFINITY;  // FLT_MAX + half an ULP
  return static_cast<float>(d);
}

// softmax_backward's element formula in f32, as the kernels and the oracle evaluate it, for a row
// dot product s (a double, rounded to float first).
float f32_formula(float y, float dy, double s) {
  const float sf = to_f32(s);
  const float t = dy - sf;
  return y * t;
}

// Whether g is a value f32_formula(y, dy, S) takes for some S in [s - dev, s + dev]. The formula is
// monotonic in S; it is NaN only where (float)S is infinite and y is 0 (or dy is infinite), i.e. at
// the ends of the interval. So the values it takes are NaN if an end gives NaN, and otherwise those
// between the smallest and the largest of its values at the ends and at the ends clamped to the float
// range.
bool softmax_backward_allows(float g, float y, float dy, double s, double dev) {
  const double lo = s - dev, hi = s + dev;
  float v[4];
  int k = 0;
  bool nan = false;
  auto at = [&](double sv) {
    const float f = f32_formula(y, dy, sv);
    if (std::isnan(f)) nan = true;
    else v[k++] = f;
  };
  at(lo);
  at(hi);
  const double clo = std::max(lo, -static_cast<double>(FLT_MAX)), chi = std::min(hi, static_cast<double>(FLT_MAX));
  if (clo <= chi) {
    at(clo);
    at(chi);
  }
  if (std::isnan(g)) return nan;
  if (k == 0) return false;
  float mn = v[0], mx = v[0];
  for (int i = 1; i < k; ++i) mn = std::min(mn, v[i]), mx = std::max(mx, v[i]);
  return mn <= g && g <= mx;
}

constexpr std::size_t kPad = 16;                // floats of canary before and after every buffer
constexpr uint32_t kCanaryBits = 0x7fb1a5edu;  // a signalling-NaN pattern

// A buffer of n floats at `offset` floats past kPad, canaries around.
struct Buffer {
  std::vector<float> mem;
  std::size_t offset = 0, n = 0;
  void init(const std::vector<float>& v, std::size_t off) {
    n = v.size();
    offset = off;
    mem.assign(kPad + off + n + kPad, from_bits(kCanaryBits));
    std::copy(v.begin(), v.end(), mem.begin() + static_cast<std::ptrdiff_t>(kPad + off));
  }
  float* data() { return mem.data() + kPad + offset; }
};

struct Case {
  const Kernel* k;
  std::size_t d0, d1, n;
  std::vector<float> a, b;  // the inputs (b unused by one-input kinds)
  int aliasing;             // 0 separate, 1 out = a, 2 out = b, 3 a = b
  std::size_t offset;
  bool overlap;   // output partially overlapping input a
  int null_ptr;   // 0 none, 1 input a, 2 output
};

struct Result {
  simdact_status status;
  std::vector<float> out;
};

[[noreturn]] void fail(const Case& c, const char* isa, const char* what, std::size_t i, float got, float want) {
  std::fprintf(stderr,
               "\nfuzz_kernels: simdact_%s_f32 on %s: %s\n  d0=%zu d1=%zu n=%zu aliasing=%d offset=%zu overlap=%d null=%d "
               "param=%a (0x%08x)\n",
               c.k->name, isa, what, c.d0, c.d1, c.n, c.aliasing, c.offset, c.overlap, c.null_ptr,
               static_cast<double>(kernel_param()), to_bits(kernel_param()));
  if (i < c.n)
    std::fprintf(stderr, "  [%zu] a=%a (0x%08x) b=%a (0x%08x): got %a (0x%08x), oracle %a (0x%08x)\n", i,
                 static_cast<double>(c.a[i]), to_bits(c.a[i]), static_cast<double>(c.b[i]), to_bits(c.b[i]),
                 static_cast<double>(got), to_bits(got), static_cast<double>(want), to_bits(want));
  __builtin_trap();
}

bool same_bytes(const std::vector<float>& x, const std::vector<float>& y) {
  return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0);
}

// Runs the case on the active ISA with fresh buffers; checks canaries (and, for a rejected call, that
// nothing at all was written).
Result run(const Case& c, const char* isa) {
  Buffer a, b, o;
  a.init(c.a, c.offset);
  b.init(c.aliasing == 3 ? c.a : c.b, c.offset);
  std::vector<float> arena_init(c.n, from_bits(0x7fc0beefu));
  // With an overlap the output lives inside a's buffer, shifted by half of n (at least 1).
  const std::size_t shift = c.n > 1 ? (c.n + 1) / 2 : 1;
  if (c.overlap) {
    std::vector<float> big(c.a);
    big.resize(c.n + shift, from_bits(0x7fc0beefu));
    a.init(big, c.offset);
  } else {
    o.init(arena_init, c.offset);
  }
  const std::vector<float> a_before = a.mem, b_before = b.mem, o_before = o.mem;

  const float* pa = a.data();
  const float* pb = c.aliasing == 3 ? a.data() : b.data();
  float* po = c.overlap ? a.data() + shift : (c.aliasing == 1 ? a.data() : c.aliasing == 2 ? b.data() : o.data());
  if (c.null_ptr == 1) pa = nullptr;
  if (c.null_ptr == 2) po = nullptr;

  Result r;
  r.status = c.k->call(pa, pb, po, c.d0, c.d1);
  const bool must_reject = c.n > 0 && (c.null_ptr != 0 || c.overlap);
  const simdact_status want = must_reject ? SIMDACT_ERR_INVALID_ARGUMENT : SIMDACT_OK;
  if (r.status != want) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "status %d, expected %d", r.status, want);
    fail(c, isa, msg, c.n, 0, 0);
  }
  if (r.status != SIMDACT_OK || c.n == 0) {  // rejected or empty: every byte as before
    if (!same_bytes(a.mem, a_before)) fail(c, isa, "a rejected or empty call modified input a", c.n, 0, 0);
    if (!same_bytes(b.mem, b_before)) fail(c, isa, "a rejected or empty call modified input b", c.n, 0, 0);
    if (!same_bytes(o.mem, o_before)) fail(c, isa, "a rejected or empty call modified the output", c.n, 0, 0);
    return r;
  }
  // Canaries around every buffer.
  for (Buffer* buf : {&a, &b, &o}) {
    if (buf->mem.empty()) continue;
    for (std::size_t i = 0; i < kPad + buf->offset; ++i)
      if (to_bits(buf->mem[i]) != kCanaryBits) fail(c, isa, "wrote before a buffer", c.n, 0, 0);
    for (std::size_t i = kPad + buf->offset + buf->n; i < buf->mem.size(); ++i)
      if (to_bits(buf->mem[i]) != kCanaryBits) fail(c, isa, "wrote past a buffer", c.n, 0, 0);
  }
  r.out.assign(po, po + c.n);
  // Inputs that are not the output keep their bits.
  if (c.aliasing != 1 && std::memcmp(a.data(), c.a.data(), c.n * sizeof(float)) != 0)
    fail(c, isa, "modified input a", c.n, 0, 0);
  if (c.aliasing != 2 && c.aliasing != 3 && std::memcmp(b.data(), c.b.data(), c.n * sizeof(float)) != 0)
    fail(c, isa, "modified input b", c.n, 0, 0);
  return r;
}

// The first input and the second as the kernel saw them.
const std::vector<float>& input_b(const Case& c) { return c.aliasing == 3 ? c.a : c.b; }

// The double reference of a forward op and T(x) of a backward op (tests/reference.hpp, by the row's ref);
// elu with the case's alpha. The tolerance of a backward op: 2^-21 |dy| T + 2^-126 |dy| + 4 x 2^-149.
double forward_ref(simdact::facts::ref r, float xf) { return simdact_test::forward_ref(r, xf, kernel_param()); }
double grad_scale(const Case& c, std::size_t i) { return simdact_test::grad_scale(c.k->ref, c.a[i], kernel_param()); }
double grad_tol(const Case& c, std::size_t i) {
  const double dy = std::fabs(static_cast<double>(input_b(c)[i]));
  return dy * (grad_scale(c, i) * 0x1p-21 + 0x1p-126) + 4 * 0x1p-149;
}

void compare(const Case& c, const char* isa, const Result& got, const Result& want) {
  if (got.status != want.status) fail(c, isa, "status differs from the oracle's", c.n, 0, 0);
  if (got.status != SIMDACT_OK) return;
  const std::vector<float>& b = input_b(c);
  // softmax_backward: per row, the double dot product S and the allowed deviation of the kernel's.
  std::vector<double> row_s, row_dev;
  if (c.k->bound == bound::softmax_backward) {
    const std::size_t cols = c.d1;
    for (std::size_t r = 0; r < c.d0; ++r) {
      double mag = 0.0, sum = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        sum += static_cast<double>(b[j]) * c.a[j];  // the oracle's order: dot += dy * y
        mag += std::fabs(static_cast<double>(b[j]) * c.a[j]);
      }
      row_s.push_back(sum);
      row_dev.push_back(mag * 0x1p-21 + static_cast<double>(cols) * 0x1p-149);
    }
  }
  std::vector<double> row_tol;  // log_softmax_backward
  if (c.k->bound == bound::log_softmax_backward) {
    const std::size_t cols = c.d1;
    for (std::size_t r = 0; r < c.d0; ++r) {
      double mag = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) mag += std::fabs(static_cast<double>(b[j]));
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        const double y = std::min(88.0, std::max(-104.0, static_cast<double>(c.a[j])));
        row_tol.push_back(std::fabs(static_cast<double>(want.out[j])) * 0x1p-23 + (std::exp(y) * 0x1p-21 + 0x1p-148) * mag +
                          4 * 0x1p-149);
      }
    }
  }
  for (std::size_t i = 0; i < c.n; ++i) {
    const float g = got.out[i], w = want.out[i];
    if (c.k->bound == bound::softmax_backward && std::isfinite(row_s[i / c.d1])) {
      const std::size_t r = i / c.d1;
      if (!softmax_backward_allows(g, c.a[i], b[i], row_s[r], row_dev[r]))
        fail(c, isa, "softmax_backward: outside the f32 formula's range over its dot product's bound", i, g, w);
      continue;
    }
    if (std::isnan(g) || std::isnan(w)) {
      // dy = +-inf times a derivative below FLT_MIN: its float value may be 0 (NaN) or not (inf).
      const bool tiny_factor = c.k->bound == bound::grad && std::isinf(b[i]) && !(grad_scale(c, i) >= 0x1p-125);
      if (!(std::isnan(g) && std::isnan(w)) && !tiny_factor) fail(c, isa, "NaN-ness differs from the oracle", i, g, w);
      continue;
    }
    switch (c.k->bound) {
      case bound::exact:
        if (to_bits(g) != to_bits(w)) fail(c, isa, "not bit-identical to the oracle", i, g, w);
        break;
      case bound::ulp2:
      case bound::ulp4:
      case bound::ulp4_flush: {
        const double ref = forward_ref(c.k->ref, c.a[i]);
        const bool normal = std::fabs(ref) >= 0x1p-126;
        const double ulps = normal ? (c.k->bound == bound::ulp2 ? 2.0 : 4.0) : 4.0;
        const bool flushed = c.k->bound == bound::ulp4_flush && !normal && g == 0.0f && !std::signbit(g);
        if (!(ulp_error(g, ref) <= ulps) && !flushed) fail(c, isa, "ULP error above the bound", i, g, w);
        if (!(ulp_error(w, ref) <= 0.5 + 0x1p-20)) fail(c, "scalar", "the oracle is off by more than 0.5 ULP", i, w, w);
        break;
      }
      case bound::softmax:
        if (g != w && !(std::fabs(static_cast<double>(g) - w) <= 4e-6 * std::fabs(w) + 4 * 0x1p-149))
          fail(c, isa, "softmax: relative error above 4e-6", i, g, w);
        break;
      case bound::softmax_backward:  // a row holding inf or NaN (the others are checked above): the oracle's values
        if (g != w) fail(c, isa, "softmax_backward: a row with inf/NaN differs from the oracle", i, g, w);
        break;
      case bound::log_softmax:  // absolute 2 ULP of max(|y|, 1) against the truth: 2.5 against the oracle
        if (g != w && !(std::fabs(static_cast<double>(g) - w) <=
                        2.5 * std::ldexp(1.0, std::ilogb(std::max(std::fabs(w), 1.0f)) - 23)))
          fail(c, isa, "log_softmax: absolute error above 2 ULP of max(|y|, 1)", i, g, w);
        break;
      case bound::log_softmax_backward:  // the interval [w - tol, w + tol] may reach beyond the float range
        if (g != w && !(std::fabs(static_cast<double>(g) - w) <= row_tol[i]) &&
            !(g == INFINITY && w + row_tol[i] > FLT_MAX) && !(g == -INFINITY && w - row_tol[i] < -FLT_MAX))
          fail(c, isa, "log_softmax_backward: error above 2^-23 |dx| + 2^-21 e^y sum|dy|", i, g, w);
        break;
      case bound::grad:
        if (g != w && !(std::fabs(static_cast<double>(g) - w) <= grad_tol(c, i)))
          fail(c, isa, "backward: error above 2^-21 |dy| T(x) + 2^-126 |dy|", i, g, w);
        break;
    }
  }
}

uint32_t read_u32(const uint8_t* p, std::size_t size, std::size_t at) {
  uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<uint32_t>(at + i < size ? p[at + i] : 0) << (8 * i);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  auto byte = [&](std::size_t i) -> unsigned { return i < size ? data[i] : 0u; };
  Case c;
  c.k = &kKernels[byte(0) % kNumKernels];
  const unsigned isa_bits = byte(1) & 0xfu;
  const unsigned flags = byte(2);
  c.aliasing = static_cast<int>(flags & 3u);
  if (c.k->inputs == 1 && c.aliasing >= 2) c.aliasing = 1;
  c.offset = (flags >> 2) & 7u;
  c.overlap = (flags >> 5) & 1u;
  c.null_ptr = (flags >> 6) & 1u ? ((flags >> 7) & 1u ? 2 : 1) : 0;
  if (c.overlap && c.aliasing != 0) c.aliasing = 0;  // the output lives in a's buffer
  const unsigned len = byte(3) | (byte(4) << 8);
  if (c.k->rows) {
    c.d1 = len % 2100;
    c.d0 = byte(5) % 5;
    c.n = c.d0 * c.d1;
  } else {
    c.d0 = len % 1100;
    c.d1 = 1;
    c.n = c.d0;
  }
  if (c.n < 2) c.overlap = false;  // a partial overlap needs two elements
  kernel_param() = from_bits(read_u32(data, size, 6));

  // The float patterns.
  const std::size_t first = 10, m = size > first ? (size - first) / 4 : 0;
  c.a.resize(c.n);
  c.b.resize(c.n);
  for (std::size_t i = 0; i < c.n; ++i) {
    if (m == 0) {
      c.a[i] = -20.0f + 40.0f * static_cast<float>(i % 97) / 97.0f;
      c.b[i] = -1.0f + 2.0f * static_cast<float>(i % 89) / 89.0f;
      continue;
    }
    c.a[i] = from_bits(read_u32(data, size, first + 4 * (i % m)));
    // b: the patterns shifted by 7, the sign flipped every other cycle: a and b are not the same.
    c.b[i] = from_bits(read_u32(data, size, first + 4 * ((i + 7) % m)) ^ ((i / m) % 2 ? 0x80000000u : 0u));
  }

  if (simdact_set_isa(SIMDACT_ISA_SCALAR) != SIMDACT_OK) __builtin_trap();
  const Result want = run(c, "scalar");

  simdact_isa isas[std::size(simdact::kIsas)];
  int count = 0;
  for (simdact_isa isa : simdact::kIsas)
    if (simdact_isa_supported(isa) && (isa_bits & (1u << static_cast<int>(isa)))) isas[count++] = isa;
  if (count == 0)
    for (simdact_isa isa : simdact::kIsas)
      if (isa != SIMDACT_ISA_SCALAR && simdact_isa_supported(isa)) isas[count++] = isa;
  for (int i = 0; i < count; ++i) {
    if (simdact_set_isa(isas[i]) != SIMDACT_OK) __builtin_trap();
    const char* name = simdact_isa_name(isas[i]);
    compare(c, name, run(c, name), want);
  }
  simdact_set_isa(SIMDACT_ISA_SCALAR);
  return 0;
}
