// simdact.hpp — a thin, header-only C++17 layer over the C ABI of simdact.h.
//
// Nothing here is compiled into libsimdact: every function below is an inline wrapper that calls the
// C function of the same name (simdact::sigmoid -> simdact_sigmoid_f32) and turns its status into an
// exception or a std::error_code. Same contract as simdact.h (in place, n == 0, NULL, overlap ...).
// No xsimd or other dependency: the C++17 standard library and simdact.h only.
//
// Error handling — two flavours of every call:
//
//   simdact::sigmoid(x, y, n);                        // throws simdact::error on a non-OK status
//   std::error_code ec = simdact::sigmoid(x, y, n, std::nothrow);   // never throws, [[nodiscard]]
//
//   Throwing is the default because in C++ a non-OK status is a programming error (a NULL pointer with
//   n > 0, partially overlapping buffers, containers of different sizes): the caller has nothing to
//   retry, and an exception cannot be ignored by accident. simdact::error derives from
//   std::system_error (hence std::runtime_error); status() gives the simdact_status and code() a
//   std::error_code in simdact::error_category(), whose conditions compare equal to
//   std::errc::invalid_argument and std::errc::not_supported (unsupported ISA).
//   The std::nothrow overloads (the tag of `new (std::nothrow)`) are noexcept and return that
//   std::error_code; it is false (value 0) on success. Code that prefers raw statuses calls the C
//   functions, which are all visible here.
//
// Overloads generated for each kernel, by its kind (the C signature, see include/simdact/kernels.inc):
//
//   kind         pointer + size                        contiguous containers
//   unary        op(x, y, n)                           op(x, y)
//   unary_p      op(x, y, n, p)                        op(x, y, p)
//   binary       op(a, b, out, n)                      op(a, b, out)
//   binary_p     op(a, b, out, n, p)                   op(a, b, out, p)
//   rows         op(x, y, rows, cols)                  op(x, y, cols)        op(x, y)       (one row)
//   rows_binary  op(a, b, out, rows, cols)             op(a, b, out, cols)   op(a, b, out)  (one row)
//   rows_strided op(x, ldx, y, ldy, rows, cols)        op(x, ldx, y, ldy, rows, cols)
//
//   each also with a trailing std::nothrow argument. For leaky_relu and leaky_relu_backward the slope
//   p may be omitted in the throwing overloads (simdact::default_leaky_slope = 0.01, as in the seed),
//   for elu and elu_backward the alpha (simdact::default_elu_alpha = 1.0, as in PyTorch).
//   rows_strided: row r is x[r*ldx, r*ldx + cols) and y[r*ldy, r*ldy + cols) (ld >= cols, else invalid
//   argument); the padding between rows is never read or written. Its container form takes rows and
//   cols explicitly and checks that each container holds (rows - 1) * ld + cols floats at least (the
//   last row needs no padding after it).
//   A container is anything std::data() and std::size() accept with float elements: std::vector<float>,
//   std::array<float, N>, float[N], std::span<float>, any span-like type with data() and size().
//   Inputs may be const; outputs need a non-const float* data() (a span-like output may be a temporary).
//   All containers of one call (rows_strided aside) must have the same size (else invalid argument,
//   nothing written); with `cols`, the size must be a multiple of cols (rows = size / cols; cols == 0
//   needs an empty input).
//
// Kernels: one per row of simdact/kernels.inc (the list of the C ABI's kernels with each one's kind,
// accuracy contract and, for a backward op, which forward tensor it takes: the output for sigmoid, tanh,
// softmax and log_softmax, the input for the others); the overloads below are expanded from its rows.
// simdact::check(simdact_xxx_f32(...), "simdact_xxx_f32") gives the throwing behaviour for any C call.
//
// ISA selection: isa_supported(i), active_isa(), isa_name(i), set_isa(i) (throws on an unsupported ISA,
// or set_isa(i, std::nothrow)), version(). simdact::scoped_isa switches every thread to an ISA for its
// lifetime and restores the previous one (for tests and benchmarks; it is process-wide, not per thread):
//
//   for (simdact::isa i : {SIMDACT_ISA_SCALAR, SIMDACT_ISA_AVX2, SIMDACT_ISA_AVX512, SIMDACT_ISA_NEON})
//     if (simdact::isa_supported(i)) { simdact::scoped_isa use(i); run_checks(); }
#ifndef SIMDACT_SIMDACT_HPP
#define SIMDACT_SIMDACT_HPP

