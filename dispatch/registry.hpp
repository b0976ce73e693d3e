// The active kernel table: chosen once on first use (detection, then SIMDACT_ISA), then read with one
// atomic load per call; no lock and no repeated detection on the call path.
#pragma once

#include <atomic>

#include "kernels/table.hpp"

namespace simdact {

extern std::atomic<const kernel_table*> g_active;

// Cold path of active(): detects the CPU, reads SIMDACT_ISA, publishes the choice.
const kernel_table& init_active();

inline const kernel_table& active() {
  const kernel_table* t = g_active.load(std::memory_order_acquire);
  return t != nullptr ? *t : init_active();
}

// The table for `isa` if it is compiled in and this CPU and OS can run it, else nullptr.
const kernel_table* runnable_table(simdact_isa isa);

}  // namespace simdact
