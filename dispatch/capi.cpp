// The C entry points, expanded from kernels/list.inc: validate, then call the active table.
// Nothing here allocates, throws or prints; a rejected call writes nothing.
#include <cstdint>

#include "dispatch/isa_list.hpp"
#include "dispatch/registry.hpp"
#include "simdact/simdact.h"

#ifndef SIMDACT_VERSION_STRING
#error "SIMDACT_VERSION_STRING is set by CMake from the project version"
#endif

namespace simdact {
namespace {

constexpr std::size_t kMaxElements = SIZE_MAX / sizeof(float);

bool bad_range(const void* p, std::size_t n) {
  if (n > kMaxElements) return true;  // its byte size would not fit in size_t
  const std::uintptr_t a = reinterpret_cast<std::uintptr_t>(p);
  return p == nullptr || a + n * sizeof(float) < a;  // NULL, or wrapping the address space
}

// True when an input shares some but not all of its bytes with the output. Exact aliasing is in place.
bool partial_overlap(const float* in, const float* out, std::size_t n) {
  if (in == out) return false;
  const std::uintptr_t a = reinterpret_cast<std::uintptr_t>(in), b = reinterpret_cast<std::uintptr_t>(out);
  const std::size_t bytes = n * sizeof(float);
  return a < b + bytes && b < a + bytes;
}

// SIMDACT_OK: go ahead; otherwise the status to return (OK with nothing to do is `done`).
simdact_status check1(const float* in, const float* out, std::size_t n, bool& done) {
  done = n == 0;
  if (done) return SIMDACT_OK;
  if (bad_range(in, n) || bad_range(out, n) || partial_overlap(in, out, n)) return SIMDACT_ERR_INVALID_ARGUMENT;
  return SIMDACT_OK;
}

simdact_status check2(const float* a, const float* b, const float* out, std::size_t n, bool& done) {
  const simdact_status s = check1(a, out, n, done);
  if (s != SIMDACT_OK || done) return s;
  if (bad_range(b, n) || partial_overlap(b, out, n)) return SIMDACT_ERR_INVALID_ARGUMENT;
  return SIMDACT_OK;
}

bool rows_to_n(std::size_t rows, std::size_t cols, std::size_t& n) {
  if (cols != 0 && rows > SIZE_MAX / cols) return false;
  n = rows * cols;
  return true;
}

// The strided row kinds: x row r is x[r*ldx, r*ldx + cols), the same for y. ld >= cols; the spans
// from the first to the last element must be valid ranges; in place is x == y with ldx == ldy; else
// no element may be shared: exactly for ldx == ldy (the rows of y shifted by d floats against those of
// x, d = q*ld + s, share an element iff some row pair lines up with overlapping columns), by the spans
// for different lds (conservative: disjoint spans). Misaligned shifts (not a multiple of a float) count
// as overlap when the spans meet.
simdact_status check_strided(const float* x, std::size_t ldx, const float* y, std::size_t ldy, std::size_t rows,
                             std::size_t cols, bool& done) {
  done = false;
  if (ldx < cols || ldy < cols) return SIMDACT_ERR_INVALID_ARGUMENT;
  if (rows == 0 || cols == 0) {
    done = true;
    return SIMDACT_OK;
  }
  if (cols > kMaxElements) return SIMDACT_ERR_INVALID_ARGUMENT;
  std::size_t span_x, span_y;  // (rows - 1) * ld + cols, without overflow
  if (!rows_to_n(rows - 1, ldx, span_x) || span_x > kMaxElements - cols) return SIMDACT_ERR_INVALID_ARGUMENT;
  if (!rows_to_n(rows - 1, ldy, span_y) || span_y > kMaxElements - cols) return SIMDACT_ERR_INVALID_ARGUMENT;
  span_x += cols;
  span_y += cols;
  if (bad_range(x, span_x) || bad_range(y, span_y)) return SIMDACT_ERR_INVALID_ARGUMENT;
  if (x == y && ldx == ldy) return SIMDACT_OK;  // in place
  const std::uintptr_t a = reinterpret_cast<std::uintptr_t>(x), b = reinterpret_cast<std::uintptr_t>(y);
  const bool spans_meet = a < b + span_y * sizeof(float) && b < a + span_x * sizeof(float);
  if (!spans_meet) return SIMDACT_OK;
  if (ldx != ldy || (a > b ? a - b : b - a) % sizeof(float) != 0) return SIMDACT_ERR_INVALID_ARGUMENT;
  // Same ld, shifted by d > 0 floats (the later one against the earlier): d = q*ld + s, 0 <= s < ld.
  // Column c of row r in the later block is element r*ld + c + d of the earlier's frame: it lands in
  // row r + q at column c + s (if c + s < ld) or row r + q + 1 at column c + s - ld.
  const std::size_t ld = ldx, d = (a > b ? a - b : b - a) / sizeof(float);
  const std::size_t q = d / ld, s = d % ld;
  const bool same_row = q < rows && s < cols;                            // c + s < cols for c = 0
  const bool next_row = q + 1 < rows && s + cols > ld;                    // c + s - ld >= 0 for c = cols - 1
  return same_row || next_row ? SIMDACT_ERR_INVALID_ARGUMENT : SIMDACT_OK;
}

}  // namespace
}  // namespace simdact

