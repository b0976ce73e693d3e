// Softmax forward on every ISA: the edge rows of the contract, the relative error of every output
// >= FLT_MIN against the double formula (<= 2e-6, rows up to 32768 long), and row sums within 1e-5.
#include <cstdint>
#include <cstdio>

#include "tests/util.hpp"

namespace simdact_test {
namespace {

// The formula in double: each row minus its max, exp, divided by the sum.
std::vector<double> softmax_ref(const std::vector<float>& x, std::size_t rows, std::size_t cols) {
  std::vector<double> y(x.size());
  for (std::size_t r = 0; r < rows; ++r) {
    double m = -INFINITY, sum = 0.0;
    for (std::size_t j = 0; j < cols; ++j) m = std::max(m, static_cast<double>(x[r * cols + j]));
    for (std::size_t j = 0; j < cols; ++j) sum += y[r * cols + j] = std::exp(static_cast<double>(x[r * cols + j]) - m);
    for (std::size_t j = 0; j < cols; ++j) y[r * cols + j] /= sum;
  }
  return y;
}

class Softmax : public IsaTest {
 protected:
  std::vector<float> run(const std::vector<float>& x, std::size_t rows, std::size_t cols) {
    std::vector<float> y(x.size(), 777.0f);
    EXPECT_EQ(simdact_softmax_f32(x.data(), y.data(), rows, cols), SIMDACT_OK);
    return y;
  }
  // Relative error of outputs >= FLT_MIN, and |row sum - 1|; returns the max relative error.
  double check_accuracy(const std::vector<float>& x, std::size_t rows, std::size_t cols, const char* what) {
    const std::vector<float> y = run(x, rows, cols);
    const std::vector<double> ref = softmax_ref(x, rows, cols);
    double max_rel = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
      double sum = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        sum += y[j];
        if (ref[j] >= 0x1p-126) max_rel = std::max(max_rel, std::fabs(y[j] - ref[j]) / ref[j]);
        else EXPECT_LE(std::fabs(y[j] - ref[j]), 4 * 0x1p-149) << isa() << " " << what << " subnormal output " << j;
      }
      EXPECT_NEAR(sum, 1.0, 1e-5) << isa() << " " << what << " row " << r;
    }
    EXPECT_LE(max_rel, 2e-6) << isa() << " " << what;
    return max_rel;
  }
};

TEST_P(Softmax, RelativeErrorAndRowSums) {
  double worst[4] = {0, 0, 0, 0};
  for (std::size_t cols : {1u, 2u, 10u, 31u, 128u, 1000u, 4099u, 32768u}) {
    const std::size_t rows = std::max<std::size_t>(1, 65536 / cols);
    worst[0] = std::max(worst[0], check_accuracy(uniform(rows * cols, -10.0f, 10.0f, 11 + cols), rows, cols, "U(-10,10)"));
    // Rounding x - max costs up to 4e-6 here unless its low part is carried (TwoSum).
    worst[1] = std::max(worst[1], check_accuracy(uniform(rows * cols, -100.0f, 100.0f, 12 + cols), rows, cols, "U(-100,100)"));
    worst[2] = std::max(worst[2], check_accuracy(uniform(rows * cols, 1000.0f, 1010.0f, 13 + cols), rows, cols, "U(1000,1010)"));
    // Rows whose max - min is just below 32 take the path without the carry (x - max rounded):
    // its worst case, |x - max| near 32.
    worst[3] = std::max(worst[3], check_accuracy(uniform(rows * cols, -15.99f, 15.99f, 14 + cols), rows, cols, "U(-15.99,15.99)"));
  }
  std::printf("softmax/%s: max relative error %.3g on U(-10,10), %.3g on U(-100,100), %.3g on U(1000,1010), "
              "%.3g on U(-15.99,15.99); cols 1..32768\n", isa(), worst[0], worst[1], worst[2], worst[3]);
}

