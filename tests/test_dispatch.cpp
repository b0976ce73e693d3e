// Runtime dispatch: CPU detection against /proc/cpuinfo, simdact_set_isa, the SIMDACT_ISA
// environment variable (DispatchEnv.*, run by ctest in separate processes), and switching the ISA
// while other threads compute.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/util.hpp"

namespace simdact_test {
namespace {

// Values outside the enum, as a C caller can pass them. Kept as int and converted only at the call:
// in C++ an enum object holding a value outside 0..3 is undefined (UBSan flags the load), while the
// C ABI must accept any value.
constexpr int kBogusIsas[] = {4, 42, -1};
simdact_isa as_isa(int v) { return static_cast<simdact_isa>(v); }

// Which ISAs this build compiled in (tests/CMakeLists.txt defines SIMDACT_TEST_HAVE_<ISA>).
bool compiled_in(simdact_isa isa) {
  switch (isa) {
    case SIMDACT_ISA_SCALAR:
      return true;
    case SIMDACT_ISA_AVX2:
#ifdef SIMDACT_TEST_HAVE_AVX2
      return true;
#else
      return false;
#endif
    case SIMDACT_ISA_AVX512:
#ifdef SIMDACT_TEST_HAVE_AVX512
      return true;
#else
      return false;
#endif
    case SIMDACT_ISA_NEON:
#ifdef SIMDACT_TEST_HAVE_NEON
      return true;
#else
      return false;
#endif
  }
  return false;
}

// The ISA the library must pick on its own: the best supported one.
simdact_isa best_supported() {
  for (simdact_isa isa : {SIMDACT_ISA_AVX512, SIMDACT_ISA_AVX2, SIMDACT_ISA_NEON})
    if (simdact_isa_supported(isa)) return isa;
  return SIMDACT_ISA_SCALAR;
}

std::vector<simdact_isa> supported_isas() {
  std::vector<simdact_isa> v;
  for (simdact_isa isa : kAllIsas)
    if (simdact_isa_supported(isa)) v.push_back(isa);
  return v;
}

// Restores the ISA the library picked on its own, whatever the test did.
struct RestoreIsa {
  ~RestoreIsa() { simdact_set_isa(initial_isa()); }
};

// The first "<key>\t: a b c" line of /proc/cpuinfo as a set of words; false if there is none.
bool cpuinfo_words(const char* key, std::set<std::string>& words) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (name != key) continue;
    std::istringstream ss(line.substr(colon + 1));
    for (std::string w; ss >> w;) words.insert(w);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// (a) Detection agrees with what the kernel reports in /proc/cpuinfo.

TEST(Dispatch, ScalarAlwaysSupportedAndBogusNever) {
  EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_SCALAR), 1);
  for (int bogus : kBogusIsas) EXPECT_EQ(simdact_isa_supported(as_isa(bogus)), 0) << bogus;
  for (simdact_isa isa : kAllIsas) {
    const int s = simdact_isa_supported(isa);
    EXPECT_TRUE(s == 0 || s == 1) << simdact_isa_name(isa) << " returned " << s;
    if (!compiled_in(isa)) {
      EXPECT_EQ(s, 0) << simdact_isa_name(isa) << " is not compiled in";
    }
  }
}

// Under an emulator (qemu-x86_64 -cpu Nehalem/max, qemu-aarch64) /proc/cpuinfo describes the host,
// not the emulated CPU: the run says so by naming the ISA detection must pick in
// SIMDACT_EXPECT_DETECTED (.ci/run, and -DSIMDACT_TEST_EXPECT_DETECTED for the cross build).
const char* expected_detected() {
  const char* e = std::getenv("SIMDACT_EXPECT_DETECTED");
  return e != nullptr && *e != '\0' ? e : nullptr;
}

TEST(Dispatch, DetectionMatchesProcCpuinfo) {
  if (expected_detected() != nullptr)
    GTEST_SKIP() << "SIMDACT_EXPECT_DETECTED is set: the CPU is emulated and /proc/cpuinfo is the host's "
                    "(Dispatch.DetectedIsaIsExpected checks detection instead)";
  std::set<std::string> flags, features;
  if (cpuinfo_words("flags", flags)) {  // x86
    auto has = [&](const char* f) { return flags.count(f) != 0; };
    const bool avx2 = has("avx2") && has("fma");
    const bool avx512 = has("avx512f") && has("avx512bw") && has("avx512dq") && has("avx512vl") && has("fma");
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_AVX2) == 1, compiled_in(SIMDACT_ISA_AVX2) && avx2)
        << "cpuinfo: avx2=" << has("avx2") << " fma=" << has("fma");
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_AVX512) == 1, compiled_in(SIMDACT_ISA_AVX512) && avx512)
        << "cpuinfo: avx512f=" << has("avx512f") << " avx512bw=" << has("avx512bw") << " avx512dq="
        << has("avx512dq") << " avx512vl=" << has("avx512vl") << " fma=" << has("fma");
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_NEON), 0) << "NEON on an x86 CPU";
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_SCALAR), 1);
  } else if (cpuinfo_words("Features", features)) {  // aarch64
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_NEON) == 1,
              compiled_in(SIMDACT_ISA_NEON) && features.count("asimd") != 0)
        << "cpuinfo: asimd=" << features.count("asimd");
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_AVX2), 0);
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_AVX512), 0);
    EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_SCALAR), 1);
  } else {
    GTEST_SKIP() << "/proc/cpuinfo has no 'flags' (x86) or 'Features' (aarch64) line to compare against";
  }
}

