// Concurrency: every kernel of include/simdact/kernels.inc called from 8 threads at once, each on its own
// buffers, while one thread cycles simdact_set_isa through the supported ISAs and another keeps
// reading simdact_active_isa / simdact_isa_supported / simdact_isa_name. Every call must return
// SIMDACT_OK and a result bit for bit equal (NaN: NaN) to the one of the ISAs computed beforehand on
// one thread: a call runs on one table from start to end, whichever ISA that is, so its result is
// that ISA's, and tests/test_kernels.cpp holds every ISA's result to the op's bound against the
// scalar oracle. Expanded from include/simdact/kernels.inc (one adapter per kind): a new kernel is covered as
// soon as it is listed. Built for ThreadSanitizer by .ci/sanitizers; stays well under 3 s natively.
// (First use raced from many threads in a fresh process: tests/race_init.cpp.) ctest label
// concurrency; the names start with "Concurrent" so that .ci/cross-aarch64's -E "Concurrent|concurrency"
// leaves them out (threads do not make progress under qemu-aarch64 there).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/kernel_calls.hpp"
#include "tests/util.hpp"

namespace simdact_test {
namespace {


using Kernel = KernelCall;
const auto& kKernels = kKernelCalls;  // tests/kernel_calls.hpp
constexpr std::size_t kNumKernels = kNumKernelCalls;

// Elementwise: n = 1003 (full unrolled blocks, single vectors and a tail on every ISA); rows kinds:
// 7 rows of 143.
constexpr std::size_t kN = 1003, kRows = 7, kCols = 143;
std::size_t d0_of(const Kernel& k) { return k.rows ? kRows : kN; }
std::size_t d1_of(const Kernel& k) { return k.rows ? kCols : 1; }
std::size_t size_of(const Kernel& k) { return k.rows ? kRows * kCols : kN; }

std::vector<simdact_isa> supported_isas() {
  std::vector<simdact_isa> v;
  for (simdact_isa isa : kIsas)
    if (simdact_isa_supported(isa)) v.push_back(isa);
  return v;
}

bool same_bits(const float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!(to_bits(a[i]) == to_bits(b[i]) || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

struct Case {
  std::vector<float> a, b;
  std::vector<std::vector<float>> expected;  // per supported ISA
};

// Inputs with every float class mixed in for the elementwise kinds; rows of moderate values (the first
// input of a two-input rows kernel in [0, 1), like a softmax output) for the rows kinds.
Case make_case(const Kernel& k, uint32_t seed) {
  Case c;
  const std::size_t n = size_of(k);
  if (k.rows) {
    c.a = k.inputs == 2 ? uniform(n, 0.0f, 1.0f, seed) : uniform(n, -20.0f, 20.0f, seed);
    c.b = uniform(n, -2.0f, 2.0f, seed + 1);
    return c;
  }
  c.a = uniform(n, -30.0f, 30.0f, seed);
  c.b = uniform(n, -2.0f, 2.0f, seed + 1);
  const std::vector<float> bits = random_bits(n, seed + 2);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, -1e-40f, 3.4e38f, -3.4e38f, 1.0f};
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 7 == 3) c.a[i] = bits[i];
    if (i % 11 == 5) c.a[i] = specials[(i / 11) % 10];
  }
  return c;
}

// Restores the ISA the library picked on its own, whatever the test did.
struct RestoreIsa {
  ~RestoreIsa() { simdact_set_isa(initial_isa()); }
};

TEST(ConcurrentCalls, EveryKernelWhileSwitchingIsa) {
  RestoreIsa restore;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<simdact_isa> isas = supported_isas();
  ASSERT_FALSE(isas.empty());
  ASSERT_LE(isas.size(), 6u);  // the result classes below are masks < 64

  // Each ISA's result for each kernel, computed on this thread before any other starts.
  std::vector<Case> cases;
  for (std::size_t k = 0; k < kNumKernels; ++k) {
    cases.push_back(make_case(kKernels[k], static_cast<uint32_t>(100 + 10 * k)));
    Case& c = cases.back();
    for (simdact_isa isa : isas) {
      ASSERT_EQ(simdact_set_isa(isa), SIMDACT_OK);
      std::vector<float> out(size_of(kKernels[k]));
      ASSERT_EQ(kKernels[k].call(c.a.data(), c.b.data(), out.data(), d0_of(kKernels[k]), d1_of(kKernels[k])),
                SIMDACT_OK);
      c.expected.push_back(std::move(out));
    }
  }

  // Each worker runs at least kMinRounds rounds over every kernel and at least kMinSeconds, then stops
  // as soon as results of two ISAs have been seen (or kMaxSeconds have passed).
  constexpr int kWorkers = 8, kMinRounds = 6;
  constexpr double kMinSeconds = 0.5, kMaxSeconds = 2.5;
  std::atomic<bool> go{false}, stop_switching{false};
  std::atomic<int> ready{0}, finished{0};
  // The result classes seen: bit m set when a result matched exactly the ISAs of mask m (bit j = isas[j]).
  // Two ISAs certainly both ran when two disjoint classes were seen (ISAs whose results are the same
  // bits, such as an alias of another ISA, form one class).
  static_assert(sizeof(unsigned long long) * 8 >= 64, "masks of up to 6 ISAs");
  std::atomic<unsigned long long> seen_classes{0};
  auto two_disjoint = [](unsigned long long classes) {
    for (unsigned m1 = 1; m1 < 64; ++m1)
      for (unsigned m2 = m1 + 1; m2 < 64; ++m2)
        if ((classes >> m1 & 1) && (classes >> m2 & 1) && (m1 & m2) == 0) return true;
    return false;
  };
  std::atomic<long> calls{0}, bad_status{0}, bad_result{0}, switches{0}, reads{0}, bad_reads{0};
  std::vector<std::string> first_error(kWorkers);
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  std::vector<std::thread> threads;
  for (int t = 0; t < kWorkers; ++t) {
    threads.emplace_back([&, t] {
      // Own copies of the inputs, and an output per kernel.
      std::vector<Case> mine;
      for (const Case& c : cases) mine.push_back(Case{c.a, c.b, {}});
      std::vector<float> out(kRows * kCols + kN);
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      for (int round = 0;; ++round) {
        if (round >= kMinRounds) {
          const bool evidence = two_disjoint(seen_classes.load());
          const double secs = elapsed();
          if (secs > kMaxSeconds) break;
          if (secs > kMinSeconds && (isas.size() < 2 || evidence)) break;
        }
        for (std::size_t i = 0; i < kNumKernels; ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t)) % kNumKernels;  // threads start on different kernels
          const Kernel& kern = kKernels[k];
          const std::size_t n = size_of(kern);
          Case& c = mine[k];
          // Odd rounds in place (the output is the first input): same result as out of place.
          const bool in_place = (round + t) % 2 == 1;
          std::vector<float> a_copy;
          float* o = out.data();
          const float* a = c.a.data();
          if (in_place) {
            a_copy = c.a;
            o = a_copy.data();
            a = a_copy.data();
          }
          if (!in_place) std::fill(o, o + n, from_bits(0x7fc0dead));
          const simdact_status s = kern.call(a, c.b.data(), o, d0_of(kern), d1_of(kern));
          calls.fetch_add(1, std::memory_order_relaxed);
          if (s != SIMDACT_OK) {
            bad_status.fetch_add(1);
            if (first_error[t].empty()) first_error[t] = std::string(kern.name) + ": status " + std::to_string(s);
            continue;
          }
          unsigned match = 0;
          for (std::size_t j = 0; j < isas.size(); ++j)
            if (same_bits(o, cases[k].expected[j].data(), n)) match |= 1u << j;
          if (match == 0) {
            bad_result.fetch_add(1);
            if (first_error[t].empty())
              first_error[t] = std::string(kern.name) + (in_place ? " (in place)" : "") +
                               ": result equals no ISA's single-threaded result";
          } else {
            seen_classes.fetch_or(1ull << match);  // one of the ISAs of `match` ran
          }
        }
      }
      finished.fetch_add(1);
    });
  }
  // The reader: the active ISA is always one of the supported ones, and the other queries stay sane.
  threads.emplace_back([&] {
    while (!go.load()) std::this_thread::yield();
    while (!stop_switching.load()) {
      const simdact_isa a = simdact_active_isa();
      reads.fetch_add(1, std::memory_order_relaxed);
      if (std::find(isas.begin(), isas.end(), a) == isas.end() || simdact_isa_supported(a) != 1 ||
          std::string(simdact_isa_name(a)) == "unknown")
        bad_reads.fetch_add(1);
      std::this_thread::yield();
    }
  });

  while (ready.load() < kWorkers) std::this_thread::yield();
  go.store(true);
  // The switcher (this thread): round and round through the supported ISAs until the workers are done.
  std::vector<long> per_isa(isas.size(), 0);
  std::string switch_error;
  for (std::size_t i = 0; finished.load() < kWorkers; ++i) {
    const std::size_t j = i % isas.size();
    const simdact_status st = simdact_set_isa(isas[j]);
    if (st != SIMDACT_OK && switch_error.empty())
      switch_error = std::string("set_isa(") + simdact_isa_name(isas[j]) + ") returned " + std::to_string(st);
    ++per_isa[j];
    switches.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::yield();
  }
  stop_switching.store(true);
  for (auto& th : threads) th.join();
  const double secs = elapsed();

  EXPECT_EQ(switch_error, "");
  EXPECT_EQ(bad_status.load(), 0) << "calls not returning SIMDACT_OK";
  EXPECT_EQ(bad_result.load(), 0) << "results equal to no ISA's result";
  for (int t = 0; t < kWorkers; ++t) EXPECT_EQ(first_error[t], "") << "worker " << t;
  EXPECT_EQ(bad_reads.load(), 0) << "simdact_active_isa() returned an unsupported ISA";
  EXPECT_GT(reads.load(), 0);
  for (std::size_t j = 0; j < isas.size(); ++j)
    EXPECT_GT(per_isa[j], 0) << "never switched to " << simdact_isa_name(isas[j]);
  std::string seen;
  for (unsigned m = 1; m < 64; ++m) {  // each class seen, its ISAs joined by "=" (the same bits)
    if (!(seen_classes.load() >> m & 1)) continue;
    std::string cls;
    for (std::size_t j = 0; j < isas.size(); ++j)
      if (m >> j & 1) cls += std::string(cls.empty() ? "" : "=") + simdact_isa_name(isas[j]);
    seen += std::string(seen.empty() ? "" : ",") + cls;
  }
  if (isas.size() >= 2) {
    // Evidence that the switches interleaved with the calls: results of at least two ISAs came back.
    EXPECT_TRUE(two_disjoint(seen_classes.load())) << "results of only " << seen << " were seen";
  }
  std::printf("[          ] %ld calls of %zu kernels on %d threads, %ld ISA switches, %ld reads, results of ISAs %s seen, "
              "%.3f s\n",
              calls.load(), kNumKernels, kWorkers, switches.load(), reads.load(), seen.c_str(), secs);
}