TEST_P(Softmax, EdgeRows) {
  const float inf = INFINITY, nan = std::numeric_limits<float>::quiet_NaN();
  // One column gives 1, also for huge and tiny values.
  for (float v : {0.0f, -3.4e38f, 3.4e38f, 1e-40f, -87.0f}) {
    const std::vector<float> y = run({v}, 1, 1);
    EXPECT_EQ(y[0], 1.0f) << isa() << " softmax([" << v << "])";
  }
  for (std::size_t cols : {3u, 17u, 100u, 1000u}) {
    // All equal: 1/cols each.
    std::vector<float> y = run(std::vector<float>(cols, 42.0f), 1, cols);
    for (float v : y) EXPECT_NEAR(v, 1.0 / cols, 1.0 / cols * 2e-6) << isa() << " equal row, cols " << cols;
    // -inf entries give exactly 0; the rest is the softmax of the finite entries.
    std::vector<float> x = uniform(cols, -5.0f, 5.0f, 7);
    for (std::size_t j = 0; j < cols; j += 2) x[j] = -inf;
    y = run(x, 1, cols);
    const std::vector<double> ref = softmax_ref(x, 1, cols);
    for (std::size_t j = 0; j < cols; ++j) {
      if (j % 2 == 0) EXPECT_EQ(to_bits(y[j]), 0u) << isa() << " softmax at a -inf entry";
      else EXPECT_LE(std::fabs(y[j] - ref[j]), 2e-6 * ref[j]) << isa();
    }
    // Huge values: x - max overflows to -inf for the far entries; no NaN, the max entry gets 1.
    x.assign(cols, -3.4e38f);
    x[cols / 2] = 3.4e38f;
    y = run(x, 1, cols);
    for (std::size_t j = 0; j < cols; ++j) EXPECT_EQ(y[j], j == cols / 2 ? 1.0f : 0.0f) << isa() << " huge row";
    // Rows with NaN or +inf, and rows of all -inf, are NaN in every entry; the other rows are unaffected.
    for (float bad : {nan, inf, -nan}) {
      x = uniform(3 * cols, -5.0f, 5.0f, 9);
      x[cols + cols / 3] = bad;
      y = run(x, 3, cols);
      for (std::size_t j = 0; j < 3 * cols; ++j) {
        if (j / cols == 1) EXPECT_TRUE(std::isnan(y[j])) << isa() << " row holding " << bad << ", entry " << j;
        else EXPECT_FALSE(std::isnan(y[j])) << isa() << " clean row next to one holding " << bad;
      }
    }
    y = run(std::vector<float>(cols, -inf), 1, cols);
    for (float v : y) EXPECT_TRUE(std::isnan(v)) << isa() << " all -inf row";
  }
}

TEST_P(Softmax, AgreesWithOracleOnLongRows) {
  const std::size_t cols = 32768, rows = 4;
  const std::vector<float> x = uniform(rows * cols, -30.0f, 30.0f, 5);
  const std::vector<float> y = run(x, rows, cols);
  std::vector<float> o(x.size());
  oracle([&] { ASSERT_EQ(simdact_softmax_f32(x.data(), o.data(), rows, cols), SIMDACT_OK); });
  for (std::size_t j = 0; j < x.size(); ++j)
    ASSERT_LE(std::fabs(y[j] - o[j]), 2e-6 * o[j] + 4 * 0x1p-149) << isa() << " entry " << j;
}

