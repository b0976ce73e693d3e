/* C consumer of the static library (simdact::simdact_static): no libsimdact.so needed at run time. */
#include <math.h>
#include <stdio.h>

#include <simdact/simdact.h>

int main(void) {
  const float x[4] = {-1.0f, 0.0f, 1.0f, 4.0f};
  float y[4];
  int ok = simdact_tanh_f32(x, y, 4) == SIMDACT_OK && y[1] == 0.0f && fabsf(y[2] - 0.7615942f) < 1e-6f &&
           fabsf(y[0] + y[2]) == 0.0f;
  printf("consumer-cmake (C, static): simdact %s on %s: tanh(-1,0,1,4) = %.4f %.4f %.4f %.4f [%s]\n",
         simdact_version(), simdact_isa_name(simdact_active_isa()), y[0], y[1], y[2], y[3], ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
