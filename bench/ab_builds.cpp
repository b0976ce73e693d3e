// simdact_ab: two builds of libsimdact, every kernel, in one process — the A/B of a change to the
// kernels' source or flags, where separate benchmark runs drift by more than the change (a noisy,
// shared machine).
//   usage: simdact_ab BEFORE.so AFTER.so [isa] [n] [filter]
//     isa     an ISA name both builds run here (default: each build's own choice)
//     n       elements per call (default 65536); the row ops run rows of 10, 128 and 1000 columns
//     filter  run only the kernels whose name contains it
// Each library is loaded into its own link-map namespace (dlmopen), so both keep their own dispatch
// state and the same symbol names. Per kernel: 41 rounds, each timing 20 calls of BEFORE then 20 of
// AFTER (the order alternates by round) on the same buffers; prints the median of the per-round
// speed ratios AFTER/BEFORE with its interquartile range (> 1: AFTER is faster) and whether both
// builds wrote the same bits (they should unless the change is meant to alter results).
// Inputs: x uniform in [-10, 10]; a backward op's first input is its forward op's output (from
// BEFORE) where the kernel row says so (include/simdact/kernels.inc, first); dy uniform in [-1, 1].
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/facts.hpp"
#include "kernels/kinds.hpp"
#include "simdact/simdact.h"