// The edge rows of the contract inside groups of eight short rows (AVX2 takes rows of 2 to 15 eight at
// a time, one per lane): each special row as on its own, the clean rows beside them unaffected and
// within the bound; 11 rows, so the last three take the row-wise path.
TEST_P(Softmax, EdgeRowsInGroupsOfEight) {
  const float inf = INFINITY, nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t cols : {2u, 3u, 10u, 15u, 16u}) {
    const std::size_t rows = 11;
    std::vector<float> x = uniform(rows * cols, -5.0f, 5.0f, 31 + cols);
    float* r1 = &x[1 * cols];
    for (std::size_t j = 0; j < cols; j += 2) r1[j] = -inf;           // row 1: -inf entries
    float* r2 = &x[2 * cols];
    for (std::size_t j = 0; j < cols; ++j) r2[j] = j == cols / 2 ? 3.4e38f : -3.4e38f;  // row 2: huge
    x[3 * cols + cols / 3] = nan;                                      // row 3: NaN
    x[4 * cols + cols - 1] = inf;                                      // row 4: +inf
    x[5 * cols] = -nan;                                                // row 5: -NaN
    for (std::size_t j = 0; j < cols; ++j) x[6 * cols + j] = -inf;    // row 6: all -inf
    for (std::size_t j = 0; j < cols; ++j) x[7 * cols + j] = 42.0f;   // row 7: all equal
    for (std::size_t j = 0; j < cols; ++j) x[9 * cols + j] = -100.0f + 200.0f * j / cols;  // row 9: max - min >= 32
    const std::vector<float> y = run(x, rows, cols);
    const std::vector<double> ref = softmax_ref(x, rows, cols);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t j = 0; j < cols; ++j) {
        const float v = y[r * cols + j];
        if (r >= 3 && r <= 6) {
          EXPECT_TRUE(std::isnan(v)) << isa() << " cols " << cols << ", special row " << r << ", entry " << j;
        } else if (r == 1 && j % 2 == 0) {
          EXPECT_EQ(to_bits(v), 0u) << isa() << " cols " << cols << ": a -inf entry";
        } else if (r == 2) {
          EXPECT_EQ(v, j == cols / 2 ? 1.0f : 0.0f) << isa() << " cols " << cols << ": huge row";
        } else {
          const double want = ref[r * cols + j];
          if (want >= FLT_MIN) EXPECT_LE(std::fabs(v - want), 2e-6 * want) << isa() << " cols " << cols << ", row " << r;
          else EXPECT_LE(v, FLT_MIN) << isa() << " cols " << cols << ", row " << r;
        }
      }
    }
    // log-softmax of the same rows (AVX2 and AVX-512 group them alike): NaN rows, -inf entries exact, the clean
    // rows within 2 ULP of max(|y|, 1).
    std::vector<float> ly(rows * cols);
    ASSERT_EQ(simdact_log_softmax_f32(x.data(), ly.data(), rows, cols), SIMDACT_OK);
    for (std::size_t r = 0; r < rows; ++r) {
      if (r == 2) continue;  // the huge row: x - max beyond the float range
      double m = -INFINITY, sum = 0.0;
      for (std::size_t j = 0; j < cols; ++j) m = std::max(m, static_cast<double>(x[r * cols + j]));
      for (std::size_t j = 0; j < cols; ++j) sum += std::exp(static_cast<double>(x[r * cols + j]) - m);
      for (std::size_t j = 0; j < cols; ++j) {
        const float v = ly[r * cols + j];
        const double want = static_cast<double>(x[r * cols + j]) - m - std::log(sum);
        if (r >= 3 && r <= 6) EXPECT_TRUE(std::isnan(v)) << isa() << " log_softmax cols " << cols << ", special row " << r;
        else if (r == 1 && j % 2 == 0) EXPECT_EQ(v, -INFINITY) << isa() << " log_softmax cols " << cols << ": a -inf entry";
        else EXPECT_LE(std::fabs(v - want), 2.0 * std::ldexp(1.0, std::ilogb(std::max(std::fabs(want), 1.0)) - 23))
                 << isa() << " log_softmax cols " << cols << ", row " << r;
      }
    }
    // softmax_backward of eleven rows (AVX2 and AVX-512 take 2 to 15 columns eight rows at a time): against the
    // oracle's formula, s = sum(dy*y) in double rounded to float, then y * (dy - s) in float. Special
    // rows: NaN in dy, +inf in y, and a row whose float partial sums overflow while the double sum is
    // finite (3e38 + 3e38 - 3e38: the kernels redo non-finite sums in double, as the oracle).
    std::vector<float> p = uniform(rows * cols, 0.0f, 1.0f, 41 + cols), g = uniform(rows * cols, -1.0f, 1.0f, 43 + cols);
    g[1 * cols + cols / 2] = nan;
    p[2 * cols + cols - 1] = inf;
    for (std::size_t j = 0; j < cols; ++j) {
      p[3 * cols + j] = j < 3 ? 1.0f : 0.0f;
      g[3 * cols + j] = j == 2 ? -3e38f : 3e38f;
    }
    std::vector<float> d(rows * cols, 777.0f);
    ASSERT_EQ(simdact_softmax_backward_f32(p.data(), g.data(), d.data(), rows, cols), SIMDACT_OK);
    for (std::size_t r = 0; r < rows; ++r) {
      double s = 0.0, mag = 0.0;
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        s += static_cast<double>(g[j]) * p[j];
        mag += std::fabs(static_cast<double>(g[j]) * p[j]);
      }
      const float sf = static_cast<float>(s);
      for (std::size_t j = r * cols; j < (r + 1) * cols; ++j) {
        const float want = p[j] * (g[j] - sf), v = d[j];
        if (!std::isfinite(sf) || r == 3) {
          EXPECT_TRUE(std::isnan(want) ? std::isnan(v) : v == want)
              << isa() << " softmax_backward cols " << cols << ", special row " << r << ", entry " << j - r * cols
              << ": " << v << " for " << want;
        } else {
          const double tol = std::fabs(p[j]) * (mag * 0x1p-21 + (std::fabs(g[j]) + std::fabs(s)) * 0x1p-22);
          EXPECT_LE(std::fabs(v - (static_cast<double>(p[j]) * (g[j] - s))), tol)
              << isa() << " softmax_backward cols " << cols << ", row " << r << ", entry " << j - r * cols;
        }
      }
    }
  }
}

