// The C ABI's argument contract (include/simdact/simdact.h, "Common rules"), for every function that
// takes buffers. The table below is expanded from include/simdact/kernels.inc with one adapter per kind, so a new
// kernel is covered as soon as it is listed (and a new kind fails to compile here until it has an
// adapter). Validation does not depend on the ISA, but every test runs on each ISA to prove it.
//
//   n == 0 (rows*cols == 0)       -> SIMDACT_OK, nothing touched, pointers may be NULL
//   a NULL pointer with n > 0      -> SIMDACT_ERR_INVALID_ARGUMENT, nothing written
//   input partially overlapping out -> SIMDACT_ERR_INVALID_ARGUMENT, nothing written
//   byte size or rows*cols overflow -> SIMDACT_ERR_INVALID_ARGUMENT, nothing written
//   output == input (in place)      -> SIMDACT_OK, the same result as out of place
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "tests/kernel_calls.hpp"
#include "tests/util.hpp"

namespace simdact_test {
namespace {

// Output and arena fill. Not a NaN (relu/leaky relu would pass a NaN through bit for bit) but a
// negative finite value that every kernel maps to something else: test SentinelIsDetectable proves
// that, so "the buffer still holds the sentinel" really means "nothing was written".
constexpr uint32_t kSentinelBits = 0xC05A5A5Au;  // about -3.412

// Elementwise kinds: d0 = n (d1 is unused). Rows kinds: d0 = rows, d1 = cols.
using Kernel = KernelCall;
const auto& kKernels = kKernelCalls;  // tests/kernel_calls.hpp

using Shape = std::pair<std::size_t, std::size_t>;

// The (d0, d1) argument pairs that describe n elements.
std::vector<Shape> shapes(const Kernel& k, std::size_t n) {
  if (!k.rows) return {{n, 1}};
  std::vector<Shape> s = {{1, n}, {n, 1}};
  if (n > 2 && n % 2 == 0) s.push_back({2, n / 2});
  if (n > 3 && n % 3 == 0) s.push_back({n / 3, 3});
  return s;
}

std::string describe(const Kernel& k, Shape s) {
  const std::string a = std::to_string(s.first), b = std::to_string(s.second);
  return std::string("simdact_") + k.name + "_f32 (" + k.kind + ") " +
         (k.rows ? "rows=" + a + " cols=" + b : "n=" + a);
}

std::vector<float> sentinel(std::size_t n) { return std::vector<float>(n, from_bits(kSentinelBits)); }

// "" when a and b hold the same bits, else where they first differ.
std::string diff_bits(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return "size differs";
  for (std::size_t i = 0; i < got.size(); ++i)
    if (to_bits(got[i]) != to_bits(want[i])) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "element %zu: 0x%08x, expected 0x%08x", i, to_bits(got[i]), to_bits(want[i]));
      return buf;
    }
  return "";
}

#define EXPECT_UNTOUCHED(buf, orig, what) EXPECT_EQ(diff_bits(buf, orig), "") << what << " was modified"

class Abi : public IsaTest {};

// (a) n == 0 (rows == 0 or cols == 0): OK whatever the pointers, and nothing is touched.
TEST_P(Abi, ZeroSizeIsOkWithAnyPointers) {
  for (const Kernel& k : kKernels) {
    std::vector<Shape> zero = {{0, 1}};
    if (k.rows) zero = {{0, 0}, {0, 7}, {7, 0}, {0, SIZE_MAX}, {SIZE_MAX, 0}, {1, 0}, {0, 1}};
    for (Shape s : zero) {
      SCOPED_TRACE(describe(k, s));
      EXPECT_EQ(k.call(nullptr, nullptr, nullptr, s.first, s.second), SIMDACT_OK) << "all pointers NULL";
      // Every mix of NULL and real buffers: still OK, and the real buffers keep their bits.
      const int nptr = k.inputs + 1;
      for (int mask = 0; mask < (1 << nptr); ++mask) {
        std::vector<float> a = uniform(8, -2.0f, 2.0f, 1), b = uniform(8, -2.0f, 2.0f, 2), out = sentinel(8);
        const std::vector<float> a0 = a, b0 = b, out0 = out;
        const float* pa = (mask & 1) ? nullptr : a.data();
        const float* pb = k.inputs == 2 && (mask & 2) ? nullptr : b.data();
        float* po = (mask & (1 << (nptr - 1))) ? nullptr : out.data();
        EXPECT_EQ(k.call(pa, pb, po, s.first, s.second), SIMDACT_OK) << "NULL mask " << mask;
        EXPECT_UNTOUCHED(out, out0, "output");
        EXPECT_UNTOUCHED(a, a0, "input a");
        EXPECT_UNTOUCHED(b, b0, "input b");
      }
    }
  }
}

