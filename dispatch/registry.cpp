#include "dispatch/registry.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "dispatch/cpu_features.hpp"

namespace simdact {

std::atomic<const kernel_table*> g_active{nullptr};

namespace {

const kernel_table* compiled_table(simdact_isa isa) {
  switch (isa) {
    case SIMDACT_ISA_SCALAR:
      return &scalar_table;
#ifdef SIMDACT_HAVE_AVX2
    case SIMDACT_ISA_AVX2:
      return &avx2_table;
#endif
#ifdef SIMDACT_HAVE_AVX512
    case SIMDACT_ISA_AVX512:
      return &avx512_table;
#endif
#ifdef SIMDACT_HAVE_NEON
    case SIMDACT_ISA_NEON:
      return &neon_table;
#endif
    default:
      return nullptr;
  }
}

bool cpu_can_run(simdact_isa isa) {
  static const cpu_features f = detect_cpu_features();
  switch (isa) {
    case SIMDACT_ISA_SCALAR:
      return true;
    case SIMDACT_ISA_AVX2:
      return f.avx2_fma;
    case SIMDACT_ISA_AVX512:
      return f.avx512;
    case SIMDACT_ISA_NEON:
      return f.neon;
    default:
      return false;
  }
}

const kernel_table* choose() {
  const kernel_table* best = &scalar_table;
  for (simdact_isa isa : {SIMDACT_ISA_AVX512, SIMDACT_ISA_AVX2, SIMDACT_ISA_NEON}) {
    if (const kernel_table* t = runnable_table(isa)) {
      best = t;
      break;
    }
  }
  const char* want = std::getenv("SIMDACT_ISA");
  if (want == nullptr || *want == '\0') return best;
  for (simdact_isa isa : {SIMDACT_ISA_SCALAR, SIMDACT_ISA_AVX2, SIMDACT_ISA_AVX512, SIMDACT_ISA_NEON}) {
    if (std::strcmp(want, simdact_isa_name(isa)) != 0) continue;
    if (const kernel_table* t = runnable_table(isa)) return t;
    std::fprintf(stderr, "simdact: SIMDACT_ISA=%s cannot run on this CPU or is not compiled in; using %s\n", want,
                 best->name);
    return best;
  }
  std::fprintf(stderr, "simdact: SIMDACT_ISA=%s is not an ISA name (scalar, avx2, avx512, neon); using %s\n", want,
               best->name);
  return best;
}

}  // namespace

const kernel_table* runnable_table(simdact_isa isa) {
  const kernel_table* t = compiled_table(isa);
  return t != nullptr && cpu_can_run(isa) ? t : nullptr;
}

const kernel_table& init_active() {
  static const kernel_table* const chosen = choose();  // once, thread-safe (C++11 static init)
  const kernel_table* expected = nullptr;
  // A simdact_set_isa() that ran meanwhile wins; otherwise publish the choice.
  g_active.compare_exchange_strong(expected, chosen, std::memory_order_acq_rel);
  return *g_active.load(std::memory_order_acquire);
}

}  // namespace simdact