#include <cstddef>
#include <iterator>  // std::data, std::size
#include <new>       // std::nothrow_t
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "simdact/simdact.h"

namespace simdact {

using status = ::simdact_status;
using isa = ::simdact_isa;

inline constexpr float default_leaky_slope = 0.01f;
inline constexpr float default_elu_alpha = 1.0f;

// ---------------------------------------------------------------------------------------------------
// Errors

namespace detail {
class error_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "simdact"; }
  std::string message(int c) const override {
    switch (c) {
      case SIMDACT_OK:
        return "success";
      case SIMDACT_ERR_INVALID_ARGUMENT:
        return "invalid argument (NULL pointer with n > 0, partially overlapping buffers, sizes that "
               "differ or overflow)";
      case SIMDACT_ERR_UNSUPPORTED_ISA:
        return "ISA not compiled in or not runnable on this CPU";
    }
    return "unknown simdact status " + std::to_string(c);
  }
  std::error_condition default_error_condition(int c) const noexcept override {
    switch (c) {
      case SIMDACT_ERR_INVALID_ARGUMENT:
        return std::errc::invalid_argument;
      case SIMDACT_ERR_UNSUPPORTED_ISA:
        return std::errc::not_supported;
      default:
        return std::error_condition(c, *this);
    }
  }
};
}  // namespace detail

// The category of simdact statuses. One instance per program (an inline function's static).
inline const std::error_category& error_category() noexcept {
  static const detail::error_category_impl category;
  return category;
}

// SIMDACT_OK gives an empty (false) error_code.
inline std::error_code make_error_code(status s) noexcept {
  return std::error_code(static_cast<int>(s), error_category());
}

// Thrown by every throwing overload on a non-OK status. what() is "<function>: <message>".
class error : public std::system_error {
 public:
  error(::simdact_status s, const char* where) : std::system_error(make_error_code(s), where), status_(s) {}
  ::simdact_status status() const noexcept { return status_; }

 private:
  ::simdact_status status_;
};

// Throws simdact::error(s, where) unless s is SIMDACT_OK. Usable on any C call.
inline void check(status s, const char* where) {
  if (s != SIMDACT_OK) throw error(s, where);
}

// ---------------------------------------------------------------------------------------------------
// ISA selection and version

inline isa active_isa() noexcept { return ::simdact_active_isa(); }
inline const char* isa_name(isa i) noexcept { return ::simdact_isa_name(i); }
inline bool isa_supported(isa i) noexcept { return ::simdact_isa_supported(i) != 0; }
inline const char* version() noexcept { return ::simdact_version(); }
inline void set_isa(isa i) { check(::simdact_set_isa(i), "simdact::set_isa"); }
[[nodiscard]] inline std::error_code set_isa(isa i, std::nothrow_t) noexcept {
  return make_error_code(::simdact_set_isa(i));
}

// Switches every thread to `i` (throws simdact::error with SIMDACT_ERR_UNSUPPORTED_ISA if it cannot
// run here, leaving the active ISA unchanged) and switches back to the previously active ISA on
// destruction. Not thread-local: meant for tests and benchmarks, one at a time.
class scoped_isa {
 public:
  explicit scoped_isa(isa i) : previous_(active_isa()) { set_isa(i); }
  ~scoped_isa() { (void)::simdact_set_isa(previous_); }  // it was active, so it is runnable
  scoped_isa(const scoped_isa&) = delete;
  scoped_isa& operator=(const scoped_isa&) = delete;
  isa previous() const noexcept { return previous_; }

 private:
  isa previous_;
};

// ---------------------------------------------------------------------------------------------------
// Kernels