// Several threads switch the ISA at once (each to its own choice) while others compute: every call
// still returns a result of some ISA, and afterwards the active ISA is one of those set.
TEST(ConcurrentCalls, ManySwitchersAtOnce) {
  RestoreIsa restore;
  const std::vector<simdact_isa> isas = supported_isas();
  const Kernel& sig = kKernels[0];  // the first kernel of the list
  Case c = make_case(sig, 7);
  for (simdact_isa isa : isas) {
    ASSERT_EQ(simdact_set_isa(isa), SIMDACT_OK);
    std::vector<float> out(size_of(sig));
    ASSERT_EQ(sig.call(c.a.data(), c.b.data(), out.data(), d0_of(sig), d1_of(sig)), SIMDACT_OK);
    c.expected.push_back(std::move(out));
  }
  constexpr int kSwitchers = 4, kWorkers = 4, kIterations = 2000;
  std::atomic<bool> go{false};
  std::atomic<long> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kSwitchers; ++t)
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kIterations; ++i) {
        if (simdact_set_isa(isas[(static_cast<std::size_t>(t + i)) % isas.size()]) != SIMDACT_OK) bad.fetch_add(1);
        if (std::find(isas.begin(), isas.end(), simdact_active_isa()) == isas.end()) bad.fetch_add(1);
      }
    });
  for (int t = 0; t < kWorkers; ++t)
    threads.emplace_back([&] {
      std::vector<float> out(size_of(sig));
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kIterations / 4; ++i) {
        if (sig.call(c.a.data(), c.b.data(), out.data(), d0_of(sig), d1_of(sig)) != SIMDACT_OK) bad.fetch_add(1);
        bool any = false;
        for (const auto& e : c.expected) any = any || same_bits(out.data(), e.data(), out.size());
        if (!any) bad.fetch_add(1);
      }
    });
  go.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_NE(std::find(isas.begin(), isas.end(), simdact_active_isa()), isas.end());
}

}  // namespace
}  // namespace simdact_test
