// The C++ layer (include/simdact/simdact.hpp): every kernel through every overload (pointer + size,
// containers, std::nothrow), on every ISA this machine runs, bit-identical to the C call; errors as
// simdact::error / std::error_code; the ISA functions and simdact::scoped_isa. Its own executable
// (simdact_cpp_api_tests): it needs nothing from the C-level test helpers.
#include "dispatch/isa_list.hpp"
#include "kernels/facts.hpp"
#include "simdact/simdact.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using simdact::kIsas;  // dispatch/isa_list.hpp
constexpr std::size_t kRows = 5, kCols = 7, kN = kRows * kCols;  // odd sizes: masked tails
const float kNaN = std::numeric_limits<float>::quiet_NaN();

// A minimal span-like type: data() and size() only.
struct float_span {
  float* p;
  std::size_t n;
  float* data() const { return p; }
  std::size_t size() const { return n; }
};
struct const_float_span {
  const float* p;
  std::size_t n;
  const float* data() const { return p; }
  std::size_t size() const { return n; }
};

std::vector<float> random_floats(std::size_t n, unsigned seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& f : v) f = u(rng);
  return v;
}

// Bitwise equality, so that NaN == NaN and -0 != +0.
::testing::AssertionResult same_bits(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "sizes " << got.size() << " and " << want.size();
  for (std::size_t i = 0; i < got.size(); ++i) {
    std::uint32_t a, b;
    std::memcpy(&a, &got[i], 4);
    std::memcpy(&b, &want[i], 4);
    if (a != b) return ::testing::AssertionFailure() << "element " << i << ": " << got[i] << " != " << want[i];
  }
  return ::testing::AssertionSuccess();
}

void poison(std::vector<float>& v) { std::fill(v.begin(), v.end(), kNaN); }

// Runs body once per ISA this build and CPU can run, switched with simdact::scoped_isa.
template <class F>
void for_each_isa(F&& body) {
  const simdact::isa start = simdact::active_isa();
  int ran = 0;
  for (simdact::isa i : kIsas) {
    if (!simdact::isa_supported(i)) continue;
    SCOPED_TRACE(std::string("isa ") + simdact::isa_name(i));
    {
      simdact::scoped_isa use(i);
      EXPECT_EQ(simdact::active_isa(), i);
      body();
    }
    EXPECT_EQ(simdact::active_isa(), start) << "scoped_isa did not restore the ISA";
    ++ran;
  }
  EXPECT_GE(ran, 1);
}