namespace detail {

template <class C>
using data_ptr_t = decltype(std::data(std::declval<C&>()));
template <class C>
using size_ret_t = decltype(std::size(std::declval<C&>()));

template <class C, class = void>
struct is_float_range : std::false_type {};
template <class C>
struct is_float_range<C, std::void_t<data_ptr_t<const C>, size_ret_t<const C>>>
    : std::bool_constant<std::is_same_v<std::remove_cv_t<std::remove_pointer_t<data_ptr_t<const C>>>, float> &&
                         std::is_pointer_v<data_ptr_t<const C>>> {};

// An output: float* (not const) from data() on the object as passed (lvalue or temporary span).
template <class C, class = void>
struct is_mutable_float_range : std::false_type {};
template <class C>
struct is_mutable_float_range<C, std::void_t<data_ptr_t<C>, size_ret_t<C>>>
    : std::is_same<data_ptr_t<C>, float*> {};

template <class... In>
inline constexpr bool all_inputs_v = (is_float_range<std::remove_reference_t<In>>::value && ...);
template <class Out>
inline constexpr bool output_v = is_mutable_float_range<std::remove_reference_t<Out>>::value;

template <class In1, class Out>
using enable_1 = std::enable_if_t<all_inputs_v<In1> && output_v<Out>, int>;
template <class In1, class In2, class Out>
using enable_2 = std::enable_if_t<all_inputs_v<In1, In2> && output_v<Out>, int>;

template <class C>
std::size_t size_of(const C& c) noexcept {
  return static_cast<std::size_t>(std::size(c));
}

// rows = total / cols; false if total is not a multiple of cols.
inline bool rows_of(std::size_t total, std::size_t cols, std::size_t& rows) noexcept {
  if (cols == 0) {
    rows = 0;
    return total == 0;
  }
  rows = total / cols;
  return rows * cols == total;
}

using unary_c = status (*)(const float*, float*, std::size_t);
using unary_p_c = status (*)(const float*, float*, std::size_t, float);
using binary_c = status (*)(const float*, const float*, float*, std::size_t);
using binary_p_c = status (*)(const float*, const float*, float*, std::size_t, float);
using rows_c = status (*)(const float*, float*, std::size_t, std::size_t);
using rows_binary_c = status (*)(const float*, const float*, float*, std::size_t, std::size_t);
using rows_strided_c = status (*)(const float*, std::size_t, float*, std::size_t, std::size_t, std::size_t);

// A strided container of `size` floats holds rows x cols with leading dimension ld: (rows - 1) * ld +
// cols <= size, without overflow. ld < cols is left to the C call (invalid argument there).
inline bool strided_fits(std::size_t size, std::size_t ld, std::size_t rows, std::size_t cols) noexcept {
  if (rows == 0 || cols == 0 || ld < cols) return true;
  return cols <= size && rows - 1 <= (size - cols) / ld;
}

template <class X, class Y>
status call(unary_c f, const X& x, Y& y) noexcept {
  const std::size_t n = size_of(x);
  if (size_of(y) != n) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(x), std::data(y), n);
}
template <class X, class Y>
status call(unary_p_c f, const X& x, Y& y, float p) noexcept {
  const std::size_t n = size_of(x);
  if (size_of(y) != n) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(x), std::data(y), n, p);
}
template <class A, class B, class Out>
status call(binary_c f, const A& a, const B& b, Out& out) noexcept {
  const std::size_t n = size_of(a);
  if (size_of(b) != n || size_of(out) != n) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(a), std::data(b), std::data(out), n);
}
template <class A, class B, class Out>
status call(binary_p_c f, const A& a, const B& b, Out& out, float p) noexcept {
  const std::size_t n = size_of(a);
  if (size_of(b) != n || size_of(out) != n) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(a), std::data(b), std::data(out), n, p);
}
template <class X, class Y>
status call(rows_c f, const X& x, Y& y, std::size_t cols) noexcept {
  const std::size_t n = size_of(x);
  std::size_t rows = 0;
  if (size_of(y) != n || !rows_of(n, cols, rows)) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(x), std::data(y), rows, cols);
}
template <class A, class B, class Out>
status call(rows_binary_c f, const A& a, const B& b, Out& out, std::size_t cols) noexcept {
  const std::size_t n = size_of(a);
  std::size_t rows = 0;
  if (size_of(b) != n || size_of(out) != n || !rows_of(n, cols, rows)) return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(a), std::data(b), std::data(out), rows, cols);
}

template <class X, class Y>
status call(rows_strided_c f, const X& x, std::size_t ldx, Y& y, std::size_t ldy, std::size_t rows,
            std::size_t cols) noexcept {
  if (!strided_fits(size_of(x), ldx, rows, cols) || !strided_fits(size_of(y), ldy, rows, cols))
    return SIMDACT_ERR_INVALID_ARGUMENT;
  return f(std::data(x), ldx, std::data(y), ldy, rows, cols);
}

}  // namespace detail