// ---------------------------------------------------------------------------------------------
// (b) simdact_set_isa.

TEST(Dispatch, SetIsaSwitchesToEverySupportedIsa) {
  RestoreIsa restore;
  const std::vector<simdact_isa> ok = supported_isas();
  ASSERT_FALSE(ok.empty());
  for (simdact_isa from : ok) {
    for (simdact_isa to : ok) {
      ASSERT_EQ(simdact_set_isa(from), SIMDACT_OK) << simdact_isa_name(from);
      ASSERT_EQ(simdact_active_isa(), from);
      EXPECT_EQ(simdact_set_isa(to), SIMDACT_OK) << simdact_isa_name(from) << " -> " << simdact_isa_name(to);
      EXPECT_EQ(simdact_active_isa(), to) << simdact_isa_name(from) << " -> " << simdact_isa_name(to);
      // The switched-to ISA really computes (and computes sigmoid(0) = 0.5 exactly).
      float x[3] = {0.0f, 0.0f, 0.0f}, y[3] = {0.0f, 0.0f, 0.0f};
      EXPECT_EQ(simdact_sigmoid_f32(x, y, 3), SIMDACT_OK);
      EXPECT_EQ(y[2], 0.5f) << simdact_isa_name(to);
    }
  }
}

TEST(Dispatch, SetIsaRejectsUnsupportedAndKeepsActive) {
  RestoreIsa restore;
  std::vector<int> bad(std::begin(kBogusIsas), std::end(kBogusIsas));
  for (simdact_isa isa : kAllIsas)
    if (!simdact_isa_supported(isa)) bad.push_back(static_cast<int>(isa));
#if defined(__x86_64__) || defined(__i386__)
  EXPECT_EQ(simdact_isa_supported(SIMDACT_ISA_NEON), 0) << "NEON claimed on x86";
  EXPECT_EQ(simdact_set_isa(SIMDACT_ISA_NEON), SIMDACT_ERR_UNSUPPORTED_ISA);
#endif
  for (simdact_isa current : supported_isas()) {
    ASSERT_EQ(simdact_set_isa(current), SIMDACT_OK);
    for (int v : bad) {
      EXPECT_EQ(simdact_set_isa(as_isa(v)), SIMDACT_ERR_UNSUPPORTED_ISA)
          << "set_isa(" << v << " " << simdact_isa_name(as_isa(v)) << ")";
      EXPECT_EQ(simdact_active_isa(), current) << "a rejected set_isa(" << v << ") changed the active ISA";
    }
  }
}

// ---------------------------------------------------------------------------------------------
// (c) SIMDACT_ISA. tests/CMakeLists.txt runs DispatchEnv.* once per value with SIMDACT_ISA=<v> and
// SIMDACT_EXPECT_ISA=<v>; without SIMDACT_EXPECT_ISA (the ordinary unit-test run) the expectation
// follows SIMDACT_ISA if that is set in the caller's environment, else the best supported ISA.

TEST(DispatchEnv, InitialIsaFollowsEnvironment) {
  const simdact_isa best = best_supported();
  const char* expect = std::getenv("SIMDACT_EXPECT_ISA");
  const char* source = "SIMDACT_EXPECT_ISA";
  if (expect == nullptr) {
    expect = std::getenv("SIMDACT_ISA");
    source = "SIMDACT_ISA";
  }
  if (expect == nullptr || *expect == '\0') {
    EXPECT_EQ(initial_isa(), best) << "no SIMDACT_ISA: the initial ISA must be the best supported one ("
                                   << simdact_isa_name(best) << "), got " << simdact_isa_name(initial_isa());
    return;
  }
  simdact_isa named = best;
  bool known = false;
  for (simdact_isa isa : kAllIsas)
    if (std::string(expect) == simdact_isa_name(isa)) {
      named = isa;
      known = true;
    }
  if (known && simdact_isa_supported(named)) {
    EXPECT_EQ(initial_isa(), named) << source << "=" << expect << " names a supported ISA; got "
                                    << simdact_isa_name(initial_isa());
  } else {
    EXPECT_EQ(initial_isa(), best) << source << "=" << expect
                                   << (known ? " is not supported here" : " is not an ISA name")
                                   << ": the initial ISA must be the best supported one (" << simdact_isa_name(best)
                                   << "), got " << simdact_isa_name(initial_isa());
  }
}

