// sigmoid and tanh accuracy on every ISA: 2^24 inputs spread over the whole float range (every 256th
// bit pattern) plus 2^22 uniform inputs where the functions are not saturated, against the formula in
// double precision; the special values of the contract; and the scalar oracle against the double
// formula (it rounds once, so it must be within 0.5 ULP).
#include <cstdio>
#include <cstdlib>

#include "tests/util.hpp"

namespace simdact_test {
namespace {

struct Sweep {
  std::vector<float> x;
  std::vector<double> sigmoid, tanh;
};

// Computed once per process for all ISAs. Under qemu (.ci/emulated-x86 sets SIMDACT_EXPECT_DETECTED)
// every 16th of it: the emulated run checks that the dispatched code runs there, the native run (the
// same machine code) takes the whole sample and the exhaustive test every input; the full sample took
// ~100 s per op and ISA under qemu's soft float.
const Sweep& sweep() {
  static const Sweep s = [] {
    const char* emulated = std::getenv("SIMDACT_EXPECT_DETECTED");
    const uint32_t step = emulated != nullptr && *emulated != '\0' ? 16 : 1;
    Sweep w;
    for (uint32_t i = 0; i < (1u << 24); i += step) {
      const float x = from_bits(i * 256u + (i % 256u));  // every 256th pattern, low bits varied
      if (!std::isnan(x)) w.x.push_back(x);
    }
    const std::vector<float> dense = uniform((1u << 22) / step, -20.0f, 20.0f, 2024);
    w.x.insert(w.x.end(), dense.begin(), dense.end());
    for (float x : w.x) {
      w.sigmoid.push_back(sigmoid_ref(x));
      w.tanh.push_back(tanh_ref(x));
    }
    return w;
  }();
  return s;
}

// The bounds: the accurate tier 2 ULP, the fast tier 4 ULP (units of 2^-149 for subnormal results,
// where the accurate tier allows 4 and the fast sigmoid may flush to +0); the oracle rounds a double
// result once, so 0.5 ULP plus the double's own error (~2^-29 float ULP).
enum class Tier { accurate, fast };
double bound(simdact_isa isa, Tier tier) {
  if (isa == SIMDACT_ISA_SCALAR) return 0.5 + 0x1p-20;
  return tier == Tier::accurate ? 2.0 : 4.0;
}
double bound(simdact_isa isa) { return bound(isa, Tier::accurate); }

class Accuracy : public IsaTest {
 protected:
  // Max ULP error over the sweep, separately for normal results (the tier's bound) and for subnormal
  // ones (units of 2^-149: 4 allowed; the fast sigmoid may flush them to +0 instead).
  void run(const char* op, simdact_status (*fn)(const float*, float*, size_t), const std::vector<double>& ref,
           Tier tier = Tier::accurate, bool may_flush = false) {
    const Sweep& s = sweep();
    std::vector<float> y(s.x.size());
    ASSERT_EQ(fn(s.x.data(), y.data(), y.size()), SIMDACT_OK);
    double max_err = 0.0, max_sub = 0.0, sum = 0.0;
    std::size_t at = 0, at_sub = 0, counted = 0, flushed = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      ASSERT_TRUE(std::isfinite(y[i])) << op << "/" << isa() << "(" << s.x[i] << ") = " << y[i];
      const double e = ulp_error(y[i], ref[i]);
      if (std::fabs(ref[i]) < 0x1p-126) {
        if (may_flush && y[i] == 0.0f) {
          ++flushed;
          continue;
        }
        if (e > max_sub) max_sub = e, at_sub = i;
        continue;
      }
      if (e > max_err) max_err = e, at = i;
      sum += e;
      ++counted;
    }
    std::printf("%s/%s: max %.3f ULP at x = %.9g (0x%08x), mean %.4f ULP over %zu normal results; "
                "subnormal results: max %.2f x 2^-149%s\n",
                op, isa(), max_err, s.x[at], to_bits(s.x[at]), sum / counted, counted, max_sub,
                flushed ? (", " + std::to_string(flushed) + " flushed to +0").c_str() : "");
    RecordProperty("max_ulp", std::to_string(max_err));
    EXPECT_LE(max_err, bound(GetParam(), tier)) << op << "/" << isa() << " at x = " << s.x[at] << ": got " << y[at]
                                                << ", exact " << ref[at];
    EXPECT_LE(max_sub, GetParam() == SIMDACT_ISA_SCALAR ? bound(GetParam(), tier) : 4.0)
        << op << "/" << isa() << " subnormal result at x = " << s.x[at_sub] << ": got " << y[at_sub] << ", exact "
        << ref[at_sub];
  }
};

TEST_P(Accuracy, SigmoidUlp) { run("sigmoid", simdact_sigmoid_f32, sweep().sigmoid); }
TEST_P(Accuracy, TanhUlp) { run("tanh", simdact_tanh_f32, sweep().tanh); }
TEST_P(Accuracy, SigmoidFastUlp) { run("sigmoid_fast", simdact_sigmoid_fast_f32, sweep().sigmoid, Tier::fast, true); }
TEST_P(Accuracy, TanhFastUlp) { run("tanh_fast", simdact_tanh_fast_f32, sweep().tanh, Tier::fast); }

// Results of normal size are never flushed: the smallest normal results and the subnormal range.
TEST_P(Accuracy, SigmoidNoFlushNearFltMin) {
  std::vector<float> x;
  for (float v = -87.0f; v > -104.5f; v = std::nextafter(v, -200.0f)) x.push_back(v);
  std::vector<float> y(x.size());
  ASSERT_EQ(simdact_sigmoid_f32(x.data(), y.data(), x.size()), SIMDACT_OK);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ref = sigmoid_ref(x[i]);
    if (ref >= 0x1p-126) {
      ASSERT_GE(y[i], 0x1p-126f) << isa() << " flushed sigmoid(" << x[i] << ")";
    }
    ASSERT_LE(ulp_error(y[i], ref), bound(GetParam())) << isa() << " sigmoid(" << x[i] << ") = " << y[i];
  }
  // The fast tier may flush results below FLT_MIN, and only those: every float from -87 to -104.5.
  ASSERT_EQ(simdact_sigmoid_fast_f32(x.data(), y.data(), x.size()), SIMDACT_OK);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ref = sigmoid_ref(x[i]);
    if (static_cast<float>(ref) >= 0x1p-126f) {
      ASSERT_GE(y[i], 0x1p-126f) << isa() << " sigmoid_fast flushed the normal result of x = " << x[i];
    }
    if (y[i] != 0.0f) {
      ASSERT_LE(ulp_error(y[i], ref), bound(GetParam(), Tier::fast)) << isa() << " sigmoid_fast(" << x[i] << ")";
    }
  }
}

