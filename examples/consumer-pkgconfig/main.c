/* C consumer: the C ABI (simdact/simdact.h), compiled with `pkg-config --cflags --libs simdact`. */
#include <math.h>
#include <stdio.h>

#include <simdact/simdact.h>

#ifndef CONSUMER_LABEL
#define CONSUMER_LABEL "C"
#endif

int main(void) {
  const float logits[3] = {1.0f, 2.0f, 3.0f};
  const float x[4] = {-3.0f, 0.0f, 0.5f, 3.0f};
  float p[3], y[4], dx[4];
  const float dy[4] = {1.0f, 1.0f, 1.0f, 1.0f};
  int ok = 1;

  ok &= simdact_softmax_f32(logits, p, 1, 3) == SIMDACT_OK;  /* one row of 3 */
  ok &= simdact_sigmoid_f32(x, y, 4) == SIMDACT_OK;
  ok &= simdact_sigmoid_backward_f32(y, dy, dx, 4) == SIMDACT_OK; /* takes the forward output */
  ok &= simdact_relu_f32(NULL, y, 4) == SIMDACT_ERR_INVALID_ARGUMENT; /* rejected, y untouched */
  ok &= fabsf(p[0] - 0.0900306f) < 1e-6f && fabsf(p[2] - 0.6652409f) < 1e-6f;
  ok &= y[1] == 0.5f && dx[1] == 0.25f && fabsf(y[0] + y[3] - 1.0f) < 1e-6f;

  printf("consumer-pkgconfig (" CONSUMER_LABEL "): simdact %s on %s: softmax(1,2,3) = %.4f %.4f %.4f, sigmoid(-3,0,3) = %.4f %.4f "
         "%.4f [%s]\n",
         simdact_version(), simdact_isa_name(simdact_active_isa()), p[0], p[1], p[2], y[0], y[1], y[3],
         ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
