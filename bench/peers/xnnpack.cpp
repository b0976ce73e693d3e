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
#include <cmath>
#include <memory>
#include <string>

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

}  // namespace

StatefulPeers xnnpack_peers() {
  StatefulPeers peers;
  const xnn_status s = xnn_initialize(nullptr);
  if (s != xnn_status_success) {
    peers.skipped = "xnn_initialize: " + status_text(s);
    return peers;
  }
  peers.note = "XNNPACK (Debian snapshot), no thread pool; no f32 tanh, no backward operators";
  peers.factories.push_back({"sigmoid", "xnnpack", sigmoid});
  peers.factories.push_back({"relu", "xnnpack", relu});
  peers.factories.push_back({"leaky_relu", "xnnpack", leaky_relu});
  peers.factories.push_back({"softmax", "xnnpack", softmax});
  return peers;
}

}  // namespace simdact_peers
