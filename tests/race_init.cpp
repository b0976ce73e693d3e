// First use raced from many threads in a fresh process. The library picks its ISA lazily on the first
// call (dispatch/registry.cpp: detection, SIMDACT_ISA, publishing the active table); here N threads
// wait on a barrier and then make their very first simdact call at the same moment: a kernel of
// include/simdact/kernels.inc (thread i calls kernel i mod count), or simdact_active_isa for one of them.
//
// Each round runs in a child forked from this process, which never calls simdact itself, so every
// round is a fresh first use; rounds alternate SIMDACT_ISA (unset, then each ISA name), set in the
// child before its threads start. A round passes when every call returned SIMDACT_OK, every thread
// then reads the same simdact_active_isa(), that ISA is the one SIMDACT_ISA and detection call for,
// and every thread's result is bit for bit what the same call gives afterwards on one thread.
//
//   race_init [rounds] [threads]     (defaults: 12 rounds of 16 threads; exit status 0 = passed)
// Not GoogleTest: the gtest main and tests/util.cpp call simdact before main(). Built for TSan too.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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
#include "simdact/simdact.h"
#include "tests/kernel_calls.hpp"

namespace {

using Kernel = simdact_test::KernelCall;
const auto& kKernels = simdact_test::kKernelCalls;  // tests/kernel_calls.hpp
constexpr std::size_t kNumKernels = simdact_test::kNumKernelCalls;

constexpr std::size_t kN = 1003, kRows = 7, kCols = 143;  // kRows * kCols = 1001 <= kN

uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(bits_of(a[i]) == bits_of(b[i]) || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

// Deterministic inputs in [lo, hi) without <random> (small and the same everywhere).
std::vector<float> inputs(std::size_t n, uint32_t seed, float lo, float hi) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 1;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = lo + (hi - lo) * static_cast<float>(s >> 8) * 0x1p-24f;
  }
  return v;
}

struct Slot {
  const Kernel* kernel = nullptr;  // nullptr: the thread's first call is simdact_active_isa()
  std::vector<float> a, b, out;
  simdact_status status = SIMDACT_OK;
  simdact_isa isa = SIMDACT_ISA_SCALAR;
};

simdact_status run(const Slot& s, std::vector<float>& out) {
  const Kernel& k = *s.kernel;
  return k.rows ? k.call(s.a.data(), s.b.data(), out.data(), kRows, kCols)
                : k.call(s.a.data(), s.b.data(), out.data(), kN, 1);
}

// One round, in a fresh child process. Returns the exit status: 0 passed, 1 failed.
int child_round(int round, int nthreads, const char* env_isa) {
  if (env_isa != nullptr) setenv("SIMDACT_ISA", env_isa, 1);
  else unsetenv("SIMDACT_ISA");

  std::vector<Slot> slots(static_cast<std::size_t>(nthreads));
  for (int t = 0; t < nthreads; ++t) {
    Slot& s = slots[static_cast<std::size_t>(t)];
    if (t == nthreads - 1) continue;  // the last thread only asks which ISA is active
    s.kernel = &kKernels[static_cast<std::size_t>(t) % kNumKernels];
    const std::size_t n = s.kernel->rows ? kRows * kCols : kN;
    s.a = inputs(n, static_cast<uint32_t>(round * 100 + t), s.kernel->rows ? 0.0f : -20.0f, s.kernel->rows ? 1.0f : 20.0f);
    s.b = inputs(n, static_cast<uint32_t>(round * 100 + t + 50), -2.0f, 2.0f);
    s.out.assign(n, 0.0f);
  }

  std::atomic<int> arrived{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < nthreads; ++t) {
    threads.emplace_back([&, t] {
      Slot& s = slots[static_cast<std::size_t>(t)];
      arrived.fetch_add(1);
      while (arrived.load() < nthreads) std::this_thread::yield();  // all leave the barrier together
      if (s.kernel != nullptr) s.status = run(s, s.out);
      s.isa = simdact_active_isa();
    });
  }
  for (auto& th : threads) th.join();

  // What SIMDACT_ISA and detection call for: the named ISA if it runs here, else the best one.
  const simdact_isa best = simdact::best_isa([](simdact_isa isa) { return simdact_isa_supported(isa) != 0; });
  simdact_isa want = best;
  for (simdact_isa isa : simdact::kIsas)
    if (env_isa != nullptr && std::strcmp(env_isa, simdact_isa_name(isa)) == 0 && simdact_isa_supported(isa))
      want = isa;

  int failures = 0;
  for (int t = 0; t < nthreads; ++t) {
    const Slot& s = slots[static_cast<std::size_t>(t)];
    const char* what = s.kernel != nullptr ? s.kernel->name : "simdact_active_isa";
    if (s.status != SIMDACT_OK) {
      std::fprintf(stderr, "race_init: round %d thread %d (%s): status %d\n", round, t, what, s.status);
      ++failures;
    }
    if (s.isa != want) {
      std::fprintf(stderr, "race_init: round %d thread %d (%s): active ISA %s, expected %s (SIMDACT_ISA=%s)\n", round, t,
                   what, simdact_isa_name(s.isa), simdact_isa_name(want), env_isa ? env_isa : "(unset)");
      ++failures;
    }
    if (s.kernel != nullptr) {
      std::vector<float> again(s.out.size(), 0.0f);
      if (run(s, again) != SIMDACT_OK || !same_bits(s.out, again)) {
        std::fprintf(stderr, "race_init: round %d thread %d: the first call of %s gave a result other than the same "
                     "call afterwards\n", round, t, what);
        ++failures;
      }
    }
  }
  if (simdact_active_isa() != want) ++failures;
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 12;
  const int nthreads = argc > 2 ? std::atoi(argv[2]) : 16;
  if (rounds < 1 || nthreads < 2) {
    std::fprintf(stderr, "usage: race_init [rounds >= 1] [threads >= 2]\n");
    return 2;
  }
  // Unset, then each ISA's name in turn (dispatch/isa_list.inc).
  constexpr std::size_t kEnvs = std::size(simdact::kIsaInfo) + 1;
  int failed = 0;
  for (int r = 0; r < rounds; ++r) {
    const std::size_t e = static_cast<std::size_t>(r) % kEnvs;
    const char* env = e == 0 ? nullptr : simdact::kIsaInfo[e - 1].name;
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
      std::perror("race_init: fork");
      return 1;
    }
    // exit(), not _exit(): a sanitizer's report at exit (TSan's exit code 66) must reach the parent.
    if (pid == 0) std::exit(child_round(r, nthreads, env));
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      std::fprintf(stderr, "race_init: round %d (SIMDACT_ISA=%s) failed (wait status 0x%x)\n", r, env ? env : "(unset)",
                   st);
      ++failed;
    }
  }
  std::printf("race_init: %d rounds of %d threads racing the first call, %d passed, %d failed\n", rounds, nthreads,
              rounds - failed, failed);
  return failed == 0 ? 0 : 1;
}
