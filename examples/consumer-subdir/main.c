/* C consumer built together with simdact's sources (add_subdirectory / FetchContent). */
#include <stdio.h>

#include <simdact/simdact.h>

int main(void) {
  const float x[5] = {-2.0f, -1.0f, 0.0f, 1.0f, 2.0f};
  float y[5], dx[5];
  const float dy[5] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f};
  int ok = simdact_leaky_relu_f32(x, y, 5, 0.1f) == SIMDACT_OK &&
           simdact_leaky_relu_backward_f32(x, dy, dx, 5, 0.1f) == SIMDACT_OK;
  int i, isas = 0;
  const simdact_isa all[4] = {SIMDACT_ISA_SCALAR, SIMDACT_ISA_AVX2, SIMDACT_ISA_AVX512, SIMDACT_ISA_NEON};
  ok = ok && y[0] == -0.2f && y[4] == 2.0f && dx[0] == 0.1f && dx[4] == 1.0f;
  for (i = 0; i < 4; ++i) isas += simdact_isa_supported(all[i]);
  printf("consumer-subdir (C): simdact %s on %s (%d ISAs runnable): leaky_relu(-2..2, 0.1) = %.1f %.1f %.1f %.1f %.1f [%s]\n",
         simdact_version(), simdact_isa_name(simdact_active_isa()), isas, y[0], y[1], y[2], y[3], y[4],
         ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