// The overloads of one kernel, by kind (table at the top of this file). SIMDACT_HPP_NAME is the string
// used in exception messages: "simdact::<op>".
#define SIMDACT_HPP_NAME(op) "simdact::" #op

#define SIMDACT_HPP_unary(op, ...)                                                                     \
  inline void op(const float* x, float* y, std::size_t n) {                                            \
    check(::simdact_##op##_f32(x, y, n), SIMDACT_HPP_NAME(op));                                        \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* x, float* y, std::size_t n, std::nothrow_t) noexcept { \
    return make_error_code(::simdact_##op##_f32(x, y, n));                                             \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  void op(const X& x, Y&& y) {                                                                         \
    check(detail::call(&::simdact_##op##_f32, x, y), SIMDACT_HPP_NAME(op));                            \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  [[nodiscard]] std::error_code op(const X& x, Y&& y, std::nothrow_t) noexcept {                       \
    return make_error_code(detail::call(&::simdact_##op##_f32, x, y));                                 \
  }

#define SIMDACT_HPP_unary_p(op, default_p)                                                             \
  inline void op(const float* x, float* y, std::size_t n, float p = default_p) {                         \
    check(::simdact_##op##_f32(x, y, n, p), SIMDACT_HPP_NAME(op));                                     \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* x, float* y, std::size_t n, float p,            \
                                          std::nothrow_t) noexcept {                                   \
    return make_error_code(::simdact_##op##_f32(x, y, n, p));                                          \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  void op(const X& x, Y&& y, float p = default_p) {                                                      \
    check(detail::call(&::simdact_##op##_f32, x, y, p), SIMDACT_HPP_NAME(op));                         \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  [[nodiscard]] std::error_code op(const X& x, Y&& y, float p, std::nothrow_t) noexcept {              \
    return make_error_code(detail::call(&::simdact_##op##_f32, x, y, p));                              \
  }

#define SIMDACT_HPP_binary(op, ...)                                                                    \
  inline void op(const float* a, const float* b, float* out, std::size_t n) {                          \
    check(::simdact_##op##_f32(a, b, out, n), SIMDACT_HPP_NAME(op));                                   \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* a, const float* b, float* out, std::size_t n,   \
                                          std::nothrow_t) noexcept {                                   \
    return make_error_code(::simdact_##op##_f32(a, b, out, n));                                        \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  void op(const A& a, const B& b, Out&& out) {                                                         \
    check(detail::call(&::simdact_##op##_f32, a, b, out), SIMDACT_HPP_NAME(op));                       \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  [[nodiscard]] std::error_code op(const A& a, const B& b, Out&& out, std::nothrow_t) noexcept {       \
    return make_error_code(detail::call(&::simdact_##op##_f32, a, b, out));                            \
  }

#define SIMDACT_HPP_binary_p(op, default_p)                                                            \
  inline void op(const float* a, const float* b, float* out, std::size_t n, float p = default_p) {       \
    check(::simdact_##op##_f32(a, b, out, n, p), SIMDACT_HPP_NAME(op));                                \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* a, const float* b, float* out, std::size_t n,   \
                                          float p, std::nothrow_t) noexcept {                          \
    return make_error_code(::simdact_##op##_f32(a, b, out, n, p));                                     \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  void op(const A& a, const B& b, Out&& out, float p = default_p) {                                      \
    check(detail::call(&::simdact_##op##_f32, a, b, out, p), SIMDACT_HPP_NAME(op));                    \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  [[nodiscard]] std::error_code op(const A& a, const B& b, Out&& out, float p, std::nothrow_t) noexcept { \
    return make_error_code(detail::call(&::simdact_##op##_f32, a, b, out, p));                         \
  }

#define SIMDACT_HPP_rows(op, ...)                                                                      \
  inline void op(const float* x, float* y, std::size_t rows, std::size_t cols) {                       \
    check(::simdact_##op##_f32(x, y, rows, cols), SIMDACT_HPP_NAME(op));                               \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* x, float* y, std::size_t rows, std::size_t cols, \
                                          std::nothrow_t) noexcept {                                   \
    return make_error_code(::simdact_##op##_f32(x, y, rows, cols));                                    \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  void op(const X& x, Y&& y, std::size_t cols) {                                                       \
    check(detail::call(&::simdact_##op##_f32, x, y, cols), SIMDACT_HPP_NAME(op));                      \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  [[nodiscard]] std::error_code op(const X& x, Y&& y, std::size_t cols, std::nothrow_t) noexcept {     \
    return make_error_code(detail::call(&::simdact_##op##_f32, x, y, cols));                           \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  void op(const X& x, Y&& y) {                                                                         \
    check(detail::call(&::simdact_##op##_f32, x, y, detail::size_of(x)), SIMDACT_HPP_NAME(op));        \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  [[nodiscard]] std::error_code op(const X& x, Y&& y, std::nothrow_t) noexcept {                       \
    return make_error_code(detail::call(&::simdact_##op##_f32, x, y, detail::size_of(x)));             \
  }

#define SIMDACT_HPP_rows_binary(op, ...)                                                               \
  inline void op(const float* a, const float* b, float* out, std::size_t rows, std::size_t cols) {     \
    check(::simdact_##op##_f32(a, b, out, rows, cols), SIMDACT_HPP_NAME(op));                          \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* a, const float* b, float* out, std::size_t rows, \
                                          std::size_t cols, std::nothrow_t) noexcept {                 \
    return make_error_code(::simdact_##op##_f32(a, b, out, rows, cols));                               \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  void op(const A& a, const B& b, Out&& out, std::size_t cols) {                                       \
    check(detail::call(&::simdact_##op##_f32, a, b, out, cols), SIMDACT_HPP_NAME(op));                 \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  [[nodiscard]] std::error_code op(const A& a, const B& b, Out&& out, std::size_t cols,                \
                                   std::nothrow_t) noexcept {                                          \
    return make_error_code(detail::call(&::simdact_##op##_f32, a, b, out, cols));                      \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  void op(const A& a, const B& b, Out&& out) {                                                         \
    check(detail::call(&::simdact_##op##_f32, a, b, out, detail::size_of(a)), SIMDACT_HPP_NAME(op));   \
  }                                                                                                    \
  template <class A, class B, class Out, detail::enable_2<A, B, Out> = 0>                              \
  [[nodiscard]] std::error_code op(const A& a, const B& b, Out&& out, std::nothrow_t) noexcept {       \
    return make_error_code(detail::call(&::simdact_##op##_f32, a, b, out, detail::size_of(a)));        \
  }

#define SIMDACT_HPP_rows_strided(op, ...)                                                              \
  inline void op(const float* x, std::size_t ldx, float* y, std::size_t ldy, std::size_t rows,          \
                 std::size_t cols) {                                                                   \
    check(::simdact_##op##_f32(x, ldx, y, ldy, rows, cols), SIMDACT_HPP_NAME(op));                     \
  }                                                                                                    \
  [[nodiscard]] inline std::error_code op(const float* x, std::size_t ldx, float* y, std::size_t ldy,  \
                                          std::size_t rows, std::size_t cols, std::nothrow_t) noexcept { \
    return make_error_code(::simdact_##op##_f32(x, ldx, y, ldy, rows, cols));                          \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  void op(const X& x, std::size_t ldx, Y&& y, std::size_t ldy, std::size_t rows, std::size_t cols) {   \
    check(detail::call(&::simdact_##op##_f32, x, ldx, y, ldy, rows, cols), SIMDACT_HPP_NAME(op));      \
  }                                                                                                    \
  template <class X, class Y, detail::enable_1<X, Y> = 0>                                              \
  [[nodiscard]] std::error_code op(const X& x, std::size_t ldx, Y&& y, std::size_t ldy, std::size_t rows, \
                                   std::size_t cols, std::nothrow_t) noexcept {                        \
    return make_error_code(detail::call(&::simdact_##op##_f32, x, ldx, y, ldy, rows, cols));           \
  }

// The kernels wrapped here: one per row of simdact/kernels.inc, by its kind; the _p kinds' p defaults to
// the row's param (default_leaky_slope, default_elu_alpha: tests/test_cpp_api.cpp checks they agree).
#define SIMDACT_KERNEL(op, kind, bound, ref, first, param) SIMDACT_HPP_##kind(op, param)
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL

#undef SIMDACT_HPP_unary
#undef SIMDACT_HPP_unary_p
#undef SIMDACT_HPP_binary
#undef SIMDACT_HPP_binary_p
#undef SIMDACT_HPP_rows
#undef SIMDACT_HPP_rows_binary
#undef SIMDACT_HPP_rows_strided
#undef SIMDACT_HPP_NAME

}  // namespace simdact

#endif  // SIMDACT_SIMDACT_HPP
