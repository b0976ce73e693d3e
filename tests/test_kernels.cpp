// Every kernel of include/simdact/kernels.inc on every ISA against the scalar oracle: all lengths from 0 to
// 2 x (widest vector x unroll) + 3 and a large prime, pointers misaligned by one float, and in place.
// Expanded from the list: a new kernel is tested here as soon as its accuracy class is named below.
#include <algorithm>
#include <cfenv>
#include <cstdint>
#include <cstdlib>
#include <functional>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "kernels/facts.hpp"
#include "tests/util.hpp"

namespace simdact_test {
namespace {

// How a kernel's result may differ from the scalar oracle, and what its inputs are: its row of
// include/simdact/kernels.inc (kernels/facts.hpp).
using simdact::facts::bound;
using simdact::facts::first;
using simdact::facts::ref;

const simdact::facts::kernel& facts_of(const std::string& op) {
  const simdact::facts::kernel* k = simdact::facts::find(op.c_str());
  if (k == nullptr) {
    ADD_FAILURE() << "kernel " << op << " is not in include/simdact/kernels.inc";
    return simdact::facts::kKernels[0];
  }
  return *k;
}

// Backward ops whose first input is the forward output.
bool takes_forward_output(const std::string& op) { return facts_of(op).first != first::x; }
bool is_row_op(const std::string& op) { return simdact::facts::is_rows(facts_of(op).kind); }

constexpr std::size_t kMaxLanes = 16, kUnroll = 4;
constexpr float kParam = 0.01f;  // the _p kinds' parameter (leaky slope, elu alpha) in the generic tests
std::vector<std::size_t> lengths() {
  std::vector<std::size_t> v;
  for (std::size_t n = 0; n <= 2 * kMaxLanes * kUnroll + 3; ++n) v.push_back(n);
  v.push_back(100003);  // a large prime
  return v;
}

// Inputs: mostly ordinary values, with every float class mixed in (NaN, +-inf, +-0, subnormals, huge).
std::vector<float> inputs(const std::string& op, std::size_t n, uint32_t seed, bool first) {
  std::vector<float> v = uniform(n, -30.0f, 30.0f, seed);
  if (first && takes_forward_output(op)) v = uniform(n, facts_of(op).first == first::tanh_y ? -1.0f : 0.0f, 1.0f, seed);
  if (!first) v = uniform(n, -2.0f, 2.0f, seed);
  if (is_row_op(op)) return v;  // special rows: test_softmax.cpp
  const std::vector<float> bits = random_bits(n, seed + 1);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, -1e-40f, 3.4e38f, -3.4e38f, 1.0f};
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 7 == 3) v[i] = bits[i];
    if (i % 11 == 5) v[i] = specials[(i / 11) % 10];
  }
  return v;
}

void compare(const std::string& op, const char* isa, const std::vector<float>& got, const std::vector<float>& want,
             const std::vector<float>& tol, const std::string& what) {
  const bound acc = facts_of(op).bound;
  int failures = 0;
  for (std::size_t i = 0; i < got.size() && failures < 5; ++i) {
    const float g = got[i], w = want[i];
    bool ok;
    if (std::isnan(w) || std::isnan(g)) {
      ok = std::isnan(w) && std::isnan(g);
    } else if (acc == bound::exact) {
      ok = to_bits(g) == to_bits(w);
    } else if (acc == bound::ulp2) {
      ok = ulp_error(g, w) <= (std::fabs(w) >= 0x1p-126f ? 2.0 : 4.0);
    } else if (acc == bound::ulp4) {
      ok = ulp_error(g, w) <= 4.0;
    } else if (std::isinf(w) || std::isinf(g)) {
      ok = g == w;  // infinities exactly (log_softmax's -inf entries; dy * f'(x) overflowing)
    } else if (acc == bound::ulp4_flush) {
      ok = ulp_error(g, w) <= 4.0 || (std::fabs(w) < 0x1p-126f && g == 0.0f);
    } else {
      ok = std::fabs(static_cast<double>(g) - w) <= tol[i];
    }
    if (!ok) {
      ++failures;
      ADD_FAILURE() << op << "/" << isa << " " << what << " [" << i << "]: got " << g << " (0x" << std::hex
                    << to_bits(g) << "), oracle " << w << " (0x" << to_bits(w) << std::dec << ")";
    }
  }
}

// One call of the kernel through the C ABI, on raw pointers (so that offsets and aliasing can be tested).
// For the softmax kinds, n = rows * cols with cols = `cols`.
struct Call {
  std::string op;
  std::function<simdact_status(const float* a, const float* b, float* out, std::size_t n, std::size_t cols)> run;
  int inputs;  // 1 or 2
  bool rows;
};

