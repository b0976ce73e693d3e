#include "tests/util.hpp"

namespace simdact_test {
namespace {
// Runs during static initialisation, before any test can call simdact_set_isa().
const simdact_isa g_initial = simdact_active_isa();
}  // namespace

simdact_isa initial_isa() { return g_initial; }

}  // namespace simdact_test
