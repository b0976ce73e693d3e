// Exhaustive accuracy proof for the unary forward ops with a ref (the rows of kernels.inc of kind
// unary or unary_p with a formula: both sigmoid and tanh tiers and the rest; elu with alpha = 1), on
// every ISA this machine runs: every one of the 2^32 float bit patterns (SIMDACT_EXHAUSTIVE_LOG2=k
// samples 2^k of them evenly instead, for emulators), against a double-precision reference computed once per input for all ISAs.
// SIMDACT_EXHAUSTIVE_ISAS=<isa>,... restricts the ISAs (under qemu the scalar oracle, double exp in
// emulated floating point, would take most of the time; it is proven natively).
// SIMDACT_EXHAUSTIVE_OPS=sigmoid,tanh_fast,... restricts the ops (exact names, for kernel work).
//
// Why double decides a float result's ULP error: the reference's own error is below 2^-52 relative
// (glibc's exp and tanh are correct to < 1 double ULP, and the sigmoid formula adds two roundings),
// which is 2^-29 of a float ULP; so |y - ref| / ulp differs from the error against the exact value by
// less than 2^-28 ULP, far below the resolution of the bounds checked (2 and 4 ULP).
//
// Bounds (the contract above each kernel in kernels/ops_*.hpp): accurate tier <= 2 ULP, fast tier <= 4 ULP, for
// results >= FLT_MIN; subnormal results within 4 x 2^-149 (sigmoid_fast may flush them to +0); the
// scalar oracle within 0.5 ULP. NaN in -> NaN out for every NaN pattern; finite in -> finite out;
// sigmoid in [0, 1]; tanh in [-1, 1] with the sign of x (tanh(-0) = -0).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "dispatch/isa_list.hpp"
#include "kernels/facts.hpp"
#include "simdact/simdact.h"
#include "tests/kernel_calls.hpp"
#include "tests/reference.hpp"

namespace {

// The references, one array per function (computed only for the selected ops).
using simdact::facts::bound;
using simdact::facts::ref;
// The swept ops: every unary kernel of include/simdact/kernels.inc with a ULP bound (ulp2, ulp4, ulp4_flush),
// called through tests/kernel_calls.hpp; the _p kinds with their default parameter (elu: alpha = 1).
struct Op {
  const char* name;
  simdact_test::call_fn fn;  // fn(x, nullptr, y, n, 1)
  ref r;
  double param;
  bool fast;    // fast tier (4 ULP) or accurate (2 ULP)
  bool flushes; // subnormal results may be +0
  size_t ref_slot;  // ops with the same formula and parameter share one array of reference values
};
std::vector<Op> swept_ops() {
  std::vector<Op> v;
  for (size_t i = 0; i < std::size(simdact::facts::kKernels); ++i) {
    const simdact::facts::kernel& k = simdact::facts::kKernels[i];
    const bool unary = k.kind == simdact::facts::kind::unary || k.kind == simdact::facts::kind::unary_p;
    if (!unary || !(k.bound == bound::ulp2 || k.bound == bound::ulp4 || k.bound == bound::ulp4_flush)) continue;
    size_t slot = v.size();
    for (size_t j = 0; j < v.size(); ++j)
      if (v[j].r == k.ref && v[j].param == k.param) slot = std::min(slot, v[j].ref_slot);
    v.push_back({k.op, simdact_test::kKernelCalls[i].call, k.ref, k.param, k.bound != bound::ulp2, k.bound == bound::ulp4_flush, slot});
  }
  return v;
}
const std::vector<Op> kOps = swept_ops();
const int kNumOps = static_cast<int>(kOps.size());

// The range of each function (its record in kernels/formulas.hpp), checked on every input.
bool in_range(ref r, float x, float y) { return r->in_range(x, y); }

using simdact_test::from_bits;
using simdact_test::to_bits;

// 1 / ulp(ref) for a double ref, from its exponent field: the float ULP of ref's binade, 2^-149 below
// FLT_MIN. A table lookup: this runs 2^32 times per op and ISA.
struct InvUlp {
  double t[2048];
  InvUlp() {
    for (int e = 0; e < 2048; ++e) t[e] = std::ldexp(1.0, -(std::max(e - 1023, -126) - 23));
  }
  double operator()(double ref) const {
    uint64_t b;
    std::memcpy(&b, &ref, 8);
    return t[(b >> 52) & 0x7ff];
  }
};
const InvUlp inv_ulp;

struct Stats {
  double max_normal = 0, max_sub = 0, sum = 0;
  uint64_t count = 0, flushed = 0, bad_nan = 0, not_finite = 0, out_of_range = 0;
  uint32_t at_normal = 0, at_sub = 0, at_bad = 0;
  void merge(const Stats& o) {
    if (o.max_normal > max_normal) max_normal = o.max_normal, at_normal = o.at_normal;
    if (o.max_sub > max_sub) max_sub = o.max_sub, at_sub = o.at_sub;
    if (o.bad_nan + o.not_finite + o.out_of_range > 0 && bad_nan + not_finite + out_of_range == 0) at_bad = o.at_bad;
    sum += o.sum, count += o.count, flushed += o.flushed, bad_nan += o.bad_nan, not_finite += o.not_finite;
    out_of_range += o.out_of_range;
  }
};

void check(const Op& op, const float* x, const float* y, const double* ref, size_t n, Stats& s) {
  for (size_t i = 0; i < n; ++i) {
    const float xi = x[i], yi = y[i];
    if (std::isnan(xi)) {
      if (!std::isnan(yi)) ++s.bad_nan, s.at_bad = to_bits(xi);
      continue;
    }
    if (!std::isfinite(yi) && std::isfinite(xi)) {  // finite in, finite out (+-inf may give +inf)
      ++s.not_finite, s.at_bad = to_bits(xi);
      continue;
    }
    if (!in_range(op.r, xi, yi)) {
      ++s.out_of_range, s.at_bad = to_bits(xi);
      continue;
    }
    const double r = ref[i];
    if (std::isinf(r)) {  // +inf in, +inf out (the unbounded ops); a finite result is out of range
      if (static_cast<double>(yi) != r) ++s.out_of_range, s.at_bad = to_bits(xi);
      continue;
    }
    const double e = std::fabs(static_cast<double>(yi) - r) * inv_ulp(r);
    if (std::fabs(r) < 0x1p-126) {
      if (op.flushes && yi == 0.0f) {
        ++s.flushed;
      } else if (e > s.max_sub) {
        s.max_sub = e, s.at_sub = to_bits(xi);
      }
      continue;
    }
    if (e > s.max_normal) s.max_normal = e, s.at_normal = to_bits(xi);
    s.sum += e;
    ++s.count;
  }
}

}  // namespace