// Outputs of 16 MiB and more with rows of 256 to 2048 take the non-temporal store path on x86 (exponentials
// in a stack buffer, y written once); shorter rows go two at a time. Both must give bit for bit what
// one-row calls give where the per-row arithmetic is the same (the streamed rows), stay within the
// bound, and write nothing outside y (y starts 4 bytes past a 64-byte line, so every row has
// partial lines at both ends).
TEST_P(Softmax, LargeOutputsAndRowPairs) {
  const bool streams = GetParam() == SIMDACT_ISA_AVX2 || GetParam() == SIMDACT_ISA_AVX512;
  for (std::size_t cols : {256u, 1000u, 2048u, 2049u}) {
    if (!streams) break;  // no non-temporal path on this ISA
    const std::size_t rows = (std::size_t{16} << 20) / sizeof(float) / cols + 3;
    const std::vector<float> x = uniform(rows * cols, -20.0f, 20.0f, 21 + cols);
    std::vector<float> buf(rows * cols + 32, 555.0f);
    float* y = buf.data() + 1 + (16 - reinterpret_cast<std::uintptr_t>(buf.data()) / 4 % 16);
    ASSERT_EQ(simdact_softmax_f32(x.data(), y, rows, cols), SIMDACT_OK);
    for (float* p = buf.data(); p < y; ++p) ASSERT_EQ(*p, 555.0f) << isa() << " written before y";
    for (float* p = y + rows * cols; p < buf.data() + buf.size(); ++p) ASSERT_EQ(*p, 555.0f) << isa() << " written after y";
    std::vector<float> one(cols);
    for (std::size_t r = 0; r < rows; r += 97) {
      ASSERT_EQ(simdact_softmax_f32(x.data() + r * cols, one.data(), 1, cols), SIMDACT_OK);
      for (std::size_t j = 0; j < cols; ++j) ASSERT_EQ(to_bits(y[r * cols + j]), to_bits(one[j])) << isa() << " cols " << cols << " row " << r;
    }
  }
  // Pairs of short rows: each within the bound of the reference and equal to one-row calls to ~1 ULP
  // (the sum is accumulated in a different order).
  for (std::size_t cols : {1u, 5u, 16u, 33u, 128u, 511u}) {
    const std::size_t rows = 7;
    const std::vector<float> x = uniform(rows * cols, -60.0f, 60.0f, 31 + cols);  // max - min >= 32: carried
    std::vector<float> y(rows * cols), one(cols);
    ASSERT_EQ(simdact_softmax_f32(x.data(), y.data(), rows, cols), SIMDACT_OK);
    const std::vector<double> ref = softmax_ref(x, rows, cols);
    for (std::size_t j = 0; j < rows * cols; ++j) {
      if (ref[j] >= 0x1p-126) {
        ASSERT_LE(std::fabs(y[j] - ref[j]), 2e-6 * ref[j]) << isa() << " cols " << cols << " entry " << j;
      }
    }
    for (std::size_t r = 0; r < rows; ++r) {
      ASSERT_EQ(simdact_softmax_f32(x.data() + r * cols, one.data(), 1, cols), SIMDACT_OK);
      for (std::size_t j = 0; j < cols; ++j)
        ASSERT_LE(std::fabs(y[r * cols + j] - one[j]), 2.5e-7 * one[j] + 0x1p-149) << isa() << " cols " << cols << " row " << r;
    }
  }
}