// (b) + (e) Any NULL pointer with n > 0 is rejected, and the other buffers keep their bits.
TEST_P(Abi, NullPointerIsRejected) {
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {1u, 5u, 16u, 100u}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        const int nptr = k.inputs + 1;
        // Every non-empty subset of the pointers is NULL (covers each one alone, in turn).
        for (int mask = 1; mask < (1 << nptr); ++mask) {
          std::vector<float> a = uniform(n, -2.0f, 2.0f, 3), b = uniform(n, -2.0f, 2.0f, 4), out = sentinel(n);
          const std::vector<float> a0 = a, b0 = b, out0 = out;
          const float* pa = (mask & 1) ? nullptr : a.data();
          const float* pb = k.inputs == 2 ? ((mask & 2) ? nullptr : b.data()) : nullptr;
          float* po = (mask & (1 << (nptr - 1))) ? nullptr : out.data();
          EXPECT_EQ(k.call(pa, pb, po, s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
              << (pa ? "" : "a=NULL ") << (k.inputs == 2 && !pb ? "b=NULL " : "") << (po ? "" : "out=NULL");
          EXPECT_UNTOUCHED(out, out0, "output");
          EXPECT_UNTOUCHED(a, a0, "input a");
          EXPECT_UNTOUCHED(b, b0, "input b");
        }
      }
    }
  }
}

// (c) + (e) An input sharing some but not all of the output's elements is rejected, in both
// directions and for each input; the whole arena (output and overlapping input) keeps its bits.
TEST_P(Abi, PartialOverlapIsRejected) {
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {2u, 3u, 8u, 17u, 64u}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        const std::vector<float> arena0 = sentinel(3 * n);
        const std::vector<float> other0 = uniform(n, -2.0f, 2.0f, 5);
        auto expect_rejected = [&](std::ptrdiff_t da, std::ptrdiff_t db, bool b_separate) {
          std::vector<float> arena = arena0, other = other0;
          float* out = arena.data() + n;
          const float* a = out + da;
          const float* b = b_separate ? other.data() : out + db;
          EXPECT_EQ(k.call(a, b, out, s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
              << "a = out" << (da >= 0 ? "+" : "") << da << ", b = "
              << (b_separate ? std::string("separate") : "out" + std::string(db >= 0 ? "+" : "") + std::to_string(db));
          EXPECT_UNTOUCHED(arena, arena0, "output/overlapping input arena");
          EXPECT_UNTOUCHED(other, other0, "separate input");
        };
        auto expect_rejected_b = [&](std::ptrdiff_t db) {  // a separate, b overlapping
          std::vector<float> arena = arena0, other = other0;
          float* out = arena.data() + n;
          EXPECT_EQ(k.call(other.data(), out + db, out, s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
              << "a separate, b = out" << (db >= 0 ? "+" : "") << db;
          EXPECT_UNTOUCHED(arena, arena0, "output/overlapping input arena");
          EXPECT_UNTOUCHED(other, other0, "separate input");
        };
        for (std::ptrdiff_t d = 1; d < static_cast<std::ptrdiff_t>(n); ++d) {
          for (std::ptrdiff_t off : {d, -d}) {
            expect_rejected(off, 0, true);  // a overlaps, b (if any) is a separate buffer
            if (k.inputs == 2) {
              expect_rejected_b(off);
              expect_rejected(off, -off, false);  // both overlap
              expect_rejected(0, off, false);     // a is exactly the output (fine), b overlaps
              expect_rejected(off, 0, false);     // a overlaps, b is exactly the output (fine)
            }
          }
        }
      }
    }
  }
}

// Buffers that touch but do not overlap, and inputs overlapping only each other, are valid: OK, the
// same result as with separate copies, and nothing outside the output is written (an overrun past
// either end of the output would clobber an adjacent input).
TEST_P(Abi, AdjacentOrInputOnlyOverlapIsAccepted) {
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {1u, 7u, 24u, 65u}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        // Arena of 4n floats, the output at [n, 2n), inputs at offsets ia, ib.
        const std::vector<float> data = uniform(4 * n, -3.0f, 3.0f, 6);
        auto check = [&](std::size_t ia, std::size_t ib) {
          SCOPED_TRACE("a at " + std::to_string(ia) + ", b at " + std::to_string(ib) + ", out at " + std::to_string(n));
          // The expected output, computed on separate copies of the inputs.
          const std::vector<float> ca(data.begin() + ia, data.begin() + ia + n);
          const std::vector<float> cb(data.begin() + ib, data.begin() + ib + n);
          std::vector<float> want = sentinel(n);
          ASSERT_EQ(k.call(ca.data(), cb.data(), want.data(), s.first, s.second), SIMDACT_OK);
          std::vector<float> arena = data;
          for (std::size_t i = n; i < 2 * n; ++i) arena[i] = from_bits(kSentinelBits);
          std::vector<float> expect_arena = arena;
          std::copy(want.begin(), want.end(), expect_arena.begin() + n);
          EXPECT_EQ(k.call(arena.data() + ia, arena.data() + ib, arena.data() + n, s.first, s.second), SIMDACT_OK);
          EXPECT_EQ(diff_bits(arena, expect_arena), "");
        };
        check(0, 2 * n);  // a ends where the output starts, b starts where it ends
        check(2 * n, 0);
        if (k.inputs == 2) {
          check(2 * n, 2 * n);  // a == b
          for (std::size_t d = 1; d < n; d += (n > 8 ? n / 4 : 1)) {
            check(2 * n, 2 * n + d);  // a and b share n - d elements, neither touches the output
            check(2 * n + d, 2 * n);
          }
        }
      }
    }
  }
}

