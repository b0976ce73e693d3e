/* The public header is plain C11: this translation unit (compiled with -std=c11 -pedantic -Werror)
 * includes it and calls every function with small valid buffers. Exit status 0 on success. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "simdact/simdact.h"

static int g_checks = 0;
static int g_failures = 0;

static void check(int ok, const char* what, int line) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    fprintf(stderr, "c11_api.c:%d: check failed: %s\n", line, what);
  }
}
#define CHECK(cond) check((cond) ? 1 : 0, #cond, __LINE__)

/* |a - b| <= tol * max(1, |b|) */
static int near(float a, float b, float tol) {
  const float scale = fabsf(b) > 1.0f ? fabsf(b) : 1.0f;
  return fabsf(a - b) <= tol * scale;
}

#define N 5

static void check_isa_calls(void) {
  const simdact_isa start = simdact_active_isa();
  simdact_isa isa;
  CHECK(simdact_isa_supported(start) == 1);
  /* every ISA of the list (dispatch/isa_list.inc) has its name, compiled in or not */
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) CHECK(strcmp(simdact_isa_name(value), #name) == 0);
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
  isa = (simdact_isa)42; /* any int is a valid argument from C */
  CHECK(strcmp(simdact_isa_name(isa), "unknown") == 0);
  CHECK(simdact_isa_supported(isa) == 0);
  CHECK(simdact_set_isa(isa) == SIMDACT_ERR_UNSUPPORTED_ISA);
  CHECK(simdact_active_isa() == start);
  CHECK(simdact_isa_supported(SIMDACT_ISA_SCALAR) == 1);
  CHECK(simdact_set_isa(SIMDACT_ISA_SCALAR) == SIMDACT_OK);
  CHECK(simdact_active_isa() == SIMDACT_ISA_SCALAR);
  CHECK(simdact_set_isa(start) == SIMDACT_OK);
  CHECK(simdact_active_isa() == start);
  {
    const char* v = simdact_version();
    unsigned major = 0, minor = 0, patch = 0;
    char tail = 0;
    CHECK(v != NULL);
    CHECK(v != NULL && sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &tail) == 3);
  }
}

