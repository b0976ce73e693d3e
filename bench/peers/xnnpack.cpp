// The XNNPACK peer (Debian's libxnnpack, snapshot 2022-02-16): operators created and set up on the
// benchmark's buffers before the timed loop (this version's API: xnn_create_*, xnn_setup_* with the
// batch size and pointers, then xnn_run_operator), run with no thread pool (NULL: the caller's thread).
//   sigmoid      xnn_create_sigmoid_nc_f32
//   relu         xnn_create_clamp_nc_f32 with min 0, max +inf (XNNPACK turns that into its relu kernel)
//   leaky_relu   xnn_create_leaky_relu_nc_f32
//   softmax      xnn_create_softmax_nc_f32, channels = cols, batch = rows
// Element-wise ops use channels = 1, stride 1, batch = n: the contiguous path. This XNNPACK has no f32
// tanh and no backward operators. XNNPACK may read XNN_EXTRA_BYTES past an input: the benchmark's
// buffers are padded.
//
// ISA cap (PeerIsa::avx2, simdact_compare --peer-isa=avx2): XNNPACK picks its micro-kernels once, in
// xnn_initialize, from libcpuinfo's global cpuinfo_isa (libXNNPACK.so links libcpuinfo.so.0 and reads
// the struct directly: the cpuinfo_has_x86_* functions are inline). So cpuinfo_initialize() first
// (pthread_once: XNNPACK's own call does not detect again), then every avx512* field cleared, then
// xnn_initialize: XNNPACK takes its AVX2 (+FMA) kernels, as on an AVX2-only CPU.
#include <cmath>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#ifdef SIMDACT_PEER_HAVE_CPUINFO
#include <cpuinfo.h>
#endif
#include <xnnpack.h>

#include "bench/peers/peers.hpp"

namespace simdact_peers {
namespace {

std::string status_text(xnn_status s) {
  switch (s) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "uninitialized";
    case xnn_status_invalid_parameter: return "invalid parameter";
    case xnn_status_invalid_state: return "invalid state";
    case xnn_status_unsupported_parameter: return "unsupported parameter";
    case xnn_status_unsupported_hardware: return "unsupported hardware";
    case xnn_status_out_of_memory: return "out of memory";
    default: return "status " + std::to_string(static_cast<int>(s));
  }
}

struct OperatorDeleter {
  void operator()(xnn_operator* op) const { xnn_delete_operator(op); }
};

// create(&op) and setup(op) return xnn_status; the Run holds the operator.
template <class Create, class Setup>
Run make_run(const char* what, Create create, Setup setup, std::string* error) {
  xnn_operator_t raw = nullptr;
  xnn_status s = create(&raw);
  if (s != xnn_status_success) {
    *error = std::string("XNNPACK ") + what + " create: " + status_text(s);
    return Run();
  }
  std::shared_ptr<xnn_operator> op(raw, OperatorDeleter());
  s = setup(op.get());
  if (s != xnn_status_success) {
    *error = std::string("XNNPACK ") + what + " setup: " + status_text(s);
    return Run();
  }
  return [op](std::string* err) {
    const xnn_status r = xnn_run_operator(op.get(), nullptr);
    if (r != xnn_status_success) *err = "XNNPACK run: " + status_text(r);
    return r == xnn_status_success;
  };
}

Run sigmoid(const Problem& p, std::string* error) {
  return make_run(
      "sigmoid", [](xnn_operator_t* op) { return xnn_create_sigmoid_nc_f32(1, 1, 1, 0, op); },
      [&p](xnn_operator_t op) { return xnn_setup_sigmoid_nc_f32(op, p.n, p.a, p.out, nullptr); }, error);
}

Run relu(const Problem& p, std::string* error) {
  return make_run(
      "clamp", [](xnn_operator_t* op) { return xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, INFINITY, 0, op); },
      [&p](xnn_operator_t op) { return xnn_setup_clamp_nc_f32(op, p.n, p.a, p.out, nullptr); }, error);
}

Run leaky_relu(const Problem& p, std::string* error) {
  return make_run(
      "leaky_relu", [&p](xnn_operator_t* op) { return xnn_create_leaky_relu_nc_f32(1, 1, 1, p.p, 0, op); },
      [&p](xnn_operator_t op) { return xnn_setup_leaky_relu_nc_f32(op, p.n, p.a, p.out, nullptr); }, error);
}

Run softmax(const Problem& p, std::string* error) {
  return make_run(
      "softmax", [&p](xnn_operator_t* op) { return xnn_create_softmax_nc_f32(p.cols, p.cols, p.cols, 0, op); },
      [&p](xnn_operator_t op) { return xnn_setup_softmax_nc_f32(op, p.rows, p.a, p.out, nullptr); }, error);
}