// (d) + (e) rows*cols overflowing size_t, or an element count whose byte size overflows: rejected,
// with real (small) buffers so that only the size can be the reason, and nothing written.
TEST_P(Abi, SizeOverflowIsRejected) {
  constexpr std::size_t kMaxN = SIZE_MAX / sizeof(float);  // the largest n whose byte size fits
  for (const Kernel& k : kKernels) {
    std::vector<Shape> bad;
    if (k.rows) {
      bad = {{SIZE_MAX / 2 + 1, 2},  // product wraps to 0: must not be taken for an empty call
             {2, SIZE_MAX / 2 + 1},
             {SIZE_MAX, SIZE_MAX},   // wraps to 1
             {SIZE_MAX, 2},
             {std::size_t{1} << 32, std::size_t{1} << 32},  // exactly 2^64: wraps to 0
             {(std::size_t{1} << 32) + 1, (std::size_t{1} << 32) - 1},  // 2^64 - 1: fits, bytes do not
             {kMaxN + 1, 1},  // no product overflow, byte size overflows
             {1, kMaxN + 1},
             {(kMaxN + 1) / 2, 2},
             {1, SIZE_MAX}};
    } else {
      bad = {{kMaxN + 1, 1}, {SIZE_MAX / 2, 1}, {SIZE_MAX / 2 + 1, 1}, {SIZE_MAX - 3, 1}, {SIZE_MAX, 1}};
    }
    for (Shape s : bad) {
      SCOPED_TRACE(describe(k, s));
      std::vector<float> a = uniform(64, -2.0f, 2.0f, 7), b = uniform(64, -2.0f, 2.0f, 8), out = sentinel(64);
      const std::vector<float> a0 = a, b0 = b, out0 = out;
      EXPECT_EQ(k.call(a.data(), b.data(), out.data(), s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT);
      EXPECT_UNTOUCHED(out, out0, "output");
      EXPECT_UNTOUCHED(a, a0, "input a");
      EXPECT_UNTOUCHED(b, b0, "input b");
      // In place as well: the exact-aliasing exemption must not skip the size checks.
      EXPECT_EQ(k.call(out.data(), out.data(), out.data(), s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
          << "in place";
      EXPECT_UNTOUCHED(out, out0, "in-place buffer");
    }
  }
}

// (f) The output may be the very same buffer as an input (each input, or all of them): OK, and the
// result is bit for bit the out-of-place one.
TEST_P(Abi, ExactAliasingIsAccepted) {
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {1u, 7u, 16u, 33u, 100u, 1000u}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        const std::vector<float> a0 = uniform(n, -3.0f, 3.0f, 9), b0 = uniform(n, -2.0f, 2.0f, 10);
        // aliasing: 1 = out is a, 2 = out is b, 3 = a, b and out are one buffer.
        for (int aliasing = 1; aliasing <= (k.inputs == 2 ? 3 : 1); ++aliasing) {
          const std::vector<float>& bsrc = aliasing == 3 ? a0 : b0;
          std::vector<float> want = sentinel(n);
          ASSERT_EQ(k.call(a0.data(), bsrc.data(), want.data(), s.first, s.second), SIMDACT_OK);
          std::vector<float> a = a0, b = bsrc;
          float* out = aliasing == 2 ? b.data() : a.data();
          const float* pb = aliasing == 3 ? a.data() : b.data();
          EXPECT_EQ(k.call(a.data(), pb, out, s.first, s.second), SIMDACT_OK) << "aliasing " << aliasing;
          EXPECT_EQ(diff_bits(aliasing == 2 ? b : a, want), "") << "in place (aliasing " << aliasing
                                                                << ") differs from out of place";
          if (aliasing == 1 && k.inputs == 2) {
            EXPECT_UNTOUCHED(b, b0, "input b");
          }
          if (aliasing == 2) {
            EXPECT_UNTOUCHED(a, a0, "input a");
          }
        }
      }
    }
  }
}