struct Special {
  float x, sigmoid, tanh;
};

TEST_P(Accuracy, SpecialValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Special cases[] = {
      {INFINITY, 1.0f, 1.0f},       {-INFINITY, 0.0f, -1.0f},       {0.0f, 0.5f, 0.0f},
      {-0.0f, 0.5f, -0.0f},         {3.4e38f, 1.0f, 1.0f},          {-3.4e38f, 0.0f, -1.0f},
      {1e-40f, 0.5f, 1e-40f},       {-1e-40f, 0.5f, -1e-40f},       {0x1p-149f, 0.5f, 0x1p-149f},
      {20.0f, 1.0f, 1.0f},          {-200.0f, 0.0f, -1.0f},         {nan, nan, nan},
      {-nan, nan, nan},             {from_bits(0x7f800001u), nan, nan},
  };
  for (const Special& c : cases) {
    // Each value alone (tail path) and in a full vector (vector path).
    for (std::size_t n : {std::size_t{1}, std::size_t{64}}) {
      std::vector<float> x(n, c.x), s(n), t(n);
      ASSERT_EQ(simdact_sigmoid_f32(x.data(), s.data(), n), SIMDACT_OK);
      ASSERT_EQ(simdact_tanh_f32(x.data(), t.data(), n), SIMDACT_OK);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_TRUE(to_bits(s[i]) == to_bits(c.sigmoid) || (std::isnan(c.sigmoid) && std::isnan(s[i])))
            << isa() << " sigmoid(" << c.x << ") = " << s[i] << ", want " << c.sigmoid;
        EXPECT_TRUE(to_bits(t[i]) == to_bits(c.tanh) || (std::isnan(c.tanh) && std::isnan(t[i])))
            << isa() << " tanh(" << c.x << ") = " << t[i] << ", want " << c.tanh;
      }
    }
  }
}

// NaN in -> NaN out and the ReLU family's special values (exact ops: the formula in f32).
TEST_P(Accuracy, ReluFamilySpecialValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float x[] = {nan, INFINITY, -INFINITY, 0.0f, -0.0f, 2.5f, -2.5f, 1e-40f, -1e-40f};
  const float relu[] = {nan, INFINITY, 0.0f, 0.0f, 0.0f, 2.5f, 0.0f, 1e-40f, 0.0f};
  const float slope = 0.01f, dy3 = 3.0f;  // products computed in f32, as the kernels do
  const float leaky[] = {nan, INFINITY, -INFINITY, 0.0f, -0.0f, 2.5f, slope * -2.5f, 1e-40f, slope * -1e-40f};
  const float drelu[] = {nan, 3.0f, 0.0f, 0.0f, 0.0f, 3.0f, 0.0f, 3.0f, 0.0f};    // dy = 3
  const float ds = dy3 * slope;
  const float dleaky[] = {nan, 3.0f, ds, ds, ds, 3.0f, ds, 3.0f, ds};
  const std::size_t n = sizeof x / sizeof x[0];
  std::vector<float> dy(n, dy3), y(n), d(n);
  auto same = [](float a, float b) { return to_bits(a) == to_bits(b) || (std::isnan(a) && std::isnan(b)); };
  ASSERT_EQ(simdact_relu_f32(x, y.data(), n), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(same(y[i], relu[i])) << isa() << " relu(" << x[i] << ") = " << y[i];
  ASSERT_EQ(simdact_leaky_relu_f32(x, y.data(), n, slope), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(same(y[i], leaky[i])) << isa() << " leaky(" << x[i] << ") = " << y[i];
  ASSERT_EQ(simdact_relu_backward_f32(x, dy.data(), d.data(), n), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(same(d[i], drelu[i])) << isa() << " relu'(" << x[i] << ") = " << d[i];
  ASSERT_EQ(simdact_leaky_relu_backward_f32(x, dy.data(), d.data(), n, slope), SIMDACT_OK);
  for (std::size_t i = 0; i < n; ++i)
    EXPECT_TRUE(same(d[i], dleaky[i])) << isa() << " leaky'(" << x[i] << ") = " << d[i];
  // NaN in dy propagates through every backward op.
  std::vector<float> ones(n, 0.5f), nans(n, nan);
  for (auto fn : {simdact_sigmoid_backward_f32, simdact_tanh_backward_f32, simdact_relu_backward_f32}) {
    ASSERT_EQ(fn(ones.data(), nans.data(), d.data(), n), SIMDACT_OK);
    for (float v : d) EXPECT_TRUE(std::isnan(v)) << isa();
  }
}

SIMDACT_INSTANTIATE_ISAS(Accuracy);

}  // namespace
}  // namespace simdact_test