using simdact::active;

#define SIMDACT_CAPI_unary(op)                                                                   \
  simdact_status simdact_##op##_f32(const float* x, float* y, size_t n) {                        \
    bool done;                                                                                   \
    const simdact_status s = simdact::check1(x, y, n, done);                                     \
    if (s == SIMDACT_OK && !done) active().op(x, y, n);                                          \
    return s;                                                                                    \
  }
#define SIMDACT_CAPI_unary_p(op)                                                                 \
  simdact_status simdact_##op##_f32(const float* x, float* y, size_t n, float p) {               \
    bool done;                                                                                   \
    const simdact_status s = simdact::check1(x, y, n, done);                                     \
    if (s == SIMDACT_OK && !done) active().op(x, y, n, p);                                       \
    return s;                                                                                    \
  }
#define SIMDACT_CAPI_binary(op)                                                                  \
  simdact_status simdact_##op##_f32(const float* a, const float* b, float* out, size_t n) {      \
    bool done;                                                                                   \
    const simdact_status s = simdact::check2(a, b, out, n, done);                                \
    if (s == SIMDACT_OK && !done) active().op(a, b, out, n);                                     \
    return s;                                                                                    \
  }
#define SIMDACT_CAPI_binary_p(op)                                                                \
  simdact_status simdact_##op##_f32(const float* a, const float* b, float* out, size_t n, float p) { \
    bool done;                                                                                   \
    const simdact_status s = simdact::check2(a, b, out, n, done);                                \
    if (s == SIMDACT_OK && !done) active().op(a, b, out, n, p);                                  \
    return s;                                                                                    \
  }
#define SIMDACT_CAPI_rows(op)                                                                    \
  simdact_status simdact_##op##_f32(const float* x, float* y, size_t rows, size_t cols) {        \
    size_t n;                                                                                    \
    if (!simdact::rows_to_n(rows, cols, n)) return SIMDACT_ERR_INVALID_ARGUMENT;                 \
    bool done;                                                                                   \
    const simdact_status s = simdact::check1(x, y, n, done);                                     \
    if (s == SIMDACT_OK && !done) active().op(x, y, rows, cols);                                 \
    return s;                                                                                    \
  }
#define SIMDACT_CAPI_rows_binary(op)                                                             \
  simdact_status simdact_##op##_f32(const float* a, const float* b, float* out, size_t rows, size_t cols) { \
    size_t n;                                                                                    \
    if (!simdact::rows_to_n(rows, cols, n)) return SIMDACT_ERR_INVALID_ARGUMENT;                 \
    bool done;                                                                                   \
    const simdact_status s = simdact::check2(a, b, out, n, done);                                \
    if (s == SIMDACT_OK && !done) active().op(a, b, out, rows, cols);                            \
    return s;                                                                                    \
  }

#define SIMDACT_CAPI_rows_strided(op)                                                            \
  simdact_status simdact_##op##_f32(const float* x, size_t ldx, float* y, size_t ldy, size_t rows, size_t cols) { \
    bool done;                                                                                   \
    const simdact_status s = simdact::check_strided(x, ldx, y, ldy, rows, cols, done);           \
    if (s == SIMDACT_OK && !done) active().op(x, ldx, y, ldy, rows, cols);                       \
    return s;                                                                                    \
  }

extern "C" {

#define SIMDACT_KERNEL(op, kind, ...) SIMDACT_CAPI_##kind(op)
#include "kernels/list.inc"
#undef SIMDACT_KERNEL

simdact_isa simdact_active_isa(void) { return active().isa; }

const char* simdact_isa_name(simdact_isa isa) {
  const simdact::isa_info* i = simdact::find_isa(isa);
  return i != nullptr ? i->name : "unknown";
}

int simdact_isa_supported(simdact_isa isa) { return simdact::runnable_table(isa) != nullptr ? 1 : 0; }

simdact_status simdact_set_isa(simdact_isa isa) {
  const simdact::kernel_table* t = simdact::runnable_table(isa);
  if (t == nullptr) return SIMDACT_ERR_UNSUPPORTED_ISA;
  simdact::g_active.store(t, std::memory_order_release);
  return SIMDACT_OK;
}

const char* simdact_version(void) { return SIMDACT_VERSION_STRING; }

}  // extern "C"