// The ISA detection picks (best supported), and the one running when SIMDACT_ISA is not set, is the
// one the emulated CPU calls for. Prints the detected ISA for the CI log.
TEST(Dispatch, DetectedIsaIsExpected) {
  const simdact_isa best = best_supported();
  std::printf("simdact: detected ISA %s, initial ISA %s\n", simdact_isa_name(best), simdact_isa_name(initial_isa()));
  const char* expect = expected_detected();
  if (expect == nullptr) GTEST_SKIP() << "SIMDACT_EXPECT_DETECTED not set (native run: see DetectionMatchesProcCpuinfo)";
  EXPECT_STREQ(simdact_isa_name(best), expect) << "detection picked the wrong ISA for this (emulated) CPU";
  const char* forced = std::getenv("SIMDACT_ISA");
  if (forced == nullptr || *forced == '\0') {
    EXPECT_STREQ(simdact_isa_name(initial_isa()), expect);
  }
}

TEST(DispatchEnv, InitialIsaIsSupportedAndNamed) {
  const simdact_isa isa = initial_isa();
  EXPECT_EQ(simdact_isa_supported(isa), 1) << simdact_isa_name(isa);
  EXPECT_STRNE(simdact_isa_name(isa), "unknown") << static_cast<int>(isa);
}

// ---------------------------------------------------------------------------------------------
// (d) Switching the ISA while 8 threads compute: every call still gives a correct result.

TEST(Dispatch, ConcurrentSetIsaSmoke) {
  RestoreIsa restore;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kThreads = 8, kCalls = 200;
  constexpr std::size_t kN = 1003;  // full vectors and a tail on every ISA
  const std::vector<float> x = uniform(kN, -30.0f, 30.0f, 77);  // results >= FLT_MIN: the 4 ULP bound holds
  std::vector<float> oracle(kN);
  ASSERT_EQ(simdact_set_isa(SIMDACT_ISA_SCALAR), SIMDACT_OK);
  ASSERT_EQ(simdact_sigmoid_f32(x.data(), oracle.data(), kN), SIMDACT_OK);
  const std::vector<simdact_isa> isas = supported_isas();
  ASSERT_EQ(simdact_set_isa(isas.back()), SIMDACT_OK);

  // The main thread switches the ISA as fast as it can while the workers call; it also makes at least
  // two rounds through every ISA before it looks at whether the workers are done. (An earlier version
  // made call c wait for c switches: under qemu, with 9 spinning threads on 2 cores, that crawled.)
  std::atomic<long> flips{0};
  std::atomic<int> ready{0}, finished{0};
  std::atomic<bool> go{false};
  std::vector<int> bad_status(kThreads, 0), bad_values(kThreads, 0);
  std::vector<double> worst(kThreads, 0.0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> in = x, out(kN);
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      for (int c = 0; c < kCalls; ++c) {
        std::fill(out.begin(), out.end(), from_bits(0x7fc0dead));
        if (simdact_sigmoid_f32(in.data(), out.data(), kN) != SIMDACT_OK) ++bad_status[t];
        for (std::size_t i = 0; i < kN; ++i) {
          const double e = ulp_error(out[i], oracle[i]);
          if (e > worst[t]) worst[t] = e;
          if (!(e <= 4.0)) ++bad_values[t];
        }
      }
      finished.fetch_add(1);
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  go.store(true);
  std::vector<long> flips_per_isa(isas.size(), 0);
  const long min_flips = 2 * static_cast<long>(isas.size());
  while (finished.load() < kThreads || flips.load() < min_flips) {
    const std::size_t i = static_cast<std::size_t>(flips.load()) % isas.size();
    // No other thread sets it, so the switch must hold. (No ASSERT here: the threads must be joined.)
    const simdact_status st = simdact_set_isa(isas[i]);
    if (st != SIMDACT_OK || simdact_active_isa() != isas[i]) {
      ADD_FAILURE() << "set_isa(" << simdact_isa_name(isas[i]) << ") returned " << st << ", active is "
                    << simdact_isa_name(simdact_active_isa());
      break;
    }
    ++flips_per_isa[i];
    flips.fetch_add(1);
    std::this_thread::yield();
  }
  for (auto& th : threads) th.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(bad_status[t], 0) << "thread " << t << ": calls not returning SIMDACT_OK";
    EXPECT_EQ(bad_values[t], 0) << "thread " << t << ": results more than 4 ULP from the scalar oracle (worst "
                                << worst[t] << " ULP)";
  }
  for (std::size_t i = 0; i < isas.size(); ++i)
    EXPECT_GT(flips_per_isa[i], 0) << "never switched to " << simdact_isa_name(isas[i]);
  std::printf("[          ] %ld ISA switches over %zu ISAs during %d x %d calls, %.3f s\n", flips.load(),
              isas.size(), kThreads, kCalls, secs);
}

}  // namespace
}  // namespace simdact_test
