// The C entry points, one per row of include/simdact/kernels.inc: validate, then call the active table.
// Nothing here allocates, throws or prints; a rejected call writes nothing.
#include <cstdint>
#include <type_traits>

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

namespace simdact {
namespace {

// The checks of each kind, then the kernel K of the active table (K: a member of kernel_table).
// capi_fn_t<kind_fn>: the entry point's type, the kernel's parameters and a status.
template <class F>
struct capi_fn;
template <class... Args>
struct capi_fn<void (*)(Args...)> {
  using type = simdact_status (*)(Args...);
};
template <class F>
using capi_fn_t = typename capi_fn<F>::type;

template <unary_fn kernel_table::*K>
simdact_status run(const float* x, float* y, size_t n) {
  bool done;
  const simdact_status s = check1(x, y, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(x, y, n);
  return s;
}
template <unary_p_fn kernel_table::*K>
simdact_status run(const float* x, float* y, size_t n, float p) {
  bool done;
  const simdact_status s = check1(x, y, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(x, y, n, p);
  return s;
}
template <binary_fn kernel_table::*K>
simdact_status run(const float* a, const float* b, float* out, size_t n) {
  bool done;
  const simdact_status s = check2(a, b, out, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(a, b, out, n);
  return s;
}
template <binary_p_fn kernel_table::*K>
simdact_status run(const float* a, const float* b, float* out, size_t n, float p) {
  bool done;
  const simdact_status s = check2(a, b, out, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(a, b, out, n, p);
  return s;
}
template <rows_fn kernel_table::*K>
simdact_status run(const float* x, float* y, size_t rows, size_t cols) {
  size_t n;
  if (!rows_to_n(rows, cols, n)) return SIMDACT_ERR_INVALID_ARGUMENT;
  bool done;
  const simdact_status s = check1(x, y, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(x, y, rows, cols);
  return s;
}
template <rows_binary_fn kernel_table::*K>
simdact_status run(const float* a, const float* b, float* out, size_t rows, size_t cols) {
  size_t n;
  if (!rows_to_n(rows, cols, n)) return SIMDACT_ERR_INVALID_ARGUMENT;
  bool done;
  const simdact_status s = check2(a, b, out, n, done);
  if (s == SIMDACT_OK && !done) (active().*K)(a, b, out, rows, cols);
  return s;
}
template <rows_strided_fn kernel_table::*K>
simdact_status run(const float* x, size_t ldx, float* y, size_t ldy, size_t rows, size_t cols) {
  bool done;
  const simdact_status s = check_strided(x, ldx, y, ldy, rows, cols, done);
  if (s == SIMDACT_OK && !done) (active().*K)(x, ldx, y, ldy, rows, cols);
  return s;
}

}  // namespace
}  // namespace simdact

extern "C" {

// One entry point per row of include/simdact/kernels.inc, written out so that grep finds each. The static_asserts
// at the end check each row's signature against its kind; a row whose entry point is missing here
// fails to link (tests/, abi_exported_symbols), an entry point without a row fails to compile.
simdact_status simdact_sigmoid_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::sigmoid>(x, y, n);
}
simdact_status simdact_sigmoid_fast_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::sigmoid_fast>(x, y, n);
}
simdact_status simdact_sigmoid_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::sigmoid_backward>(a, b, out, n);
}
simdact_status simdact_tanh_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::tanh>(x, y, n);
}
simdact_status simdact_tanh_fast_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::tanh_fast>(x, y, n);
}
simdact_status simdact_tanh_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::tanh_backward>(a, b, out, n);
}
simdact_status simdact_relu_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::relu>(x, y, n);
}
simdact_status simdact_relu_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::relu_backward>(a, b, out, n);
}
simdact_status simdact_leaky_relu_f32(const float* x, float* y, size_t n, float p) {
  return simdact::run<&simdact::kernel_table::leaky_relu>(x, y, n, p);
}
simdact_status simdact_leaky_relu_backward_f32(const float* a, const float* b, float* out, size_t n, float p) {
  return simdact::run<&simdact::kernel_table::leaky_relu_backward>(a, b, out, n, p);
}
simdact_status simdact_softmax_f32(const float* x, float* y, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::softmax>(x, y, rows, cols);
}
simdact_status simdact_softmax_backward_f32(const float* a, const float* b, float* out, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::softmax_backward>(a, b, out, rows, cols);
}
simdact_status simdact_log_softmax_f32(const float* x, float* y, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::log_softmax>(x, y, rows, cols);
}
simdact_status simdact_log_softmax_backward_f32(const float* a, const float* b, float* out, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::log_softmax_backward>(a, b, out, rows, cols);
}
simdact_status simdact_gelu_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::gelu>(x, y, n);
}
simdact_status simdact_gelu_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::gelu_backward>(a, b, out, n);
}
simdact_status simdact_gelu_tanh_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::gelu_tanh>(x, y, n);
}
simdact_status simdact_gelu_tanh_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::gelu_tanh_backward>(a, b, out, n);
}
simdact_status simdact_silu_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::silu>(x, y, n);
}
simdact_status simdact_silu_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::silu_backward>(a, b, out, n);
}
simdact_status simdact_softplus_f32(const float* x, float* y, size_t n) {
  return simdact::run<&simdact::kernel_table::softplus>(x, y, n);
}
simdact_status simdact_softplus_backward_f32(const float* a, const float* b, float* out, size_t n) {
  return simdact::run<&simdact::kernel_table::softplus_backward>(a, b, out, n);
}
simdact_status simdact_elu_f32(const float* x, float* y, size_t n, float p) {
  return simdact::run<&simdact::kernel_table::elu>(x, y, n, p);
}
simdact_status simdact_elu_backward_f32(const float* a, const float* b, float* out, size_t n, float p) {
  return simdact::run<&simdact::kernel_table::elu_backward>(a, b, out, n, p);
}
simdact_status simdact_softmax_strided_f32(const float* x, size_t ldx, float* y, size_t ldy, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::softmax_strided>(x, ldx, y, ldy, rows, cols);
}
simdact_status simdact_log_softmax_strided_f32(const float* x, size_t ldx, float* y, size_t ldy, size_t rows, size_t cols) {
  return simdact::run<&simdact::kernel_table::log_softmax_strided>(x, ldx, y, ldy, rows, cols);
}


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

// Every row of include/simdact/kernels.inc has its entry point, of its kind's signature (plus the status).
#define SIMDACT_KERNEL(op, kind, ...)                                                                     \
  static_assert(std::is_same<decltype(&simdact_##op##_f32),                                               \
                             simdact::capi_fn_t<simdact::kind##_fn>>::value,                              \
                "simdact_" #op "_f32: the entry point of its include/simdact/kernels.inc row");
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