/* Every kernel on the active ISA, with values from the formulas in simdact.h. */
static void check_kernels(void) {
  const float x[N] = {0.0f, -1.0f, 2.0f, -0.5f, 3.0f};
  const float dy[N] = {1.0f, -2.0f, 0.5f, 4.0f, -1.5f};
  float y[N], dx[N];
  int i;

  CHECK(simdact_sigmoid_f32(x, y, N) == SIMDACT_OK);
  CHECK(y[0] == 0.5f);
  for (i = 0; i < N; ++i) CHECK(near(y[i], (float)(1.0 / (1.0 + exp(-(double)x[i]))), 1e-6f));
  CHECK(simdact_sigmoid_backward_f32(y, dy, dx, N) == SIMDACT_OK);
  for (i = 0; i < N; ++i) CHECK(near(dx[i], dy[i] * (y[i] * (1.0f - y[i])), 1e-6f));

  CHECK(simdact_tanh_f32(x, y, N) == SIMDACT_OK);
  CHECK(y[0] == 0.0f);
  for (i = 0; i < N; ++i) CHECK(near(y[i], (float)tanh((double)x[i]), 1e-6f));
  CHECK(simdact_tanh_backward_f32(y, dy, dx, N) == SIMDACT_OK);
  for (i = 0; i < N; ++i) CHECK(near(dx[i], dy[i] * (1.0f - y[i] * y[i]), 1e-6f));

  CHECK(simdact_relu_f32(x, y, N) == SIMDACT_OK);
  CHECK(y[1] == 0.0f && !signbit(y[1])); /* relu(-1) = +0 */
  CHECK(y[2] == 2.0f && y[4] == 3.0f && y[3] == 0.0f);
  CHECK(simdact_relu_backward_f32(x, dy, dx, N) == SIMDACT_OK);
  for (i = 0; i < N; ++i) CHECK(dx[i] == (x[i] > 0.0f ? dy[i] : 0.0f));

  CHECK(simdact_leaky_relu_f32(x, y, N, 0.1f) == SIMDACT_OK);
  for (i = 0; i < N; ++i) CHECK(y[i] == (x[i] > 0.0f ? x[i] : 0.1f * x[i]));
  CHECK(y[1] == -0.1f);
  CHECK(simdact_leaky_relu_backward_f32(x, dy, dx, N, 0.1f) == SIMDACT_OK);
  for (i = 0; i < N; ++i) CHECK(dx[i] == dy[i] * (x[i] > 0.0f ? 1.0f : 0.1f));

  {
    /* 2 x 2: a row of two equal values gives 0.5 each; [0, ln 3] gives [0.25, 0.75]. */
    const float sx[4] = {1.5f, 1.5f, 0.0f, 1.0986123f};
    const float sdy[4] = {1.0f, 3.0f, -1.0f, 2.0f};
    float sy[4], sdx[4];
    int r, c;
    CHECK(simdact_softmax_f32(sx, sy, 2, 2) == SIMDACT_OK);
    CHECK(sy[0] == 0.5f && sy[1] == 0.5f);
    CHECK(near(sy[2], 0.25f, 1e-6f) && near(sy[3], 0.75f, 1e-6f));
    CHECK(simdact_softmax_backward_f32(sy, sdy, sdx, 2, 2) == SIMDACT_OK);
    for (r = 0; r < 2; ++r) {
      const double dot = (double)sdy[2 * r] * sy[2 * r] + (double)sdy[2 * r + 1] * sy[2 * r + 1];
      for (c = 0; c < 2; ++c) {
        const float want = (float)(sy[2 * r + c] * (sdy[2 * r + c] - dot));
        CHECK(near(sdx[2 * r + c], want, 1e-6f));
      }
    }
    CHECK(sdx[0] == -0.5f && sdx[1] == 0.5f); /* 0.5 * (1 - 2), 0.5 * (3 - 2) */

    /* log_softmax: log of the same probabilities; its backward dy - exp(y) * sum(dy) per row. */
    CHECK(simdact_log_softmax_f32(sx, sy, 2, 2) == SIMDACT_OK);
    CHECK(near(sy[0], (float)log(0.5), 1e-6f) && near(sy[1], (float)log(0.5), 1e-6f));
    CHECK(near(sy[2], (float)log(0.25), 1e-6f) && near(sy[3], (float)log(0.75), 1e-6f));
    CHECK(simdact_log_softmax_backward_f32(sy, sdy, sdx, 2, 2) == SIMDACT_OK);
    for (r = 0; r < 2; ++r) {
      const double sum = (double)sdy[2 * r] + sdy[2 * r + 1];
      for (c = 0; c < 2; ++c)
        CHECK(near(sdx[2 * r + c], (float)(sdy[2 * r + c] - exp((double)sy[2 * r + c]) * sum), 1e-6f));
    }
  }

  {
    /* The strided rows: the same 2 x 2 with ld 3 (NaN padding, never read) into ld 4 (never written). */
    const float px[6] = {1.5f, 1.5f, NAN, 0.0f, 1.0986123f, NAN};
    float py[8] = {7.0f, 7.0f, 7.0f, 7.0f, 7.0f, 7.0f, 7.0f, 7.0f};
    CHECK(simdact_softmax_strided_f32(px, 3, py, 4, 2, 2) == SIMDACT_OK);
    CHECK(py[0] == 0.5f && py[1] == 0.5f && near(py[4], 0.25f, 1e-6f) && near(py[5], 0.75f, 1e-6f));
    CHECK(py[2] == 7.0f && py[3] == 7.0f && py[6] == 7.0f && py[7] == 7.0f);
    CHECK(simdact_log_softmax_strided_f32(px, 3, py, 4, 2, 2) == SIMDACT_OK);
    CHECK(near(py[0], (float)log(0.5), 1e-6f) && near(py[5], (float)log(0.75), 1e-6f));
    CHECK(py[2] == 7.0f && py[3] == 7.0f && py[6] == 7.0f && py[7] == 7.0f);
    CHECK(simdact_softmax_strided_f32(px, 1, py, 4, 2, 2) == SIMDACT_ERR_INVALID_ARGUMENT); /* ldx < cols */
    CHECK(simdact_log_softmax_strided_f32(px, 3, py, 1, 2, 2) == SIMDACT_ERR_INVALID_ARGUMENT);
  }

  /* The erf and tanh forms of gelu, x sigmoid(x), softplus, elu and their backward (forward input x). */
  {
    const double k = 0.7978845608028654; /* sqrt(2 / pi) */
    CHECK(simdact_gelu_f32(x, y, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(y[i], (float)(0.5 * x[i] * erfc(-x[i] / sqrt(2.0))), 1e-6f));
    CHECK(simdact_gelu_backward_f32(x, dy, dx, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) {
      const double phi = 0.3989422804014327 * exp(-0.5 * x[i] * x[i]);
      CHECK(near(dx[i], (float)(dy[i] * (0.5 * erfc(-x[i] / sqrt(2.0)) + x[i] * phi)), 1e-6f));
    }
    CHECK(simdact_gelu_tanh_f32(x, y, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) {
      const double u = k * (x[i] + 0.044715 * x[i] * x[i] * x[i]);
      CHECK(near(y[i], (float)(0.5 * x[i] * (1.0 + tanh(u))), 1e-6f));
    }
    CHECK(simdact_gelu_tanh_backward_f32(x, dy, dx, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) {
      const double u = k * (x[i] + 0.044715 * x[i] * x[i] * x[i]), t = tanh(u);
      const double d = 0.5 * (1.0 + t) + 0.5 * x[i] * (1.0 - t * t) * k * (1.0 + 3.0 * 0.044715 * x[i] * x[i]);
      CHECK(near(dx[i], (float)(dy[i] * d), 1e-6f));
    }
    CHECK(simdact_silu_f32(x, y, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(y[i], (float)(x[i] / (1.0 + exp(-(double)x[i]))), 1e-6f));
    CHECK(simdact_silu_backward_f32(x, dy, dx, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) {
      const double s = 1.0 / (1.0 + exp(-(double)x[i]));
      CHECK(near(dx[i], (float)(dy[i] * s * (1.0 + x[i] * (1.0 - s))), 1e-6f));
    }
    CHECK(simdact_softplus_f32(x, y, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(y[i], (float)log1p(exp((double)x[i])), 1e-6f));
    CHECK(simdact_softplus_backward_f32(x, dy, dx, N) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(dx[i], (float)(dy[i] / (1.0 + exp(-(double)x[i]))), 1e-6f));
    CHECK(simdact_elu_f32(x, y, N, 0.5f) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(y[i], x[i] > 0.0f ? x[i] : (float)(0.5 * expm1((double)x[i])), 1e-6f));
    CHECK(y[2] == 2.0f && y[0] == 0.0f);
    CHECK(simdact_elu_backward_f32(x, dy, dx, N, 0.5f) == SIMDACT_OK);
    for (i = 0; i < N; ++i) CHECK(near(dx[i], (float)(dy[i] * (x[i] > 0.0f ? 1.0 : 0.5 * exp((double)x[i]))), 1e-6f));
  }
}

static void check_bad_input(void) {
  const float x[N] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
  float y[N] = {7.0f, 7.0f, 7.0f, 7.0f, 7.0f};
  int i;
  CHECK(simdact_sigmoid_f32(NULL, y, N) == SIMDACT_ERR_INVALID_ARGUMENT);
  CHECK(simdact_softmax_backward_f32(x, NULL, y, 1, N) == SIMDACT_ERR_INVALID_ARGUMENT);
  for (i = 0; i < N; ++i) CHECK(y[i] == 7.0f);
  CHECK(simdact_tanh_f32(NULL, NULL, 0) == SIMDACT_OK);
  CHECK(simdact_softmax_f32(NULL, NULL, 0, 3) == SIMDACT_OK);
}

int main(void) {
  const simdact_isa start = simdact_active_isa();
  const simdact_isa all[] = {
#define SIMDACT_ISA(name, value, arch, feature, priority, flags) value,
#include "dispatch/isa_list.inc"
#undef SIMDACT_ISA
  };
  size_t k;
  check_isa_calls();
  for (k = 0; k < sizeof all / sizeof all[0]; ++k) {
    if (!simdact_isa_supported(all[k])) continue;
    CHECK(simdact_set_isa(all[k]) == SIMDACT_OK);
    check_kernels();
    check_bad_input();
  }
  CHECK(simdact_set_isa(start) == SIMDACT_OK);
  if (g_failures != 0) {
    fprintf(stderr, "c11_api: %d of %d checks failed\n", g_failures, g_checks);
    return 1;
  }
  printf("c11_api: %d checks passed\n", g_checks);
  return 0;
}