// The "untouched" checks above are meaningful: a valid call on sentinel-filled buffers changes every
// output element, so a rejected call that wrote anything would be caught.
TEST_P(Abi, SentinelIsDetectable) {
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {1u, 7u, 33u, 64u}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        const std::vector<float> a = sentinel(n), b = sentinel(n);
        std::vector<float> out = sentinel(n);
        ASSERT_EQ(k.call(a.data(), b.data(), out.data(), s.first, s.second), SIMDACT_OK);
        for (std::size_t i = 0; i < n; ++i)
          EXPECT_NE(to_bits(out[i]), kSentinelBits) << "element " << i << " keeps the sentinel after a valid call";
      }
    }
  }
}

// (a) n == 0 whatever the pointer values, not just NULL: overlapping, misaligned, or at the very top
// of the address space (where p + anything wraps). Nothing is dereferenced, so nothing faults.
TEST_P(Abi, ZeroSizeIgnoresPointerValues) {
  std::vector<float> arena = sentinel(64);
  const std::vector<float> arena0 = arena;
  float* top = reinterpret_cast<float*>(UINTPTR_MAX - 3);  // the last 4 bytes of the address space
  float* odd = reinterpret_cast<float*>(reinterpret_cast<std::uintptr_t>(arena.data()) + 1);  // misaligned
  for (const Kernel& k : kKernels) {
    std::vector<Shape> zero = {{0, 1}};
    if (k.rows) zero = {{0, 0}, {0, 7}, {7, 0}, {0, SIZE_MAX}, {SIZE_MAX, 0}};
    for (Shape s : zero) {
      SCOPED_TRACE(describe(k, s));
      EXPECT_EQ(k.call(arena.data() + 1, arena.data() + 2, arena.data(), s.first, s.second), SIMDACT_OK)
          << "inputs overlapping the output";
      EXPECT_EQ(k.call(top, top, top, s.first, s.second), SIMDACT_OK) << "pointers at the top of the address space";
      EXPECT_EQ(k.call(odd, top, arena.data(), s.first, s.second), SIMDACT_OK) << "misaligned and top pointers";
      EXPECT_UNTOUCHED(arena, arena0, "arena");
    }
  }
}