#define SIMDACT_CALL_unary(op) \
  {#op, [](const float* a, const float*, float* o, std::size_t n, std::size_t) { return simdact_##op##_f32(a, o, n); }, 1, false},
#define SIMDACT_CALL_binary(op) \
  {#op, [](const float* a, const float* b, float* o, std::size_t n, std::size_t) { return simdact_##op##_f32(a, b, o, n); }, 2, false},
#define SIMDACT_CALL_unary_p(op) \
  {#op, [](const float* a, const float*, float* o, std::size_t n, std::size_t) { return simdact_##op##_f32(a, o, n, kParam); }, 1, false},
#define SIMDACT_CALL_binary_p(op) \
  {#op, [](const float* a, const float* b, float* o, std::size_t n, std::size_t) { return simdact_##op##_f32(a, b, o, n, kParam); }, 2, false},
#define SIMDACT_CALL_rows(op) \
  {#op, [](const float* a, const float*, float* o, std::size_t n, std::size_t c) { return simdact_##op##_f32(a, o, n / c, c); }, 1, true},
#define SIMDACT_CALL_rows_binary(op) \
  {#op, [](const float* a, const float* b, float* o, std::size_t n, std::size_t c) { return simdact_##op##_f32(a, b, o, n / c, c); }, 2, true},
#define SIMDACT_CALL_rows_strided(op) \
  {#op, [](const float* a, const float*, float* o, std::size_t n, std::size_t c) { return simdact_##op##_f32(a, c, o, c, n / c, c); }, 1, true},

const std::vector<Call>& calls() {
  static const std::vector<Call> v = {
#define SIMDACT_KERNEL(op, kind, ...) SIMDACT_CALL_##kind(op)
#include "simdact/kernels.inc"
#undef SIMDACT_KERNEL
  };
  return v;
}

// Absolute tolerance per output for the softmax kinds (unused for the others).
std::vector<float> tolerance(const Call& c, const std::vector<float>& a, const std::vector<float>& b,
                             const std::vector<float>& want, std::size_t cols) {
  std::vector<float> tol(want.size(), 0.0f);
  const bound acc = facts_of(c.op).bound;
  if (acc == bound::softmax) {
    for (std::size_t i = 0; i < want.size(); ++i) tol[i] = 2e-6f * std::fabs(want[i]) + 4 * 0x1p-149f;
  } else if (acc == bound::log_softmax) {
    for (std::size_t i = 0; i < want.size(); ++i)
      tol[i] = 2.0f * std::ldexp(1.0f, std::ilogb(std::max(std::fabs(want[i]), 1.0f)) - 23);
  } else if (acc == bound::log_softmax_backward) {
    // dx = dy - e^y S: e^y within 0.9 ULP, S = sum(dy) summed in float blocks (2^-22 sum|dy|), one FMA.
    for (std::size_t r = 0; r < want.size() / cols; ++r) {
      double mag = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) mag += std::fabs(static_cast<double>(b[j]));
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j)
        tol[j] = static_cast<float>(std::fabs(want[j]) * 0x1p-23 + (std::exp(static_cast<double>(a[j])) * 0x1p-21 + 0x1p-148) * mag +
                                    4 * 0x1p-149);
    }
  } else if (acc == bound::grad) {
    // dx = dy f'(x): 2^-21 |dy| T(x), T the sum of the magnitudes of f''s terms (tests/reference.hpp).
    const ref r = facts_of(c.op).ref;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const double x = a[i];
      const double t = grad_scale(r, x, kParam);
      if (std::isnan(t) && !std::isnan(x)) {
        ADD_FAILURE() << c.op << ": a grad kernel without a derivative scale (tests/reference.hpp)";
        break;
      }
      // f'(x) is formed in float: relative accuracy down to FLT_MIN, absolute 2^-126 below.
      tol[i] = static_cast<float>(std::fabs(static_cast<double>(b[i])) * (t * 0x1p-21 + 0x1p-126) + 4 * 0x1p-149);
    }
  } else if (acc == bound::softmax_backward) {
    // dx = y (dy - s): s = sum(dy*y) is summed in double by the oracle and in float blocks moved into
    // a double by the SIMD kernels, so s differs by at most ~2^-22 sum|dy*y|; then two f32 roundings.
    for (std::size_t r = 0; r < want.size() / cols; ++r) {
      double mag = 0.0, s = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        mag += std::fabs(static_cast<double>(a[j]) * b[j]);
        s += static_cast<double>(a[j]) * b[j];
      }
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j)
        tol[j] = static_cast<float>(std::fabs(a[j]) * (mag * 0x1p-21 + (std::fabs(b[j]) + std::fabs(s)) * 0x1p-22) +
                                    4 * 0x1p-149);
    }
  }
  return tol;
}

class Kernels : public IsaTest {
 protected:
  // Runs c on n elements at a given float offset from an aligned start, on the ISA and on the oracle.
  void check(const Call& c, std::size_t n, std::size_t cols, std::size_t offset, uint32_t seed) {
    std::vector<float> a0 = inputs(c.op, n, seed, true), b0 = inputs(c.op, n, seed + 7, false);
    if (facts_of(c.op).first == first::softmax_y) {  // a softmax output: rows summing to 1
      std::vector<float> x = uniform(n, -5.0f, 5.0f, seed + 3);
      oracle([&] { ASSERT_EQ(simdact_softmax_f32(x.data(), a0.data(), n / cols, cols), SIMDACT_OK); });
    }
    if (facts_of(c.op).first == first::log_softmax_y) {  // a log-softmax output
      std::vector<float> x = uniform(n, -5.0f, 5.0f, seed + 3);
      oracle([&] { ASSERT_EQ(simdact_log_softmax_f32(x.data(), a0.data(), n / cols, cols), SIMDACT_OK); });
    }
    auto padded = [&](const std::vector<float>& v) {
      std::vector<float> p(v.size() + offset + 1, -7.0f);
      std::copy(v.begin(), v.end(), p.begin() + offset);
      return p;
    };
    std::vector<float> a = padded(a0), b = padded(b0), out(n + offset + 1, 12345.0f), want(n + offset + 1, 12345.0f);
    ASSERT_EQ(c.run(a.data() + offset, b.data() + offset, out.data() + offset, n, cols), SIMDACT_OK);
    oracle([&] { ASSERT_EQ(c.run(a.data() + offset, b.data() + offset, want.data() + offset, n, cols), SIMDACT_OK); });
    // Nothing outside [offset, offset + n) is written.
    for (std::size_t i = 0; i < offset; ++i) ASSERT_EQ(out[i], 12345.0f) << c.op << " wrote before its output";
    ASSERT_EQ(out[n + offset], 12345.0f) << c.op << " wrote past its output, n = " << n;
    std::vector<float> got(out.begin() + offset, out.begin() + offset + n);
    std::vector<float> exp(want.begin() + offset, want.begin() + offset + n);
    const std::string what = "n=" + std::to_string(n) + " cols=" + std::to_string(cols) + " offset=" +
                             std::to_string(offset);
    compare(c.op, isa(), got, exp, tolerance(c, a0, b0, exp, cols ? cols : 1), what);

    // In place: the output is the very same buffer as each input in turn; same bits as out of place.
    for (int which = 0; which < c.inputs; ++which) {
      std::vector<float> ia = a, ib = b;
      float* o = (which == 0 ? ia.data() : ib.data()) + offset;
      ASSERT_EQ(c.run(ia.data() + offset, ib.data() + offset, o, n, cols), SIMDACT_OK);
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_TRUE(to_bits(o[i]) == to_bits(got[i]) || (std::isnan(o[i]) && std::isnan(got[i])))
            << c.op << "/" << isa() << " in place (output = input " << which << ") differs at " << i << ", " << what;
    }
  }
};

TEST_P(Kernels, AllLengthsAlignedAndMisaligned) {
  for (const Call& c : calls()) {
    for (std::size_t offset : {0u, 1u}) {
      if (c.rows) {
        for (std::size_t cols : {1u, 3u, 10u, 15u, 16u, 17u, 64u, 67u, 1000u})
          for (std::size_t rows : {1u, 2u, 5u, 8u, 19u})
            // 8 and 19 rows: the AVX2 short-row groups (cols < 16); longer rows need no more of them
            if (rows < 8 || cols < 16) check(c, rows * cols, cols, offset, static_cast<uint32_t>(rows * cols));
      } else {
        for (std::size_t n : lengths()) check(c, n, 0, offset, static_cast<uint32_t>(n));
      }
      if (HasFailure()) return;
    }
  }
}

// Outputs of 16 MiB and more are written with non-temporal stores on x86 (kernels/drivers.hpp,
// map_driver; softmax and its backward row by row): the same bits as calls on chunks below that size,
// nothing written outside the output (which starts one float past a vector boundary: partial vectors
// at both ends), and in place too. Softmax kinds: rows of 1000 (one row at a time on both paths).
TEST_P(Kernels, LargeOutputsStreamedAsChunks) {
  if (GetParam() != SIMDACT_ISA_AVX2 && GetParam() != SIMDACT_ISA_AVX512)
    GTEST_SKIP() << isa() << " has no non-temporal store path";
  // Under qemu (.ci/emulated-x86 sets SIMDACT_EXPECT_DETECTED) the AVX2 path is the same code as in the
  // native run, which covers it on real hardware; 26 kernels x 16 MiB take minutes there.
  const char* emulated = std::getenv("SIMDACT_EXPECT_DETECTED");
  if (emulated != nullptr && *emulated != '\0') GTEST_SKIP() << "emulated CPU: the native run covers this path";
  for (const Call& c : calls()) {
    const std::size_t cols = c.rows ? 1000 : 0;
    const std::size_t n = c.rows ? ((std::size_t{16} << 20) / sizeof(float) / cols + 3) * cols
                                 : (std::size_t{16} << 20) / sizeof(float) + 37;
    const std::size_t chunk = c.rows ? 1000 * cols : std::size_t{1} << 20;
    const std::vector<float> a = inputs(c.op, n, 41, true), b = inputs(c.op, n, 42, false);
    std::vector<float> buf(n + 32, 555.0f), want(n);
    float* out = buf.data() + 1 + (16 - reinterpret_cast<std::uintptr_t>(buf.data()) / 4 % 16);
    ASSERT_EQ(c.run(a.data(), b.data(), out, n, cols), SIMDACT_OK);
    for (std::size_t i = 0; i < n; i += chunk)
      ASSERT_EQ(c.run(a.data() + i, b.data() + i, want.data() + i, std::min(chunk, n - i), cols), SIMDACT_OK);
    for (float* p = buf.data(); p < out; ++p) ASSERT_EQ(*p, 555.0f) << c.op << "/" << isa() << " wrote before its output";
    for (float* p = out + n; p < buf.data() + buf.size(); ++p) ASSERT_EQ(*p, 555.0f) << c.op << "/" << isa() << " wrote past its output";
    std::vector<float> ia = a;
    ASSERT_EQ(c.run(ia.data(), b.data(), ia.data(), n, cols), SIMDACT_OK);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(to_bits(out[i]) == to_bits(want[i]) || (std::isnan(out[i]) && std::isnan(want[i])))
          << c.op << "/" << isa() << " streamed output differs from chunked calls at " << i;
      ASSERT_TRUE(to_bits(ia[i]) == to_bits(want[i]) || (std::isnan(ia[i]) && std::isnan(want[i])))
          << c.op << "/" << isa() << " streamed in place differs at " << i;
    }
  }
}

TEST_P(Kernels, LeakySlopes) {
  // Any slope, including 0, 1, negative and > 1, is the formula with one rounding of slope*x.
  for (float slope : {0.0f, 0.01f, 0.2f, 1.0f, -0.5f, 3.0f}) {
    std::vector<float> x = inputs("leaky_relu", 1000, 5, true), dy = uniform(1000, -2, 2, 6);
    std::vector<float> y(1000), yo(1000), dx(1000), dxo(1000);
    ASSERT_EQ(simdact_leaky_relu_f32(x.data(), y.data(), 1000, slope), SIMDACT_OK);
    ASSERT_EQ(simdact_leaky_relu_backward_f32(x.data(), dy.data(), dx.data(), 1000, slope), SIMDACT_OK);
    for (std::size_t i = 0; i < 1000; ++i) {
      const float want = x[i] > 0 ? x[i] : slope * x[i];
      const float dwant = std::isnan(x[i]) ? x[i] : dy[i] * (x[i] > 0 ? 1.0f : slope);
      ASSERT_TRUE(to_bits(y[i]) == to_bits(want) || (std::isnan(y[i]) && std::isnan(want)))
          << isa() << " leaky_relu(" << x[i] << ", slope " << slope << ") = " << y[i] << ", want " << want;
      ASSERT_TRUE(to_bits(dx[i]) == to_bits(dwant) || (std::isnan(dx[i]) && std::isnan(dwant)))
          << isa() << " leaky_relu_backward at x=" << x[i] << ", slope " << slope;
    }
  }
}

// No kernel changes the floating-point control state (rounding mode, FTZ/DAZ, exception masks).
TEST_P(Kernels, LeaveFloatingPointControlAlone) {
  std::fenv_t before, after;
  ASSERT_EQ(std::fegetenv(&before), 0);
#if defined(__x86_64__)
  const unsigned csr_before = _mm_getcsr() & ~0x3fu;  // control bits only, not the sticky flags
#endif
  for (const Call& c : calls()) {
    std::vector<float> a = inputs(c.op, 4096, 3, true), b = inputs(c.op, 4096, 4, false), o(4096);
    ASSERT_EQ(c.run(a.data(), b.data(), o.data(), 4096, c.rows ? 64 : 0), SIMDACT_OK);
    ASSERT_EQ(std::fegetround(), FE_TONEAREST) << c.op << "/" << isa();
#if defined(__x86_64__)
    ASSERT_EQ(_mm_getcsr() & ~0x3fu, csr_before) << c.op << "/" << isa() << " changed MXCSR";
#endif
  }
  ASSERT_EQ(std::fegetenv(&after), 0);
  ASSERT_EQ(std::fesetenv(&before), 0);
}

SIMDACT_INSTANTIATE_ISAS(Kernels);

}  // namespace
}  // namespace simdact_test