SIMDACT_INSTANTIATE_ISAS(Softmax);

// ---------------------------------------------------------------------------------------------
// Strided rows (simdact_softmax_strided_f32, simdact_log_softmax_strided_f32): the padding between
// rows holds NaN in x (a read would turn the row into NaN) and a sentinel in y (a write would show);
// results bit-identical to the contiguous call on the same rows; ld < cols rejected, nothing written;
// in place with the same ld; overlapping element sets rejected, disjoint column blocks accepted.
using strided_fn = simdact_status (*)(const float*, size_t, float*, size_t, size_t, size_t);
using rows_fn = simdact_status (*)(const float*, float*, size_t, size_t);

class Strided : public IsaTest {};

TEST_P(Strided, PaddingNeverReadOrWrittenSameBitsAsContiguous) {
  const struct {
    const char* name;
    strided_fn strided;
    rows_fn plain;
  } ops[] = {{"softmax", simdact_softmax_strided_f32, simdact_softmax_f32},
             {"log_softmax", simdact_log_softmax_strided_f32, simdact_log_softmax_f32}};
  for (const auto& op : ops) {
    for (std::size_t cols : {1u, 7u, 16u, 33u, 300u, 1000u}) {
      for (std::size_t pad : {0u, 1u, 5u, 17u}) {
        for (std::size_t rows : {1u, 2u, 5u}) {
          const std::size_t ldx = cols + pad, ldy = cols + (pad * 3) % 7;
          const std::vector<float> dense = uniform(rows * cols, -20.0f, 20.0f, static_cast<uint32_t>(cols + pad + rows));
          std::vector<float> x(rows * ldx + 3, NAN), y(rows * ldy + 3, 777.0f), want(rows * cols);
          for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < cols; ++j) x[r * ldx + j] = dense[r * cols + j];
          ASSERT_EQ(op.strided(x.data(), ldx, y.data(), ldy, rows, cols), SIMDACT_OK);
          ASSERT_EQ(op.plain(dense.data(), want.data(), rows, cols), SIMDACT_OK);
          for (std::size_t i = 0; i < y.size(); ++i) {
            const std::size_t r = i / ldy, j = i % ldy;
            if (r < rows && j < cols) {
              ASSERT_EQ(to_bits(y[i]), to_bits(want[r * cols + j]))
                  << op.name << "/" << isa() << " rows " << rows << " cols " << cols << " ldx " << ldx << " ldy " << ldy;
            } else {
              ASSERT_EQ(y[i], 777.0f) << op.name << "/" << isa() << " wrote padding at " << i << ", cols " << cols << " ldy " << ldy;
            }
          }
          // In place: x == y, ldx == ldy.
          std::vector<float> z = x;
          ASSERT_EQ(op.strided(z.data(), ldx, z.data(), ldx, rows, cols), SIMDACT_OK);
          for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < cols; ++j) ASSERT_EQ(to_bits(z[r * ldx + j]), to_bits(want[r * cols + j]));
          for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = cols; j < ldx && r * ldx + j < z.size(); ++j) ASSERT_TRUE(std::isnan(z[r * ldx + j]));
        }
      }
    }
  }
}

