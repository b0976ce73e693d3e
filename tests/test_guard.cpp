// Guard pages: every kernel of include/simdact/kernels.inc on every ISA, with every buffer it touches (each input
// and the output, and the in-place output) placed right against a PROT_NONE page, so that any read or
// write one byte past either end of a buffer faults (SIGSEGV) instead of silently passing:
//   - GuardAfter:  the buffer's last element ends a page, the next page is PROT_NONE;
//   - GuardBefore: the buffer's first element starts a page, the previous page is PROT_NONE.
// Lengths 0..300 (every tail of every vector width and unroll); the softmax kinds over rows x cols with
// cols 1..300 and rows 1..3. The rest of the page beside each output (between the buffer and the end of
// the mapping that is not PROT_NONE) holds a sentinel that must survive the call.
//
// Results are compared with the scalar oracle only loosely (NaN-ness, infinities, 1e-2 relative): the
// accuracy contract is tests/test_kernels.cpp's; the point here is no fault and no stray write.
// Expanded from include/simdact/kernels.inc with one adapter per kind: a new kernel is covered as soon as it is
// listed, and a new kind fails to compile here until it has an adapter.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/kernel_calls.hpp"
#include "tests/util.hpp"

namespace simdact_test {
namespace {

constexpr uint32_t kSentinelBits = 0x7fa5a5a5u;  // a signalling-NaN pattern no kernel output can be bit for bit

// Elementwise kinds: d0 = n (d1 unused). Rows kinds: d0 = rows, d1 = cols.
using Kernel = KernelCall;
const auto& kKernels = kKernelCalls;  // tests/kernel_calls.hpp

enum class Side { after, before };  // where the PROT_NONE page is

std::size_t page_size() {
  static const std::size_t p = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return p;
}

// n floats in their own mapping, against a PROT_NONE page on `side`. The rest of the accessible part
// of the mapping (the slack beside the buffer) is filled with the sentinel.
class GuardedBuffer {
 public:
  GuardedBuffer(std::size_t n, Side side) : n_(n), side_(side) {
    const std::size_t page = page_size();
    const std::size_t bytes = n * sizeof(float);
    data_pages_ = std::max<std::size_t>(1, (bytes + page - 1) / page);
    map_bytes_ = (data_pages_ + 1) * page;
    void* m = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
      ADD_FAILURE() << "mmap failed";
      return;
    }
    base_ = static_cast<unsigned char*>(m);
    unsigned char* guard = side == Side::after ? base_ + data_pages_ * page : base_;
    if (mprotect(guard, page, PROT_NONE) != 0) ADD_FAILURE() << "mprotect failed";
    // after: the buffer ends where the guard page starts; before: it starts where the guard page ends.
    data_ = reinterpret_cast<float*>(side == Side::after ? guard - bytes : guard + page);
    fill_slack();
  }
  ~GuardedBuffer() {
    if (base_ != nullptr) munmap(base_, map_bytes_);
  }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;

  float* data() const { return data_; }
  void set(const std::vector<float>& v) { std::copy(v.begin(), v.begin() + n_, data_); }
  std::vector<float> get() const { return std::vector<float>(data_, data_ + n_); }
  // The accessible floats beside the buffer, in the same mapping.
  float* slack_begin() const {
    return side_ == Side::after ? reinterpret_cast<float*>(base_) : data_ + n_;
  }
  float* slack_end() const {
    return side_ == Side::after ? data_ : reinterpret_cast<float*>(base_ + map_bytes_);
  }
  void fill_slack() {
    for (float* p = slack_begin(); p != slack_end(); ++p) *p = from_bits(kSentinelBits);
  }
  // Index (from the buffer's start, may be negative) of the first slack float that lost its sentinel.
  bool slack_intact(std::ptrdiff_t& where) const {
    for (float* p = slack_begin(); p != slack_end(); ++p)
      if (to_bits(*p) != kSentinelBits) {
        where = p - data_;
        return false;
      }
    return true;
  }

