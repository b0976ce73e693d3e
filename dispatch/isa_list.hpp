// The ISAs of dispatch/isa_list.inc as C++ data, for the dispatcher, the tests and the benchmarks.
#pragma once

#include <algorithm>
#include <cstring>

#include "simdact/simdact.h"

namespace simdact {

struct isa_info {
  simdact_isa isa;
  const char* name;
  int priority;  // the dispatcher picks the runnable ISA with the highest
};

// Every ISA simdact knows, compiled in or not, in simdact_isa order.
inline constexpr isa_info kIsaInfo[] = {
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) {value, #name, priority},
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
};

inline constexpr simdact_isa kIsas[] = {
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) value,
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
};

// The names joined by ", " in the list's order, for messages.
inline constexpr char kIsaNames[] =
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) ", " #name
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
    ;
inline const char* isa_names() { return kIsaNames + 2; }

// Whether v is the value of an ISA of the list; the smallest value above them all (for tests of values
// outside the enum: they must not name an ISA that a later row adds).
constexpr bool is_isa_value(long long v) {
  for (const isa_info& i : kIsaInfo)
    if (static_cast<long long>(i.isa) == v) return true;
  return false;
}
constexpr int first_unused_isa_value() {
  int m = 0;
  for (const isa_info& i : kIsaInfo) m = std::max(m, static_cast<int>(i.isa) + 1);
  return m;
}

inline const isa_info* find_isa(simdact_isa isa) {
  for (const isa_info& i : kIsaInfo)
    if (i.isa == isa) return &i;
  return nullptr;
}

inline const isa_info* find_isa(const char* name) {
  for (const isa_info& i : kIsaInfo)
    if (std::strcmp(i.name, name) == 0) return &i;
  return nullptr;
}

// The listed ISA with the highest priority for which ok(isa) holds, else SIMDACT_ISA_SCALAR.
template <class Pred>
simdact_isa best_isa(Pred ok) {
  const isa_info* best = nullptr;
  for (const isa_info& i : kIsaInfo)
    if (ok(i.isa) && (best == nullptr || i.priority > best->priority)) best = &i;
  return best != nullptr ? best->isa : SIMDACT_ISA_SCALAR;
}

}  // namespace simdact