// (d) A range that wraps around the end of the address space is rejected before anything is touched:
// a pointer n - 1 floats below the top with n floats, and real buffers with the largest n whose byte size still
// fits in size_t (n * 4 <= SIZE_MAX, so only the end address wraps). Each pointer in turn, the others
// real; and the valid pointers' buffers keep their bits.
TEST_P(Abi, AddressSpaceWrapIsRejected) {
  constexpr std::size_t kMaxN = SIZE_MAX / sizeof(float);
  for (const Kernel& k : kKernels) {
    for (std::size_t n : {std::size_t{2}, std::size_t{4}, std::size_t{17}}) {
      for (Shape s : shapes(k, n)) {
        SCOPED_TRACE(describe(k, s));
        // The last n - 1 floats of the address space: the n-th would lie past its end.
        float* top = reinterpret_cast<float*>(UINTPTR_MAX - (n - 1) * sizeof(float) + 1);
        const int nptr = k.inputs + 1;
        for (int which = 0; which < nptr; ++which) {
          std::vector<float> a = uniform(n, -2.0f, 2.0f, 11), b = uniform(n, -2.0f, 2.0f, 12), out = sentinel(n);
          const std::vector<float> a0 = a, b0 = b, out0 = out;
          const float* pa = which == 0 ? top : a.data();
          const float* pb = k.inputs == 2 && which == 1 ? top : b.data();
          float* po = which == nptr - 1 ? top : out.data();
          EXPECT_EQ(k.call(pa, pb, po, s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
              << (which == nptr - 1 ? "output" : which == 0 ? "input a" : "input b") << " wraps the address space";
          EXPECT_UNTOUCHED(out, out0, "output");
          EXPECT_UNTOUCHED(a, a0, "input a");
          EXPECT_UNTOUCHED(b, b0, "input b");
        }
      }
    }
    // Real buffers, n * 4 fits in size_t but the range cannot: n = kMaxN and kMaxN - 1.
    std::vector<Shape> huge = {{kMaxN, 1}, {kMaxN - 1, 1}};
    if (k.rows) huge = {{kMaxN, 1}, {1, kMaxN}, {1, kMaxN - 1}};
    for (Shape s : huge) {
      SCOPED_TRACE(describe(k, s));
      std::vector<float> a = uniform(64, -2.0f, 2.0f, 13), b = uniform(64, -2.0f, 2.0f, 14), out = sentinel(64);
      const std::vector<float> a0 = a, b0 = b, out0 = out;
      EXPECT_EQ(k.call(a.data(), b.data(), out.data(), s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT);
      EXPECT_EQ(k.call(out.data(), out.data(), out.data(), s.first, s.second), SIMDACT_ERR_INVALID_ARGUMENT)
          << "in place";
      EXPECT_UNTOUCHED(out, out0, "output");
      EXPECT_UNTOUCHED(a, a0, "input a");
      EXPECT_UNTOUCHED(b, b0, "input b");
    }
  }
}

SIMDACT_INSTANTIATE_ISAS(Abi);

TEST(AbiTable, CoversEveryKernelOnce) {
  // The table is list.inc itself; this guards the expansion (one entry per line, distinct names).
  std::vector<std::string> names;
  for (const Kernel& k : kKernels) names.push_back(k.name);
  const std::size_t count = names.size();
  EXPECT_GE(count, 10u) << "include/simdact/kernels.inc lists at least the 10 functions of simdact.h";
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end()) << "duplicate kernel in include/simdact/kernels.inc";
}

TEST(AbiNames, IsaName) {
  EXPECT_STREQ(simdact_isa_name(SIMDACT_ISA_SCALAR), "scalar");
  EXPECT_STREQ(simdact_isa_name(SIMDACT_ISA_AVX2), "avx2");
  EXPECT_STREQ(simdact_isa_name(SIMDACT_ISA_AVX512), "avx512");
  EXPECT_STREQ(simdact_isa_name(SIMDACT_ISA_NEON), "neon");
  // Values outside the enum, as a C caller can pass them (converted at the call: a C++ enum object
  // holding a value outside 0..3 would be undefined; tests/c11_api.c checks 42 from C as well).
  const int next = simdact::first_unused_isa_value();  // dispatch/isa_list.inc: the first value no row uses
  for (int v : {next, next + 1, next + 38, 255, 1000, -1, INT32_MAX, INT32_MIN}) {
    if (simdact::is_isa_value(v)) continue;
    const char* name = simdact_isa_name(static_cast<simdact_isa>(v));
    ASSERT_NE(name, nullptr) << v;
    EXPECT_STREQ(name, "unknown") << "simdact_isa_name(" << v << ")";
  }
}

TEST(AbiVersion, MatchesProjectVersion) {
  const char* v = simdact_version();
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(std::regex_match(v, std::regex("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)")))
      << "\"" << v << "\" is not MAJOR.MINOR.PATCH";
  EXPECT_STREQ(v, SIMDACT_TEST_PROJECT_VERSION) << "simdact_version() differs from the CMake project version";
}

}  // namespace
}  // namespace simdact_test