#ifdef SIMDACT_PEER_HAVE_CPUINFO
// Fields of later cpuinfo versions (avx512fp16; AVX10 implies the 512-bit registers), cleared where
// the installed cpuinfo.h has them.
#define SIMDACT_OPTIONAL_ISA_FIELD(field)                                                       \
  template <class T, class = void>                                                              \
  struct clear_##field {                                                                        \
    static void apply(T&, std::string*) {}                                                      \
  };                                                                                            \
  template <class T>                                                                            \
  struct clear_##field<T, std::void_t<decltype(std::declval<T&>().field)>> {                    \
    static void apply(T& isa, std::string* cleared) {                                           \
      if (isa.field) *cleared += std::string(cleared->empty() ? "" : " ") + #field;              \
      isa.field = false;                                                                        \
    }                                                                                           \
  };
SIMDACT_OPTIONAL_ISA_FIELD(avx512fp16)
SIMDACT_OPTIONAL_ISA_FIELD(avx10_1)
SIMDACT_OPTIONAL_ISA_FIELD(avx10_2)
#undef SIMDACT_OPTIONAL_ISA_FIELD

// Clears every AVX-512 field of cpuinfo_isa (before xnn_initialize). *cleared: those that were set,
// and what is left of AVX2.
bool cap_cpuinfo_to_avx2(std::string* cleared, std::string* error) {
  if (!cpuinfo_initialize()) {
    *error = "cpuinfo_initialize() failed";
    return false;
  }
  cpuinfo_x86_isa& isa = cpuinfo_isa;
  const std::pair<const char*, bool*> fields[] = {
      {"avx512f", &isa.avx512f},
      {"avx512pf", &isa.avx512pf},
      {"avx512er", &isa.avx512er},
      {"avx512cd", &isa.avx512cd},
      {"avx512dq", &isa.avx512dq},
      {"avx512bw", &isa.avx512bw},
      {"avx512vl", &isa.avx512vl},
      {"avx512ifma", &isa.avx512ifma},
      {"avx512vbmi", &isa.avx512vbmi},
      {"avx512vbmi2", &isa.avx512vbmi2},
      {"avx512bitalg", &isa.avx512bitalg},
      {"avx512vpopcntdq", &isa.avx512vpopcntdq},
      {"avx512vnni", &isa.avx512vnni},
      {"avx512bf16", &isa.avx512bf16},
      {"avx512vp2intersect", &isa.avx512vp2intersect},
      {"avx512_4vnniw", &isa.avx512_4vnniw},
      {"avx512_4fmaps", &isa.avx512_4fmaps},
  };
  for (const auto& f : fields) {
    if (*f.second) *cleared += std::string(cleared->empty() ? "" : " ") + f.first;
    *f.second = false;
  }
  clear_avx512fp16<cpuinfo_x86_isa>::apply(isa, cleared);
  clear_avx10_1<cpuinfo_x86_isa>::apply(isa, cleared);
  clear_avx10_2<cpuinfo_x86_isa>::apply(isa, cleared);
  if (cpuinfo_has_x86_avx512f() || cpuinfo_has_x86_avx512bw() || cpuinfo_has_x86_avx512vl()) {
    *error = "cpuinfo still reports AVX-512 after clearing cpuinfo_isa";
    return false;
  }
  if (cleared->empty()) *cleared = "none";
  *cleared += std::string("; avx2 ") + (cpuinfo_has_x86_avx2() ? "yes" : "no") + ", fma3 " +
              (cpuinfo_has_x86_fma3() ? "yes" : "no");
  return true;
}
#else
bool cap_cpuinfo_to_avx2(std::string*, std::string* error) {
  *error = "built without libcpuinfo (apt-get install libcpuinfo-dev and re-run cmake)";
  return false;
}
#endif

}  // namespace

StatefulPeers xnnpack_peers(PeerIsa cap) {
  StatefulPeers peers;
  std::string cleared;
  if (cap == PeerIsa::avx2) {
    std::string error;
    if (!cap_cpuinfo_to_avx2(&cleared, &error)) {
      peers.error = "XNNPACK: cannot cap to AVX2: " + error;
      return peers;
    }
  }
  const xnn_status s = xnn_initialize(nullptr);
  if (s != xnn_status_success) {
    peers.skipped = "xnn_initialize: " + status_text(s);
    return peers;
  }
  peers.note = "XNNPACK (Debian snapshot), no thread pool; no f32 tanh, no backward operators";
  if (cap == PeerIsa::avx2) {
    const std::string what =
        "capped to AVX2: cpuinfo_isa's avx512* fields cleared before xnn_initialize (were set: " + cleared + ")";
    peers.note += "; " + what;
    peers.cap = "XNNPACK " + what;
  }
  peers.factories.push_back({"sigmoid", "xnnpack", sigmoid});
  peers.factories.push_back({"relu", "xnnpack", relu});
  peers.factories.push_back({"leaky_relu", "xnnpack", leaky_relu});
  peers.factories.push_back({"softmax", "xnnpack", softmax});
  return peers;
}

}  // namespace simdact_peers