// Expects `call` to throw simdact::error with status s, naming `where` in what().
template <class F>
void expect_throws(F&& call, simdact::status s, const char* where) {
  try {
    call();
    ADD_FAILURE() << "no exception, expected status " << s;
  } catch (const simdact::error& e) {
    EXPECT_EQ(e.status(), s);
    EXPECT_EQ(e.code(), simdact::make_error_code(s));
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------------
// The overloads of each kind, checked against the C function (the reference `want`).
//
// unary: op(x, y, n), op(x, y, n, nothrow), op(cx, cy), op(cx, cy, nothrow); in place; errors.
#define CHECK_UNARY(op)                                                                             \
  for_each_isa([] {                                                                                 \
    const std::vector<float> x = random_floats(kN, 1, -6.0f, 6.0f);                                 \
    std::vector<float> want(kN), got(kN);                                                           \
    ASSERT_EQ(simdact_##op##_f32(x.data(), want.data(), kN), SIMDACT_OK);                           \
    simdact::op(x.data(), got.data(), kN);                                                          \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(x.data(), got.data(), kN, std::nothrow));                              \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(x, got);                                                                            \
    EXPECT_TRUE(same_bits(got, want)) << "vector";                                                  \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(const_float_span{x.data(), kN}, float_span{got.data(), kN}, std::nothrow)); \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, nothrow";                                      \
    std::array<float, kN> ax{}, ay{};                                                               \
    std::copy(x.begin(), x.end(), ax.begin());                                                      \
    simdact::op(ax, ay);                                                                            \
    EXPECT_TRUE(same_bits(std::vector<float>(ay.begin(), ay.end()), want)) << "std::array";         \
    float cx[kN], cy[kN];                                                                           \
    std::copy(x.begin(), x.end(), cx);                                                              \
    simdact::op(cx, cy);                                                                            \
    EXPECT_TRUE(same_bits(std::vector<float>(cy, cy + kN), want)) << "C array";                     \
    std::vector<float> inplace = x;                                                                 \
    simdact::op(inplace, inplace);                                                                  \
    EXPECT_TRUE(same_bits(inplace, want)) << "in place";                                            \
    poison(got);                                                                                    \
    const std::vector<float> untouched = got;                                                       \
    expect_throws([&] { simdact::op(nullptr, got.data(), kN); }, SIMDACT_ERR_INVALID_ARGUMENT,      \
                  "simdact::" #op);                                                                 \
    std::vector<float> shorter(kN - 1);                                                             \
    expect_throws([&] { simdact::op(x, shorter); }, SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); \
    const std::error_code ec = simdact::op(x, shorter, std::nothrow);                               \
    EXPECT_EQ(ec, std::errc::invalid_argument);                                                     \
    EXPECT_EQ(simdact::op(got.data(), got.data() + 1 /* partial overlap */, kN - 1, std::nothrow),  \
              std::errc::invalid_argument);                                                         \
    EXPECT_TRUE(same_bits(got, untouched)) << "a rejected call wrote";                              \
    simdact::op(nullptr, nullptr, 0); /* n == 0: OK, whatever the pointers */                       \
    std::vector<float> empty;                                                                       \
    simdact::op(empty, empty);                                                                      \
  })

// unary_p: as unary, with the parameter p (and the default slope when omitted).
#define CHECK_UNARY_P(op, p, default_p)                                                             \
  for_each_isa([] {                                                                                 \
    const std::vector<float> x = random_floats(kN, 2, -6.0f, 6.0f);                                 \
    std::vector<float> want(kN), want_default(kN), got(kN);                                         \
    ASSERT_EQ(simdact_##op##_f32(x.data(), want.data(), kN, p), SIMDACT_OK);                        \
    ASSERT_EQ(simdact_##op##_f32(x.data(), want_default.data(), kN, default_p), SIMDACT_OK);        \
    simdact::op(x.data(), got.data(), kN, p);                                                       \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    simdact::op(x.data(), got.data(), kN);                                                          \
    EXPECT_TRUE(same_bits(got, want_default)) << "pointer, default parameter";                      \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(x.data(), got.data(), kN, p, std::nothrow));                           \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(x, got, p);                                                                         \
    EXPECT_TRUE(same_bits(got, want)) << "vector";                                                  \
    poison(got);                                                                                    \
    simdact::op(x, got);                                                                            \
    EXPECT_TRUE(same_bits(got, want_default)) << "vector, default parameter";                       \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(const_float_span{x.data(), kN}, float_span{got.data(), kN}, p, std::nothrow)); \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, nothrow";                                      \
    std::vector<float> inplace = x;                                                                 \
    simdact::op(inplace, inplace, p);                                                               \
    EXPECT_TRUE(same_bits(inplace, want)) << "in place";                                            \
    expect_throws([&] { simdact::op(x.data(), nullptr, kN, p); }, SIMDACT_ERR_INVALID_ARGUMENT,     \
                  "simdact::" #op);                                                                 \
    std::vector<float> longer(kN + 1);                                                              \
    expect_throws([&] { simdact::op(x, longer, p); }, SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); \
    EXPECT_EQ(simdact::op(x, longer, p, std::nothrow), std::errc::invalid_argument);                \
  })

// binary: op(a, b, out, n), ..., containers; out may alias a or b exactly.
#define CHECK_BINARY(op)                                                                            \
  for_each_isa([] {                                                                                 \
    const std::vector<float> a = random_floats(kN, 3, -1.0f, 1.0f);                                 \
    const std::vector<float> b = random_floats(kN, 4, -3.0f, 3.0f);                                 \
    std::vector<float> want(kN), got(kN);                                                           \
    ASSERT_EQ(simdact_##op##_f32(a.data(), b.data(), want.data(), kN), SIMDACT_OK);                 \
    simdact::op(a.data(), b.data(), got.data(), kN);                                                \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a.data(), b.data(), got.data(), kN, std::nothrow));                    \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(a, b, got);                                                                         \
    EXPECT_TRUE(same_bits(got, want)) << "vector";                                                  \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a, const_float_span{b.data(), kN}, float_span{got.data(), kN}, std::nothrow)); \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, nothrow";                                      \
    std::vector<float> in_b = b;                                                                    \
    simdact::op(a, in_b, in_b);                                                                     \
    EXPECT_TRUE(same_bits(in_b, want)) << "in place (out == b)";                                    \
    std::vector<float> in_a = a;                                                                    \
    simdact::op(in_a, b, in_a);                                                                     \
    EXPECT_TRUE(same_bits(in_a, want)) << "in place (out == a)";                                    \
    expect_throws([&] { simdact::op(a.data(), nullptr, got.data(), kN); },                          \
                  SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op);                                   \
    std::vector<float> shorter(kN - 1);                                                             \
    expect_throws([&] { simdact::op(a, shorter, got); }, SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); \
    EXPECT_EQ(simdact::op(a, b, shorter, std::nothrow), std::errc::invalid_argument);               \
  })

#define CHECK_BINARY_P(op, p, default_p)                                                            \
  for_each_isa([] {                                                                                 \
    const std::vector<float> a = random_floats(kN, 5, -2.0f, 2.0f);                                 \
    const std::vector<float> b = random_floats(kN, 6, -3.0f, 3.0f);                                 \
    std::vector<float> want(kN), want_default(kN), got(kN);                                         \
    ASSERT_EQ(simdact_##op##_f32(a.data(), b.data(), want.data(), kN, p), SIMDACT_OK);              \
    ASSERT_EQ(simdact_##op##_f32(a.data(), b.data(), want_default.data(), kN, default_p), SIMDACT_OK); \
    simdact::op(a.data(), b.data(), got.data(), kN, p);                                             \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    simdact::op(a.data(), b.data(), got.data(), kN);                                                \
    EXPECT_TRUE(same_bits(got, want_default)) << "pointer, default parameter";                      \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a.data(), b.data(), got.data(), kN, p, std::nothrow));                 \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(a, b, got, p);                                                                      \
    EXPECT_TRUE(same_bits(got, want)) << "vector";                                                  \
    simdact::op(a, b, got);                                                                         \
    EXPECT_TRUE(same_bits(got, want_default)) << "vector, default parameter";                       \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a, b, float_span{got.data(), kN}, p, std::nothrow));                   \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, nothrow";                                      \
    std::vector<float> in_b = b;                                                                    \
    simdact::op(a, in_b, in_b, p);                                                                  \
    EXPECT_TRUE(same_bits(in_b, want)) << "in place";                                               \
    expect_throws([&] { simdact::op(nullptr, b.data(), got.data(), kN, p); },                       \
                  SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op);                                   \
    std::vector<float> shorter(kN - 1);                                                             \
    expect_throws([&] { simdact::op(shorter, b, got, p); }, SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); \
    EXPECT_EQ(simdact::op(a, b, shorter, p, std::nothrow), std::errc::invalid_argument);            \
  })

// rows: op(x, y, rows, cols), containers with cols, and one row (no cols).
#define CHECK_ROWS(op)                                                                              \
  for_each_isa([] {                                                                                 \
    const std::vector<float> x = random_floats(kN, 7, -8.0f, 8.0f);                                 \
    std::vector<float> want(kN), want_row(kN), got(kN);                                             \
    ASSERT_EQ(simdact_##op##_f32(x.data(), want.data(), kRows, kCols), SIMDACT_OK);                 \
    ASSERT_EQ(simdact_##op##_f32(x.data(), want_row.data(), 1, kN), SIMDACT_OK);                    \
    simdact::op(x.data(), got.data(), kRows, kCols);                                                \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(x.data(), got.data(), kRows, kCols, std::nothrow));                    \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(x, got, kCols);                                                                     \
    EXPECT_TRUE(same_bits(got, want)) << "vector, cols";                                            \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(x, float_span{got.data(), kN}, kCols, std::nothrow));                  \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, cols, nothrow";                                \
    poison(got);                                                                                    \
    simdact::op(x, got);                                                                            \
    EXPECT_TRUE(same_bits(got, want_row)) << "vector, one row";                                     \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(x, got, std::nothrow));                                                \
    EXPECT_TRUE(same_bits(got, want_row)) << "vector, one row, nothrow";                            \
    std::vector<float> inplace = x;                                                                 \
    simdact::op(inplace, inplace, kCols);                                                           \
    EXPECT_TRUE(same_bits(inplace, want)) << "in place";                                            \
    expect_throws([&] { simdact::op(x, got, kCols + 1); }, SIMDACT_ERR_INVALID_ARGUMENT,            \
                  "simdact::" #op); /* 35 is not a multiple of 8 */                                 \
    EXPECT_EQ(simdact::op(x, got, 0, std::nothrow), std::errc::invalid_argument);                   \
    expect_throws([&] { simdact::op(x.data(), nullptr, kRows, kCols); }, SIMDACT_ERR_INVALID_ARGUMENT, \
                  "simdact::" #op);                                                                 \
    const std::size_t huge = std::numeric_limits<std::size_t>::max();                               \
    EXPECT_EQ(simdact::op(x.data(), got.data(), huge, 2, std::nothrow), std::errc::invalid_argument); \
    std::vector<float> empty;                                                                       \
    simdact::op(empty, empty, 0);                                                                   \
    simdact::op(empty, empty);                                                                      \
  })

#define CHECK_ROWS_BINARY(op)                                                                       \
  for_each_isa([] {                                                                                 \
    std::vector<float> a(kN);                                                                       \
    ASSERT_EQ(simdact_softmax_f32(random_floats(kN, 8, -3.0f, 3.0f).data(), a.data(), kRows, kCols), \
              SIMDACT_OK); /* a softmax output */                                                   \
    const std::vector<float> b = random_floats(kN, 9, -2.0f, 2.0f);                                 \
    std::vector<float> want(kN), want_row(kN), got(kN);                                             \
    ASSERT_EQ(simdact_##op##_f32(a.data(), b.data(), want.data(), kRows, kCols), SIMDACT_OK);       \
    ASSERT_EQ(simdact_##op##_f32(a.data(), b.data(), want_row.data(), 1, kN), SIMDACT_OK);          \
    simdact::op(a.data(), b.data(), got.data(), kRows, kCols);                                      \
    EXPECT_TRUE(same_bits(got, want)) << "pointer";                                                 \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a.data(), b.data(), got.data(), kRows, kCols, std::nothrow));          \
    EXPECT_TRUE(same_bits(got, want)) << "pointer, nothrow";                                        \
    poison(got);                                                                                    \
    simdact::op(a, b, got, kCols);                                                                  \
    EXPECT_TRUE(same_bits(got, want)) << "vector, cols";                                            \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a, b, float_span{got.data(), kN}, kCols, std::nothrow));               \
    EXPECT_TRUE(same_bits(got, want)) << "span-like, cols, nothrow";                                \
    poison(got);                                                                                    \
    simdact::op(a, b, got);                                                                         \
    EXPECT_TRUE(same_bits(got, want_row)) << "vector, one row";                                     \
    poison(got);                                                                                    \
    EXPECT_FALSE(simdact::op(a, b, got, std::nothrow));                                             \
    EXPECT_TRUE(same_bits(got, want_row)) << "vector, one row, nothrow";                            \
    std::vector<float> in_b = b;                                                                    \
    simdact::op(a, in_b, in_b, kCols);                                                              \
    EXPECT_TRUE(same_bits(in_b, want)) << "in place";                                               \
    expect_throws([&] { simdact::op(a, b, got, 2); }, SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); \
    std::vector<float> shorter(kN - kCols);                                                         \
    EXPECT_EQ(simdact::op(a, b, shorter, kCols, std::nothrow), std::errc::invalid_argument);        \
    expect_throws([&] { simdact::op(a.data(), b.data(), nullptr, kRows, kCols); },                  \
                  SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op);                                   \
  })

// rows_strided helpers: the rows x cols elements of a buffer with leading dimension ld, packed; and
// whether every element outside them (the padding, up to the buffer's end) still has the bits of v.
std::vector<float> packed_rows(const std::vector<float>& buf, std::size_t ld, std::size_t rows, std::size_t cols) {
  std::vector<float> out;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) out.push_back(buf[r * ld + c]);
  return out;
}
::testing::AssertionResult padding_is(const std::vector<float>& buf, std::size_t ld, std::size_t cols, float v) {
  std::uint32_t want;
  std::memcpy(&want, &v, 4);
  for (std::size_t i = 0; i < buf.size(); ++i) {
    if (i % ld < cols && i / ld < kRows) continue;
    std::uint32_t got;
    std::memcpy(&got, &buf[i], 4);
    if (got != want) return ::testing::AssertionFailure() << "padding element " << i << " is " << buf[i];
  }
  return ::testing::AssertionSuccess();
}

// rows_strided: op(x, ldx, y, ldy, rows, cols) through the pointer and container overloads, with and
// without std::nothrow, bit-identical to the C call; the padding between rows is neither read (it holds
// NaN, which would spread over the row) nor written (a sentinel); the same results as the contiguous
// kernel packed_op (simdact.h); ld == cols; in place; disjoint column blocks of one matrix; errors.
#define CHECK_ROWS_STRIDED(op, packed_op)                                                           \
  for_each_isa([] {                                                                                 \
    constexpr std::size_t ldx = kCols + 3, ldy = kCols + 6;                                         \
    const float sentinel = 12345.0f;                                                                \
    const std::vector<float> packed = random_floats(kN, 10, -8.0f, 8.0f);                           \
    std::vector<float> x(kRows * ldx, kNaN);                                                        \
    for (std::size_t r = 0; r < kRows; ++r)                                                         \
      std::copy(packed.begin() + r * kCols, packed.begin() + (r + 1) * kCols, x.begin() + r * ldx); \
    std::vector<float> want_buf(kRows * ldy, sentinel), want_packed(kN);                            \
    ASSERT_EQ(simdact_##op##_f32(x.data(), ldx, want_buf.data(), ldy, kRows, kCols), SIMDACT_OK);   \
    const std::vector<float> want = packed_rows(want_buf, ldy, kRows, kCols);                       \
    EXPECT_TRUE(padding_is(want_buf, ldy, kCols, sentinel)) << "the C call wrote padding";          \
    ASSERT_EQ(simdact_##packed_op##_f32(packed.data(), want_packed.data(), kRows, kCols), SIMDACT_OK); \
    EXPECT_TRUE(same_bits(want, want_packed)) << "simdact.h: the same results as " #packed_op;      \
    std::vector<float> y(kRows * ldy, sentinel);                                                    \
    simdact::op(x.data(), ldx, y.data(), ldy, kRows, kCols);                                        \
    EXPECT_TRUE(same_bits(y, want_buf)) << "pointer";                                               \
    std::fill(y.begin(), y.end(), sentinel);                                                        \
    EXPECT_FALSE(simdact::op(x.data(), ldx, y.data(), ldy, kRows, kCols, std::nothrow));            \
    EXPECT_TRUE(same_bits(y, want_buf)) << "pointer, nothrow";                                      \
    std::fill(y.begin(), y.end(), sentinel);                                                        \
    simdact::op(x, ldx, y, ldy, kRows, kCols);                                                      \
    EXPECT_TRUE(same_bits(y, want_buf)) << "vector";                                                \
    std::fill(y.begin(), y.end(), sentinel);                                                        \
    EXPECT_FALSE(simdact::op(const_float_span{x.data(), x.size()}, ldx, float_span{y.data(), y.size()}, ldy, \
                             kRows, kCols, std::nothrow));                                          \
    EXPECT_TRUE(same_bits(y, want_buf)) << "span-like, nothrow";                                    \
    /* The smallest containers: no padding after the last row. One float less is invalid. */       \
    const std::vector<float> x_min(x.begin(), x.begin() + (kRows - 1) * ldx + kCols);               \
    std::vector<float> y_min((kRows - 1) * ldy + kCols, sentinel);                                  \
    simdact::op(x_min, ldx, y_min, ldy, kRows, kCols);                                              \
    EXPECT_TRUE(same_bits(packed_rows(y_min, ldy, kRows, kCols), want)) << "smallest containers";   \
    const std::vector<float> x_short(x_min.begin(), x_min.end() - 1);                               \
    std::vector<float> y_short(y_min.size() - 1, sentinel);                                         \
    expect_throws([&] { simdact::op(x_short, ldx, y, ldy, kRows, kCols); }, SIMDACT_ERR_INVALID_ARGUMENT, \
                  "simdact::" #op);                                                                 \
    EXPECT_EQ(simdact::op(x, ldx, y_short, ldy, kRows, kCols, std::nothrow), std::errc::invalid_argument); \
    EXPECT_TRUE(padding_is(y_short, 1, 0, sentinel)) << "a rejected call wrote";                    \
    const std::size_t huge = std::numeric_limits<std::size_t>::max();                               \
    EXPECT_EQ(simdact::op(x, ldx, y, ldy, huge, kCols, std::nothrow), std::errc::invalid_argument);  \
    EXPECT_EQ(simdact::op(x, huge, y, ldy, 2, kCols, std::nothrow), std::errc::invalid_argument);    \
    /* ld == cols is the contiguous layout. */                                                      \
    std::vector<float> got(kN);                                                                     \
    simdact::op(packed.data(), kCols, got.data(), kCols, kRows, kCols);                             \
    EXPECT_TRUE(same_bits(got, want)) << "ld == cols";                                              \
    /* In place: x == y, ldx == ldy; the padding stays NaN. */                                      \
    std::vector<float> inplace = x;                                                                 \
    simdact::op(inplace, ldx, inplace, ldx, kRows, kCols);                                          \
    EXPECT_TRUE(same_bits(packed_rows(inplace, ldx, kRows, kCols), want)) << "in place";           \
    EXPECT_TRUE(padding_is(inplace, ldx, kCols, kNaN)) << "in place wrote padding";                 \
    /* Two column blocks of one kRows x 2*kCols matrix: x the left one, y the right one. */         \
    std::vector<float> wide(kRows * 2 * kCols, sentinel);                                           \
    for (std::size_t r = 0; r < kRows; ++r)                                                         \
      std::copy(packed.begin() + r * kCols, packed.begin() + (r + 1) * kCols, wide.begin() + r * 2 * kCols); \
    simdact::op(wide.data(), 2 * kCols, wide.data() + kCols, 2 * kCols, kRows, kCols);              \
    EXPECT_TRUE(same_bits(packed_rows(wide, 2 * kCols, kRows, kCols), packed)) << "x block changed"; \
    EXPECT_TRUE(same_bits(packed_rows(std::vector<float>(wide.begin() + kCols, wide.end()), 2 * kCols, \
                                      kRows, kCols), want)) << "column blocks";                    \
    /* Errors: nothing written. */                                                                  \
    std::fill(y.begin(), y.end(), sentinel);                                                        \
    expect_throws([&] { simdact::op(x.data(), kCols - 1, y.data(), ldy, kRows, kCols); },          \
                  SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op); /* ldx < cols */                  \
    EXPECT_EQ(simdact::op(x.data(), ldx, y.data(), kCols - 1, kRows, kCols, std::nothrow),         \
              std::errc::invalid_argument); /* ldy < cols */                                        \
    expect_throws([&] { simdact::op(nullptr, ldx, y.data(), ldy, kRows, kCols); },                  \
                  SIMDACT_ERR_INVALID_ARGUMENT, "simdact::" #op);                                   \
    EXPECT_EQ(simdact::op(y.data(), ldy, y.data() + 1, ldy, kRows, kCols, std::nothrow),           \
              std::errc::invalid_argument); /* partial overlap */                                   \
    EXPECT_TRUE(padding_is(y, 1, 0, sentinel)) << "a rejected call wrote";                          \
    simdact::op(nullptr, kCols, nullptr, kCols, 0, kCols); /* rows*cols == 0: OK */                 \
    std::vector<float> empty;                                                                       \
    simdact::op(empty, kCols, empty, kCols, 0, kCols);                                              \
  })

// One test per row of simdact/kernels.inc, by its kind: CppApi.<op>. The _p kinds are called with a p
// other than the row's default and without p (the default). rows_strided rows are named below: each is
// compared with its contiguous kernel.
#define CHECK_unary(op, param) CHECK_UNARY(op)
#define CHECK_binary(op, param) CHECK_BINARY(op)
#define CHECK_unary_p(op, param) CHECK_UNARY_P(op, (param) + 0.25f, param)
#define CHECK_binary_p(op, param) CHECK_BINARY_P(op, (param) + 0.25f, param)
#define CHECK_rows(op, param) CHECK_ROWS(op)
#define CHECK_rows_binary(op, param) CHECK_ROWS_BINARY(op)
#define SIMDACT_KERNEL(op, kind, bound, ref, first, param) SIMDACT_CPP_TEST_##kind(op, kind, param)
#define SIMDACT_CPP_TEST_unary(op, kind, param) TEST(CppApi, op) { CHECK_##kind(op, param); }
#define SIMDACT_CPP_TEST_binary SIMDACT_CPP_TEST_unary
#define SIMDACT_CPP_TEST_unary_p SIMDACT_CPP_TEST_unary
#define SIMDACT_CPP_TEST_binary_p SIMDACT_CPP_TEST_unary
#define SIMDACT_CPP_TEST_rows SIMDACT_CPP_TEST_unary
#define SIMDACT_CPP_TEST_rows_binary SIMDACT_CPP_TEST_unary
#define SIMDACT_CPP_TEST_rows_strided(op, kind, param)
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL

TEST(CppApi, SoftmaxStrided) { CHECK_ROWS_STRIDED(softmax_strided, softmax); }
TEST(CppApi, LogSoftmaxStrided) { CHECK_ROWS_STRIDED(log_softmax_strided, log_softmax); }

// ---------------------------------------------------------------------------------------------------
// Overload constraints (compile time): float containers only; outputs must be mutable.

template <class X, class Y, class = void>
struct can_relu : std::false_type {};
template <class X, class Y>
struct can_relu<X, Y, std::void_t<decltype(simdact::relu(std::declval<X>(), std::declval<Y>()))>> : std::true_type {};

static_assert(can_relu<const std::vector<float>&, std::vector<float>&>::value, "vector -> vector");
static_assert(can_relu<std::array<float, 3>&, float_span>::value, "array -> span-like temporary");
static_assert(can_relu<const_float_span, float (&)[4]>::value, "const span-like -> C array");
static_assert(!can_relu<const std::vector<double>&, std::vector<float>&>::value, "double input rejected");
static_assert(!can_relu<const std::vector<float>&, std::vector<double>&>::value, "double output rejected");
static_assert(!can_relu<const std::vector<float>&, const std::vector<float>&>::value, "const output rejected");
static_assert(!can_relu<const std::vector<float>&, const_float_span>::value, "read-only span output rejected");
static_assert(!can_relu<const std::vector<int>&, std::vector<float>&>::value, "int input rejected");
static_assert(std::is_base_of_v<std::runtime_error, simdact::error>, "simdact::error is a std::runtime_error");
static_assert(std::is_base_of_v<std::system_error, simdact::error>, "simdact::error is a std::system_error");
static_assert(noexcept(simdact::relu(nullptr, nullptr, 0, std::nothrow)), "nothrow overloads are noexcept");
static_assert(noexcept(simdact::softmax_strided(nullptr, 0, nullptr, 0, 0, 0, std::nothrow)),
              "nothrow overloads are noexcept (rows_strided)");
static_assert(simdact::default_elu_alpha == 1.0f, "ELU's default alpha is PyTorch's");
// The defaults are the param column of include/simdact/kernels.inc, for the forward op and its backward.
static_assert(simdact::default_leaky_slope == simdact::facts::find("leaky_relu")->param &&
                  simdact::default_leaky_slope == simdact::facts::find("leaky_relu_backward")->param,
              "simdact.hpp's leaky slope is include/simdact/kernels.inc's");
static_assert(simdact::default_elu_alpha == simdact::facts::find("elu")->param &&
                  simdact::default_elu_alpha == simdact::facts::find("elu_backward")->param,
              "simdact.hpp's elu alpha is include/simdact/kernels.inc's");

// ---------------------------------------------------------------------------------------------------
// Errors

TEST(CppApi, ErrorCategory) {
  const std::error_category& cat = simdact::error_category();
  EXPECT_STREQ(cat.name(), "simdact");
  EXPECT_EQ(&cat, &simdact::error_category()) << "one category instance";
  EXPECT_FALSE(simdact::make_error_code(SIMDACT_OK)) << "SIMDACT_OK is no error";
  const std::error_code inval = simdact::make_error_code(SIMDACT_ERR_INVALID_ARGUMENT);
  const std::error_code isa = simdact::make_error_code(SIMDACT_ERR_UNSUPPORTED_ISA);
  EXPECT_TRUE(inval);
  EXPECT_EQ(inval.value(), SIMDACT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(&inval.category(), &cat);
  EXPECT_EQ(inval, std::errc::invalid_argument);
  EXPECT_EQ(isa, std::errc::not_supported);
  EXPECT_NE(inval, isa);
  EXPECT_NE(inval.message().find("invalid argument"), std::string::npos);
  EXPECT_NE(isa.message().find("ISA"), std::string::npos);
  EXPECT_NE(cat.message(99).find("99"), std::string::npos);

  const simdact::error e(SIMDACT_ERR_INVALID_ARGUMENT, "simdact::relu");
  EXPECT_EQ(e.status(), SIMDACT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.code(), inval);
  EXPECT_EQ(std::string(e.what()).rfind("simdact::relu: invalid argument", 0), 0u) << e.what();

  EXPECT_NO_THROW(simdact::check(SIMDACT_OK, "x"));
  expect_throws([] { simdact::check(SIMDACT_ERR_UNSUPPORTED_ISA, "my_call"); }, SIMDACT_ERR_UNSUPPORTED_ISA,
                "my_call");
  // check() is the generic path for any C call, including kernels without a C++ wrapper yet.
  float y = 0.0f;
  const float x = 0.0f;
  simdact::check(simdact_sigmoid_f32(&x, &y, 1), "simdact_sigmoid_f32");
  EXPECT_EQ(y, 0.5f);
  try {
    simdact::relu(nullptr, &y, 1);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {  // catchable as the standard base
    EXPECT_NE(std::string(e.what()).find("simdact::relu"), std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------------
// ISA selection and version

TEST(CppApi, IsaFunctions) {
  const simdact::isa start = simdact::active_isa();
  EXPECT_EQ(start, simdact_active_isa());
  EXPECT_TRUE(simdact::isa_supported(start));
  EXPECT_TRUE(simdact::isa_supported(SIMDACT_ISA_SCALAR));
  // The C++ layer gives the C ABI's names (tests/test_abi.cpp freezes those).
  for (const simdact::isa_info& i : simdact::kIsaInfo) EXPECT_STREQ(simdact::isa_name(i.isa), i.name);
  const auto bogus = static_cast<simdact::isa>(42);
  EXPECT_STREQ(simdact::isa_name(bogus), "unknown");
  EXPECT_FALSE(simdact::isa_supported(bogus));
  for (simdact::isa i : kIsas) EXPECT_EQ(simdact::isa_supported(i), simdact_isa_supported(i) == 1);

  simdact::set_isa(SIMDACT_ISA_SCALAR);
  EXPECT_EQ(simdact::active_isa(), SIMDACT_ISA_SCALAR);
  EXPECT_FALSE(simdact::set_isa(start, std::nothrow));
  EXPECT_EQ(simdact::active_isa(), start);
  expect_throws([&] { simdact::set_isa(bogus); }, SIMDACT_ERR_UNSUPPORTED_ISA, "simdact::set_isa");
  EXPECT_EQ(simdact::set_isa(bogus, std::nothrow), std::errc::not_supported);
  EXPECT_EQ(simdact::active_isa(), start) << "a rejected set_isa changed the ISA";
  for (simdact::isa i : kIsas) {
    if (simdact::isa_supported(i)) continue;
    expect_throws([&] { simdact::set_isa(i); }, SIMDACT_ERR_UNSUPPORTED_ISA, "simdact::set_isa");
  }

  EXPECT_STREQ(simdact::version(), simdact_version());
  unsigned major = 0, minor = 0, patch = 0;
  EXPECT_EQ(std::sscanf(simdact::version(), "%u.%u.%u", &major, &minor, &patch), 3);
}

TEST(CppApi, ScopedIsaRestores) {
  const simdact::isa start = simdact::active_isa();
  {
    simdact::scoped_isa outer(SIMDACT_ISA_SCALAR);
    EXPECT_EQ(outer.previous(), start);
    EXPECT_EQ(simdact::active_isa(), SIMDACT_ISA_SCALAR);
    {
      simdact::scoped_isa inner(start);
      EXPECT_EQ(inner.previous(), SIMDACT_ISA_SCALAR);
      EXPECT_EQ(simdact::active_isa(), start);
    }
    EXPECT_EQ(simdact::active_isa(), SIMDACT_ISA_SCALAR) << "inner guard restored the wrong ISA";
    // An unsupported ISA throws from the constructor and changes nothing.
    expect_throws([] { simdact::scoped_isa bad(static_cast<simdact::isa>(42)); }, SIMDACT_ERR_UNSUPPORTED_ISA,
                  "simdact::set_isa");
    EXPECT_EQ(simdact::active_isa(), SIMDACT_ISA_SCALAR);
  }
  EXPECT_EQ(simdact::active_isa(), start);
  // Restored on the way out of an exception too.
  try {
    simdact::scoped_isa guard(SIMDACT_ISA_SCALAR);
    throw std::runtime_error("unwind");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(simdact::active_isa(), start);
}

}  // namespace
