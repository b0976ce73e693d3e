#include "dispatch/registry.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "dispatch/cpu_features.hpp"
#include "dispatch/isa_list.hpp"

namespace simdact {

std::atomic<const kernel_table*> g_active{nullptr};

namespace {

// The tables compiled into this build (generated from dispatch/isa_list.inc by CMake).
const kernel_table* compiled_table(simdact_isa isa) {
  if (isa == SIMDACT_ISA_SCALAR) return &scalar_table;
#define SIMDACT_COMPILED_ISA(name, value) \
  if (isa == value) return &name##_table;
#include "simdact_compiled_isas.inc"
#undef SIMDACT_COMPILED_ISA
  return nullptr;
}

bool cpu_can_run(simdact_isa isa) {
  static const cpu_features f = detect_cpu_features();
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) \
  if (isa == value) return f.feature;
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
  return false;
}

const kernel_table* choose() {
  const kernel_table* best = runnable_table(best_isa([](simdact_isa isa) { return runnable_table(isa) != nullptr; }));
  const char* want = std::getenv("SIMDACT_ISA");
  if (want == nullptr || *want == '\0') return best;
  if (const isa_info* i = find_isa(want)) {
    if (const kernel_table* t = runnable_table(i->isa)) return t;
    std::fprintf(stderr, "simdact: SIMDACT_ISA=%s cannot run on this CPU or is not compiled in; using %s\n", want,
                 best->name);
    return best;
  }
  std::fprintf(stderr, "simdact: SIMDACT_ISA=%s is not an ISA name (%s); using %s\n", want, isa_names(), best->name);
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