namespace {

namespace facts = simdact::facts;

struct lib {
  void* handle = nullptr;
  template <class F>
  F sym(const char* name) const {
    return reinterpret_cast<F>(dlsym(handle, name));
  }
};

using unary_fn = simdact::signatures<simdact_status>::unary;
using binary_fn = simdact::signatures<simdact_status>::binary;
using unary_p_fn = simdact::signatures<simdact_status>::unary_p;
using binary_p_fn = simdact::signatures<simdact_status>::binary_p;
using rows_fn = simdact::signatures<simdact_status>::rows;
using rows_binary_fn = simdact::signatures<simdact_status>::rows_binary;
using rows_strided_fn = simdact::signatures<simdact_status>::rows_strided;

struct buffers {
  std::vector<float> a, b, out;
};

// Kernel k of library l, its entry point looked up once (dlsym), outside the timed calls.
struct entry {
  const facts::kernel* k;
  void* fn;
};
entry lookup(const lib& l, const facts::kernel& k) {
  const std::string name = std::string("simdact_") + k.op + "_f32";
  return {&k, l.sym<void*>(name.c_str())};
}

// One call on the buffers (rows x cols for the row kinds).
void call(const entry& e, buffers& d, std::size_t n, std::size_t cols) {
  const std::size_t rows = n / cols;
  switch (e.k->kind) {
    case facts::kind::unary: reinterpret_cast<unary_fn>(e.fn)(d.a.data(), d.out.data(), n); break;
    case facts::kind::binary: reinterpret_cast<binary_fn>(e.fn)(d.a.data(), d.b.data(), d.out.data(), n); break;
    case facts::kind::unary_p: reinterpret_cast<unary_p_fn>(e.fn)(d.a.data(), d.out.data(), n, e.k->param); break;
    case facts::kind::binary_p:
      reinterpret_cast<binary_p_fn>(e.fn)(d.a.data(), d.b.data(), d.out.data(), n, e.k->param);
      break;
    case facts::kind::rows: reinterpret_cast<rows_fn>(e.fn)(d.a.data(), d.out.data(), rows, cols); break;
    case facts::kind::rows_binary:
      reinterpret_cast<rows_binary_fn>(e.fn)(d.a.data(), d.b.data(), d.out.data(), rows, cols);
      break;
    case facts::kind::rows_strided:
      reinterpret_cast<rows_strided_fn>(e.fn)(d.a.data(), cols, d.out.data(), cols, rows, cols);
      break;
  }
}

// The forward op whose output a backward kernel takes as its first input, or nullptr.
const char* forward_of(facts::first f) {
  switch (f) {
    case facts::first::x: return nullptr;
    case facts::first::sigmoid_y: return "sigmoid";
    case facts::first::tanh_y: return "tanh";
    case facts::first::softmax_y: return "softmax";
    case facts::first::log_softmax_y: return "log_softmax";
  }
  return nullptr;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s BEFORE.so AFTER.so [isa] [n] [filter]\n", argv[0]);
    return 2;
  }
  lib libs[2];
  for (int i = 0; i < 2; ++i) {
    libs[i].handle = dlmopen(LM_ID_NEWLM, argv[1 + i], RTLD_NOW | RTLD_LOCAL);
    if (libs[i].handle == nullptr) {
      std::fprintf(stderr, "simdact_ab: %s\n", dlerror());
      return 2;
    }
  }
  const std::string isa = argc > 3 ? argv[3] : "";
  const std::size_t n = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 65536;
  const std::string filter = argc > 5 ? argv[5] : "";
  if (!isa.empty()) {
    for (const lib& l : libs) {
      int value = -1;
      for (int v = 0; v < 16; ++v)
        if (isa == l.sym<const char* (*)(simdact_isa)>("simdact_isa_name")(static_cast<simdact_isa>(v))) value = v;
      if (value < 0 || l.sym<simdact_status (*)(simdact_isa)>("simdact_set_isa")(static_cast<simdact_isa>(value)) !=
                           SIMDACT_OK) {
        std::fprintf(stderr, "simdact_ab: ISA %s not runnable by both builds here\n", isa.c_str());
        return 2;
      }
    }
  }
  std::printf("simdact_ab: %s (A) -> %s (B), ISA %s, n %zu: median speed ratio B/A [Q1, Q3], 41 rounds x 20 calls\n",
              argv[1], argv[2], isa.empty() ? "default" : isa.c_str(), n);
  std::mt19937 gen(1);
  std::uniform_real_distribution<float> ux(-10.0f, 10.0f), ug(-1.0f, 1.0f);
  buffers d;
  d.a.resize(n);
  d.b.resize(n);
  d.out.resize(n);
  std::vector<float> first_out;
  for (const facts::kernel& k : facts::kKernels) {
    if (!filter.empty() && std::string(k.op).find(filter) == std::string::npos) continue;
    const std::vector<std::size_t> col_list =
        facts::is_rows(k.kind) ? std::vector<std::size_t>{10, 128, 1000} : std::vector<std::size_t>{n};
    for (std::size_t cols : col_list) {
      for (float& v : d.a) v = ux(gen);
      for (float& v : d.b) v = ug(gen);
      if (const char* fwd = forward_of(k.first)) {
        call(lookup(libs[0], *facts::find(fwd)), d, n, cols);
        d.a = d.out;
      }
      const entry e[2] = {lookup(libs[0], k), lookup(libs[1], k)};
      if (e[0].fn == nullptr || e[1].fn == nullptr) {
        std::fprintf(stderr, "simdact_ab: simdact_%s_f32 missing in one of the builds\n", k.op);
        return 2;
      }
      std::vector<double> ratios;
      for (int round = 0; round < 41; ++round) {
        double t[2];
        for (int j = 0; j < 2; ++j) {
          const int which = (round % 2 == 0) ? j : 1 - j;
          const auto t0 = std::chrono::steady_clock::now();
          for (int c = 0; c < 20; ++c) call(e[which], d, n, cols);
          t[which] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        ratios.push_back(t[0] / t[1]);
      }
      call(e[0], d, n, cols);
      first_out = d.out;
      call(e[1], d, n, cols);
      const bool same = std::memcmp(first_out.data(), d.out.data(), n * sizeof(float)) == 0;
      char label[96];
      if (facts::is_rows(k.kind)) std::snprintf(label, sizeof label, "%s cols %zu", k.op, cols);
      else std::snprintf(label, sizeof label, "%s", k.op);
      std::printf("%-34s %.3f [%.3f, %.3f]%s\n", label, quantile(ratios, 0.5), quantile(ratios, 0.25),
                  quantile(ratios, 0.75), same ? "" : "  (outputs differ)");
      std::fflush(stdout);
    }
  }
  return 0;
}