int main() {
  int log2n = 32;
  if (const char* e = std::getenv("SIMDACT_EXHAUSTIVE_LOG2")) log2n = std::max(8, std::min(32, std::atoi(e)));
  const uint64_t total = uint64_t{1} << log2n;
  const uint32_t stride = static_cast<uint32_t>((uint64_t{1} << 32) >> log2n);
  unsigned threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  // Empty, unset or 0: one thread per core (ctest passes the cache variable, empty by default).
  if (const char* e = std::getenv("SIMDACT_EXHAUSTIVE_THREADS"); e != nullptr && std::atoi(e) > 0)
    threads = static_cast<unsigned>(std::min(8, std::atoi(e)));
  const size_t chunk = size_t{1} << std::min(22, log2n);

  const char* only = std::getenv("SIMDACT_EXHAUSTIVE_ISAS");
  std::vector<simdact_isa> isas;
  for (simdact_isa isa : simdact::kIsas) {
    if (only != nullptr && *only != '\0' && std::strstr(only, simdact_isa_name(isa)) == nullptr) {
      std::printf("exhaustive: %s not selected (SIMDACT_EXHAUSTIVE_ISAS=%s)\n", simdact_isa_name(isa), only);
      continue;
    }
    if (simdact_isa_supported(isa)) isas.push_back(isa);
    else std::printf("exhaustive: %s SKIPPED (not compiled in or not supported by this CPU)\n", simdact_isa_name(isa));
  }
  std::vector<char> selected(kOps.size());
  const char* ops = std::getenv("SIMDACT_EXHAUSTIVE_OPS");
  for (int o = 0; o < kNumOps; ++o) {
    selected[o] = true;
    if (ops != nullptr && *ops != '\0') {  // exact names in a comma-separated list
      const std::string list = std::string(",") + ops + ",";
      selected[o] = list.find(std::string(",") + kOps[o].name + ",") != std::string::npos;
      if (!selected[o]) std::printf("exhaustive: %s not selected (SIMDACT_EXHAUSTIVE_OPS=%s)\n", kOps[o].name, ops);
    }
  }
  const simdact_isa initial = simdact_active_isa();
  std::printf("exhaustive: %llu inputs (every %u-th bit pattern), %u threads, ISAs:", static_cast<unsigned long long>(total),
              stride, threads);
  for (simdact_isa isa : isas) std::printf(" %s", simdact_isa_name(isa));
  std::printf("\n");

  // The scalar ISA sweeps every SIMDACT_EXHAUSTIVE_SCALAR_EVERY-th input (default 16; 1: all): its
  // kernels are the double formulas the references evaluate, so a full sweep of them costs minutes
  // and proves nothing more than the 2^28 inputs.
  size_t scalar_every = 16;
  if (const char* e = std::getenv("SIMDACT_EXHAUSTIVE_SCALAR_EVERY")) scalar_every = std::max(1, std::atoi(e));
  std::printf("exhaustive: the scalar ISA on every %zu-th of those inputs\n", scalar_every);
  std::vector<float> x(chunk), y(chunk), xs(chunk / scalar_every + threads + 1), ys(xs.size());
  std::vector<double> rs(xs.size());
  std::vector<std::vector<double>> ref(kOps.size());  // by ref_slot
  for (int o = 0; o < kNumOps; ++o)
    if (selected[o]) ref[kOps[o].ref_slot].resize(chunk);
  std::vector<Stats> stats(kNumOps * isas.size());
  std::vector<Stats> part(threads);

  auto parallel = [&](auto&& body) {  // body(begin, end, thread index) over [0, chunk)
    if (threads == 1) {  // no thread at all: std::thread never starts under this machine's qemu-aarch64
      body(0, chunk, 0);
      return;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { body(chunk * t / threads, chunk * (t + 1) / threads, t); });
    for (auto& th : pool) th.join();
  };

  for (uint64_t base = 0; base < total; base += chunk) {
    parallel([&](size_t b, size_t e, unsigned) {
      for (size_t i = b; i < e; ++i) {
        const float v = from_bits(static_cast<uint32_t>((base + i) * stride));
        x[i] = v;
        for (int o = 0; o < kNumOps; ++o)
          if (!ref[o].empty()) ref[o][i] = simdact_test::forward_ref(kOps[o].r, v, kOps[o].param);
      }
    });
    for (size_t k = 0; k < isas.size(); ++k) {
      if (simdact_set_isa(isas[k]) != SIMDACT_OK || simdact_active_isa() != isas[k]) {
        std::printf("exhaustive: cannot switch to %s\n", simdact_isa_name(isas[k]));
        return 1;
      }
      for (int o = 0; o < kNumOps; ++o) {
        const Op& op = kOps[o];
        if (!selected[o]) continue;
        simdact_test::kernel_param() = static_cast<float>(op.param);  // the _p kinds' parameter
        std::fill(part.begin(), part.end(), Stats{});
        if (isas[k] == SIMDACT_ISA_SCALAR && scalar_every > 1) {
          // The scalar kernels evaluate these same double formulas: every scalar_every-th input of
          // the chunk (gathered), which keeps every binade and special value class in the sweep.
          parallel([&](size_t b, size_t e, unsigned t) {
            const size_t base = (b + scalar_every - 1) / scalar_every;  // threads' ranges stay disjoint
            size_t m = 0;
            for (size_t i = base * scalar_every; i < e; i += scalar_every, ++m) {
              xs[base + m] = x[i];
              rs[base + m] = ref[op.ref_slot][i];
            }
            if (op.fn(xs.data() + base, nullptr, ys.data() + base, m, 1) != SIMDACT_OK) part[t].bad_nan += 1u << 30;
            check(op, xs.data() + base, ys.data() + base, rs.data() + base, m, part[t]);
          });
        } else {
          parallel([&](size_t b, size_t e, unsigned t) {
            if (op.fn(x.data() + b, nullptr, y.data() + b, e - b, 1) != SIMDACT_OK) part[t].bad_nan += 1u << 30;
            check(op, x.data() + b, y.data() + b, ref[op.ref_slot].data() + b, e - b, part[t]);
          });
        }
        for (const Stats& p : part) stats[k * kNumOps + o].merge(p);
      }
    }
  }
  simdact_set_isa(initial);

  int failures = 0, checks = 0;
  for (size_t k = 0; k < isas.size(); ++k) {
    for (int o = 0; o < kNumOps; ++o) {
      const Op& op = kOps[o];
      if (!selected[o]) continue;
      const Stats& s = stats[k * kNumOps + o];
      const bool scalar = isas[k] == SIMDACT_ISA_SCALAR;
      const double bound = scalar ? 0.5 + 0x1p-20 : (op.fast ? 4.0 : 2.0);
      const double sub_bound = scalar ? 0.5 + 0x1p-20 : 4.0;
      const bool ok = s.max_normal <= bound && s.max_sub <= sub_bound && s.bad_nan == 0 && s.not_finite == 0 &&
                      s.out_of_range == 0;
      ++checks;
      failures += !ok;
      char nan_note[128] = "ok";
      if (s.bad_nan || s.not_finite || s.out_of_range)
        std::snprintf(nan_note, sizeof nan_note,
                      "VIOLATED (%llu NaN lost, %llu non-finite, %llu out of range or sign; e.g. x = 0x%08x)",
                      static_cast<unsigned long long>(s.bad_nan), static_cast<unsigned long long>(s.not_finite),
                      static_cast<unsigned long long>(s.out_of_range), s.at_bad);
      std::printf("%s %s/%s: max %.3f ULP at x = %.9g (0x%08x), mean %.4f ULP over %llu normal results; "
                  "subnormal results max %.2f x 2^-149 (at 0x%08x), %llu flushed; NaN->NaN, finite, range and sign %s; bound %.1f ULP\n",
                  ok ? "ok  " : "FAIL", op.name, simdact_isa_name(isas[k]), s.max_normal, from_bits(s.at_normal),
                  s.at_normal, s.count ? s.sum / static_cast<double>(s.count) : 0.0,
                  static_cast<unsigned long long>(s.count), s.max_sub, s.at_sub,
                  static_cast<unsigned long long>(s.flushed),
                  nan_note, bound);
    }
  }
  std::printf("exhaustive: %d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