TEST_P(Strided, BadStridesAndOverlapsRejected) {
  for (strided_fn f : {simdact_softmax_strided_f32, simdact_log_softmax_strided_f32}) {
    std::vector<float> m(4 * 16, 1.0f), out(4 * 16, 777.0f);
    // ld < cols: rejected, nothing written (also for one row, and for rows == 0).
    EXPECT_EQ(f(m.data(), 7, out.data(), 8, 4, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(f(m.data(), 8, out.data(), 7, 1, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(f(m.data(), 7, out.data(), 8, 0, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    for (float v : out) ASSERT_EQ(v, 777.0f);
    // Empty: OK, NULL allowed.
    EXPECT_EQ(f(nullptr, 8, nullptr, 8, 0, 8), SIMDACT_OK);
    EXPECT_EQ(f(nullptr, 8, nullptr, 8, 3, 0), SIMDACT_OK);
    EXPECT_EQ(f(nullptr, 8, out.data(), 8, 3, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    // Two column blocks of one 4 x 16 matrix: x = columns 0..7, y = columns 8..15 (disjoint): OK.
    EXPECT_EQ(f(m.data(), 16, m.data() + 8, 16, 4, 8), SIMDACT_OK);
    // y shifted by 4 floats: its rows share columns 4..7 with x's: rejected, nothing written.
    std::vector<float> before = m;
    EXPECT_EQ(f(m.data(), 16, m.data() + 4, 16, 4, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    // y shifted by 12: its rows end in the next row of x (columns 0..3): rejected.
    EXPECT_EQ(f(m.data(), 16, m.data() + 12, 16, 4, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    // y shifted by one row: rejected (rows 1..3 shared); in place needs x == y.
    EXPECT_EQ(f(m.data(), 16, m.data() + 16, 16, 3, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    // Different lds whose spans meet: rejected (conservative).
    EXPECT_EQ(f(m.data(), 16, m.data() + 8, 12, 3, 8), SIMDACT_ERR_INVALID_ARGUMENT);
    for (std::size_t i = 0; i < m.size(); ++i) ASSERT_EQ(to_bits(m[i]), to_bits(before[i]));
  }
}

SIMDACT_INSTANTIATE_ISAS(Strided);

// ---------------------------------------------------------------------------------------------
// log-softmax: absolute error <= 2 ULP of max(|y|, 1) against x - m - log(sum) in double (printed for
// README), -inf entries give -inf exactly, one column gives 0, NaN/+inf/all -inf rows give NaN.
class LogSoftmax : public IsaTest {};

TEST_P(LogSoftmax, AbsoluteErrorAndSpecialRows) {
  double worst = 0.0;
  for (const auto& range : {std::pair<float, float>{-10, 10}, {-100, 100}, {-1e4f, 1e4f}, {1000, 1010}, {-1e30f, 1e30f}}) {
    for (std::size_t cols : {1u, 2u, 10u, 128u, 1000u, 32768u}) {
      const std::size_t rows = cols >= 32768 ? 2 : 7;
      const std::vector<float> x = uniform(rows * cols, range.first, range.second, static_cast<uint32_t>(cols));
      std::vector<float> y(x.size());
      ASSERT_EQ(simdact_log_softmax_f32(x.data(), y.data(), rows, cols), SIMDACT_OK);
      for (std::size_t r = 0; r < rows; ++r) {
        double m = -INFINITY, sum = 0.0;
        for (std::size_t j = 0; j < cols; ++j) m = std::max(m, static_cast<double>(x[r * cols + j]));
        for (std::size_t j = 0; j < cols; ++j) sum += std::exp(static_cast<double>(x[r * cols + j]) - m);
        for (std::size_t j = 0; j < cols; ++j) {
          const double ref = (static_cast<double>(x[r * cols + j]) - m) - std::log(sum);
          const double unit = std::ldexp(1.0, std::ilogb(std::max(std::fabs(ref), 1.0)) - 23);
          const double e = std::fabs(y[r * cols + j] - ref) / unit;
          worst = std::max(worst, e);
          ASSERT_LE(e, 2.0) << isa() << " cols " << cols << " x in [" << range.first << ", " << range.second << "]";
        }
      }
    }
  }
  std::printf("log_softmax/%s: max absolute error %.3f ULP of max(|y|, 1)\n", isa(), worst);
  const float inf = INFINITY;
  std::vector<float> x = {1.0f, -inf, 3.0f, 2.0f, 5.0f}, y(5);
  ASSERT_EQ(simdact_log_softmax_f32(x.data(), y.data(), 1, 5), SIMDACT_OK);
  EXPECT_EQ(y[1], -inf);
  x = {42.0f};
  ASSERT_EQ(simdact_log_softmax_f32(x.data(), y.data(), 1, 1), SIMDACT_OK);
  EXPECT_EQ(y[0], 0.0f);
  for (const std::vector<float>& row : {std::vector<float>{1.0f, NAN, 2.0f}, std::vector<float>{1.0f, inf, 2.0f},
                                        std::vector<float>{-inf, -inf, -inf}}) {
    std::vector<float> out(3);
    ASSERT_EQ(simdact_log_softmax_f32(row.data(), out.data(), 1, 3), SIMDACT_OK);
    for (float v : out) EXPECT_TRUE(std::isnan(v)) << isa();
  }
}

SIMDACT_INSTANTIATE_ISAS(LogSoftmax);

}  // namespace
}  // namespace simdact_test