 private:
  std::size_t n_;
  Side side_;
  std::size_t data_pages_ = 0, map_bytes_ = 0;
  unsigned char* base_ = nullptr;
  float* data_ = nullptr;
};

const char* side_name(Side s) { return s == Side::after ? "guard after" : "guard before"; }

// Inputs: ordinary values with every float class mixed in (NaN, +-inf, +-0, subnormals, huge) for the
// elementwise kinds; for the rows kinds, rows of moderate values (the first input of a two-input rows
// kernel in [0, 1), like a softmax output).
std::vector<float> inputs(const Kernel& k, std::size_t n, uint32_t seed, bool first) {
  if (k.rows) return first && k.inputs == 2 ? uniform(n, 0.0f, 1.0f, seed) : uniform(n, -20.0f, 20.0f, seed);
  std::vector<float> v = first ? uniform(n, -30.0f, 30.0f, seed) : uniform(n, -2.0f, 2.0f, seed);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, -1e-40f, 3.4e38f, -3.4e38f, 1.0f};
  for (std::size_t i = 0; i < n; ++i)
    if (i % 11 == 5) v[i] = specials[(i / 11) % 10];
  return v;
}

// Loose agreement: both NaN, or the same infinity, or both finite and within 1e-2 relative (1e-2
// absolute near zero).
bool loosely_equal(float got, float want) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(static_cast<double>(got) - want) <= 1e-2 * std::max(1.0, std::fabs(static_cast<double>(want)));
}

class Guard : public IsaTest {
 protected:
  void SetUp() override {
    IsaTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Under an emulator (.ci/emulated-x86 and the aarch64 cross build set SIMDACT_EXPECT_DETECTED):
    // qemu 7.2 (Debian 12) loads all 32 bytes of an AVX2 vmaskmovps, so a masked-off lane on a
    // PROT_NONE page faults there, where every real CPU suppresses the fault (Intel SDM, VMASKMOV).
    const char* emulated = std::getenv("SIMDACT_EXPECT_DETECTED");
    if (GetParam() == SIMDACT_ISA_AVX2 && emulated != nullptr && *emulated != '\0')
      GTEST_SKIP() << "emulated CPU (SIMDACT_EXPECT_DETECTED is set): qemu's vmaskmovps faults on masked-off "
                      "lanes, real CPUs do not";
  }

  // Runs k on (d0, d1) = (n, 1) or (rows, cols) with every buffer guarded on `side`, out of place and
  // in place (output = each input in turn), and compares with `want` (the oracle, computed on
  // ordinary memory). Returns false after the first failure.
  bool check(const Kernel& k, std::size_t d0, std::size_t d1, Side side, const std::vector<float>& a0,
             const std::vector<float>& b0, const std::vector<float>& want) {
    const std::size_t n = k.rows ? d0 * d1 : d0;
    const std::string what = std::string("simdact_") + k.name + "_f32/" + isa() + " " +
                             (k.rows ? "rows=" + std::to_string(d0) + " cols=" + std::to_string(d1)
                                     : "n=" + std::to_string(n)) +
                             ", " + side_name(side);
    GuardedBuffer a(n, side), b(n, side), out(n, side);
    for (int mode = 0; mode <= k.inputs; ++mode) {  // 0: out of place; 1: out = a; 2: out = b
      a.set(a0);
      b.set(b0);
      out.fill_slack();
      GuardedBuffer& o = mode == 0 ? out : (mode == 1 ? a : b);
      const char* how = mode == 0 ? "out of place" : (mode == 1 ? "in place (out = input 1)" : "in place (out = input 2)");
      const simdact_status s = k.call(a.data(), b.data(), o.data(), d0, d1);
      if (s != SIMDACT_OK) {
        ADD_FAILURE() << what << " " << how << ": status " << s;
        return false;
      }
      std::ptrdiff_t where = 0;
      if (!o.slack_intact(where)) {
        ADD_FAILURE() << what << " " << how << ": wrote outside its output, at element " << where;
        return false;
      }
      const std::vector<float> got = o.get();
      for (std::size_t i = 0; i < n; ++i)
        if (!loosely_equal(got[i], want[i])) {
          ADD_FAILURE() << what << " " << how << " [" << i << "]: got " << got[i] << ", oracle " << want[i];
          return false;
        }
      // The inputs that are not the output keep their bits.
      for (int in = 1; in <= k.inputs; ++in) {
        if (in == mode) continue;
        const std::vector<float> now = (in == 1 ? a : b).get();
        const std::vector<float>& orig = in == 1 ? a0 : b0;
        for (std::size_t i = 0; i < n; ++i)
          if (to_bits(now[i]) != to_bits(orig[i])) {
            ADD_FAILURE() << what << " " << how << ": input " << in << " modified at " << i;
            return false;
          }
      }
    }
    return true;
  }

  // The oracle's result on ordinary memory.
  std::vector<float> expected(const Kernel& k, std::size_t d0, std::size_t d1, const std::vector<float>& a0,
                              const std::vector<float>& b0) {
    std::vector<float> want(a0.size() + 1);
    oracle([&] { ASSERT_EQ(k.call(a0.data(), b0.data(), want.data(), d0, d1), SIMDACT_OK); });
    return want;
  }
};

constexpr std::size_t kMaxLength = 300;

TEST_P(Guard, ElementwiseLengths0To300) {
  for (const Kernel& k : kKernels) {
    if (k.rows) continue;
    for (std::size_t n = 0; n <= kMaxLength; ++n) {
      const std::vector<float> a0 = inputs(k, n, static_cast<uint32_t>(n), true);
      const std::vector<float> b0 = inputs(k, n, static_cast<uint32_t>(n) + 1000, false);
      const std::vector<float> want = expected(k, n, 1, a0, b0);
      for (Side side : {Side::after, Side::before})
        if (!check(k, n, 1, side, a0, b0, want)) return;
    }
  }
}

TEST_P(Guard, RowsCols1To300) {
  for (const Kernel& k : kKernels) {
    if (!k.rows) continue;
    // Empty shapes: the pointers sit right at a guard page and must not be touched.
    for (std::pair<std::size_t, std::size_t> s : {std::make_pair(0, 0), std::make_pair(0, 7), std::make_pair(7, 0)})
      for (Side side : {Side::after, Side::before})
        if (!check(k, s.first, s.second, side, {}, {}, {})) return;
    for (std::size_t cols = 1; cols <= kMaxLength; ++cols) {
      for (std::size_t rows = 1; rows <= 3; ++rows) {
        const std::size_t n = rows * cols;
        const std::vector<float> a0 = inputs(k, n, static_cast<uint32_t>(n * 7 + rows), true);
        const std::vector<float> b0 = inputs(k, n, static_cast<uint32_t>(n * 7 + rows) + 1000, false);
        const std::vector<float> want = expected(k, rows, cols, a0, b0);
        for (Side side : {Side::after, Side::before})
          if (!check(k, rows, cols, side, a0, b0, want)) return;
      }
    }
  }
}

// The guard really guards: a read one float past the end (or before the start) of a guarded buffer
// dies with SIGSEGV.
TEST(GuardSelfTest, TouchingTheGuardPageFaults) {
  const char* emulated = std::getenv("SIMDACT_EXPECT_DETECTED");
  if (emulated != nullptr && *emulated != '\0')
    GTEST_SKIP() << "emulated CPU (SIMDACT_EXPECT_DETECTED is set): a death test forks, and fork does not "
                    "return under qemu-aarch64 here";
  auto touch = [](Side side, std::ptrdiff_t at) {
    GuardedBuffer g(5, side);
    volatile float* p = g.data();
    std::fprintf(stderr, "%g\n", static_cast<double>(p[at]));
  };
  EXPECT_DEATH(touch(Side::after, 5), "");
  EXPECT_DEATH(touch(Side::before, -1), "");
  // In bounds: fine.
  touch(Side::after, 4);
  touch(Side::before, 0);
}

SIMDACT_INSTANTIATE_ISAS(Guard);

}  // namespace
}  // namespace simdact_test
