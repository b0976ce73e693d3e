// The oneDNN peer (Debian's libdnnl 2.6, OpenMP runtime), single-threaded: omp_set_num_threads(1) on
// the benchmark thread before any oneDNN call (the bench/compare wrapper also exports
// OMP_NUM_THREADS=1). ISA: oneDNN's own detection, or with PeerIsa::avx2 (simdact_compare
// --peer-isa=avx2) capped by dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2), called before any other oneDNN
// call (the cap holds only before the first JIT kernel is generated); a logistic and a softmax
// primitive are then created and their implementation names checked (an AVX2 kernel, no AVX-512 one,
// e.g. "jit:avx2"); capped, 2.6 has no JIT kernel for softmax / logsoftmax backward and runs them on
// ref:any (about 0.1 element/ns, as on an AVX2-only CPU: the context note shows it). Per problem: one
// engine and stream (shared), primitive descriptor, primitive and memory objects over the benchmark's
// buffers, all built before the timed loop; a run is execute + wait.
//   sigmoid / tanh        eltwise_logistic / eltwise_tanh forward_inference
//   relu / leaky_relu     eltwise_relu, alpha 0 / slope
//   *_backward            eltwise_logistic_use_dst_for_bwd, eltwise_tanh_use_dst_for_bwd (take y),
//                         eltwise_relu with alpha (takes x); hint: the forward_training descriptor
//   softmax / _backward   softmax_forward / softmax_backward on a rows x cols (tag ab) tensor, axis 1
//   gelu, gelu_tanh       eltwise_gelu_erf, eltwise_gelu_tanh (backward: same algs, take x)
//   silu                  eltwise_swish, alpha 1 (x * sigmoid(1 * x)); backward takes x
//   softplus              eltwise_soft_relu: log(1 + exp(x)) in 2.6 (alpha ignored; 3.x adds a beta
//                         scale), backward takes x
//   elu                   eltwise_elu, alpha = the problem's p; backward: eltwise_elu (takes x)
//   log_softmax / _bwd    logsoftmax_forward / logsoftmax_backward (takes y and dy), like softmax
//   *_strided             softmax_forward / logsoftmax_forward on a rows x cols tensor with strides
//                         {ld, 1} (memory::desc with explicit strides)
// The context note lists the implementation oneDNN picks for each of these at 4 Ki floats / 32 x 128.
#include <omp.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <oneapi/dnnl/dnnl.hpp>

#include "bench/peers/peers.hpp"

namespace simdact_peers {
namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Env {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

Env& env() {
  static Env e;
  return e;
}

memory::desc flat(std::size_t n) { return memory::desc({static_cast<memory::dim>(n)}, dt::f32, tag::a); }
memory::desc matrix(std::size_t rows, std::size_t cols) {
  return memory::desc({static_cast<memory::dim>(rows), static_cast<memory::dim>(cols)}, dt::f32, tag::ab);
}
// rows x cols, rows ld floats apart (ld >= cols).
memory::desc strided(std::size_t rows, std::size_t cols, std::size_t ld) {
  return memory::desc({static_cast<memory::dim>(rows), static_cast<memory::dim>(cols)}, dt::f32,
                      memory::dims{static_cast<memory::dim>(ld), 1});
}
memory wrap(const memory::desc& md, const float* p) { return memory(md, env().engine, const_cast<float*>(p)); }

// A primitive with its arguments; the memory objects keep pointing at the benchmark's buffers.
struct Bound {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
};

Run bind(dnnl::primitive prim, std::unordered_map<int, memory> args) {
  auto b = std::make_shared<Bound>(Bound{std::move(prim), std::move(args)});
  return [b](std::string* error) {
    try {
      b->prim.execute(env().stream, b->args);
      env().stream.wait();
      return true;
    } catch (const std::exception& e) {
      *error = std::string("oneDNN: ") + e.what();
      return false;
    }
  };
}

// Wraps a builder so a dnnl::error becomes an empty Run and a message.
template <class Build>
std::function<Run(const Problem&, std::string*)> guarded(Build build) {
  return [build](const Problem& p, std::string* error) -> Run {
    try {
      return build(p);
    } catch (const std::exception& e) {
      *error = std::string("oneDNN: ") + e.what();
      return Run();
    }
  };
}

Run eltwise_fwd(const Problem& p, algorithm alg, float alpha) {
  const memory::desc md = flat(p.n);
  const dnnl::eltwise_forward::primitive_desc pd({prop_kind::forward_inference, alg, md, alpha, 0.0f}, env().engine);
  return bind(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, wrap(md, p.a)}, {DNNL_ARG_DST, wrap(md, p.out)}});
}

// use_dst: p.a is the forward output y (DNNL_ARG_DST), else the forward input x (DNNL_ARG_SRC).
Run eltwise_bwd(const Problem& p, algorithm alg, float alpha, bool use_dst) {
  const memory::desc md = flat(p.n);
  const dnnl::eltwise_forward::primitive_desc hint({prop_kind::forward_training, alg, md, alpha, 0.0f},
                                                   env().engine);
  const dnnl::eltwise_backward::primitive_desc pd({alg, md, md, alpha, 0.0f}, env().engine, hint);
  return bind(dnnl::eltwise_backward(pd), {{use_dst ? DNNL_ARG_DST : DNNL_ARG_SRC, wrap(md, p.a)},
                                           {DNNL_ARG_DIFF_DST, wrap(md, p.b)},
                                           {DNNL_ARG_DIFF_SRC, wrap(md, p.out)}});
}

// Softmax-like forward (softmax_forward or logsoftmax_forward) on md, axis 1.
template <class Prim>
Run rows_fwd(const Problem& p, const memory::desc& md) {
  const typename Prim::primitive_desc pd({prop_kind::forward_inference, md, 1}, env().engine);
  return bind(Prim(pd), {{DNNL_ARG_SRC, wrap(md, p.a)}, {DNNL_ARG_DST, wrap(md, p.out)}});
}

Run softmax_fwd(const Problem& p) { return rows_fwd<dnnl::softmax_forward>(p, matrix(p.rows, p.cols)); }
Run log_softmax_fwd(const Problem& p) { return rows_fwd<dnnl::logsoftmax_forward>(p, matrix(p.rows, p.cols)); }
Run softmax_strided_fwd(const Problem& p) {
  return rows_fwd<dnnl::softmax_forward>(p, strided(p.rows, p.cols, p.ld));
}
Run log_softmax_strided_fwd(const Problem& p) {
  return rows_fwd<dnnl::logsoftmax_forward>(p, strided(p.rows, p.cols, p.ld));
}

Run log_softmax_bwd(const Problem& p) {
  const memory::desc md = matrix(p.rows, p.cols);
  const dnnl::logsoftmax_forward::primitive_desc hint({prop_kind::forward_training, md, 1}, env().engine);
  const dnnl::logsoftmax_backward::primitive_desc pd({md, md, 1}, env().engine, hint);
  return bind(dnnl::logsoftmax_backward(pd), {{DNNL_ARG_DST, wrap(md, p.a)},
                                              {DNNL_ARG_DIFF_DST, wrap(md, p.b)},
                                              {DNNL_ARG_DIFF_SRC, wrap(md, p.out)}});
}

Run softmax_bwd(const Problem& p) {
  const memory::desc md = matrix(p.rows, p.cols);
  const dnnl::softmax_forward::primitive_desc hint({prop_kind::forward_training, md, 1}, env().engine);
  const dnnl::softmax_backward::primitive_desc pd({md, md, 1}, env().engine, hint);
  return bind(dnnl::softmax_backward(pd), {{DNNL_ARG_DST, wrap(md, p.a)},
                                           {DNNL_ARG_DIFF_DST, wrap(md, p.b)},
                                           {DNNL_ARG_DIFF_SRC, wrap(md, p.out)}});
}

// The implementation oneDNN picks for a logistic forward of 4096 floats, e.g. "jit:avx512_core".
std::string probe_impl() {
  const memory::desc md = flat(4096);
  const dnnl::eltwise_forward::primitive_desc pd(
      {prop_kind::forward_inference, algorithm::eltwise_logistic, md, 0.0f, 0.0f}, env().engine);
  return pd.impl_info_str();
}

// The implementations picked for the other ops ("gelu_erf fwd/bwd jit:avx512_core, ..."): a fallback
// to a reference implementation would show here. 4096 floats, rows 32 x cols 128 (ld 144 strided).
std::string probe_other_impls() {
  const memory::desc md = flat(4096), mm = matrix(32, 128), ms = strided(32, 128, 144);
  const dnnl::engine& e = env().engine;
  std::string out;
  auto item = [&out](const std::string& what, const std::string& impl) {
    out += (out.empty() ? "" : ", ") + what + " " + impl;
  };
  const std::pair<const char*, algorithm> algs[] = {{"gelu_erf", algorithm::eltwise_gelu_erf},
                                                    {"gelu_tanh", algorithm::eltwise_gelu_tanh},
                                                    {"swish", algorithm::eltwise_swish},
                                                    {"soft_relu", algorithm::eltwise_soft_relu},
                                                    {"elu", algorithm::eltwise_elu}};
  for (const auto& a : algs) {
    try {
      const dnnl::eltwise_forward::primitive_desc f({prop_kind::forward_training, a.second, md, 1.0f, 0.0f}, e);
      const dnnl::eltwise_backward::primitive_desc b({a.second, md, md, 1.0f, 0.0f}, e, f);
      const std::string fi = f.impl_info_str(), bi = b.impl_info_str();
      item(std::string(a.first) + (fi == bi ? " fwd/bwd" : " fwd"), fi);
      if (fi != bi) item("bwd", bi);
    } catch (const std::exception&) {
      item(a.first, "(none)");
    }
  }
  try {
    const dnnl::logsoftmax_forward::primitive_desc f({prop_kind::forward_training, mm, 1}, e);
    const dnnl::logsoftmax_backward::primitive_desc b({mm, mm, 1}, e, f);
    item("logsoftmax fwd", f.impl_info_str());
    item("bwd", b.impl_info_str());
    const dnnl::softmax_forward::primitive_desc sf({prop_kind::forward_training, mm, 1}, e);
    const dnnl::softmax_backward::primitive_desc sb({mm, mm, 1}, e, sf);
    item("softmax bwd", sb.impl_info_str());  // capped to AVX2, 2.6 has only ref:any for both backward ops
    const dnnl::softmax_forward::primitive_desc s({prop_kind::forward_inference, ms, 1}, e);
    item("softmax strided", s.impl_info_str());
    const dnnl::logsoftmax_forward::primitive_desc l({prop_kind::forward_inference, ms, 1}, e);
    item("logsoftmax strided", l.impl_info_str());
  } catch (const std::exception&) {
    item("(log)softmax", "(none)");
  }
  return out;
}

const char* isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    default: return "other";
  }
}

const char* status_name(dnnl_status_t s) {
  switch (s) {
    case dnnl_success: return "dnnl_success";
    case dnnl_out_of_memory: return "dnnl_out_of_memory";
    case dnnl_invalid_arguments: return "dnnl_invalid_arguments (called too late, or an invalid ISA)";
    case dnnl_unimplemented: return "dnnl_unimplemented (oneDNN built without DNNL_ENABLE_MAX_CPU_ISA)";
    default: return "another status";
  }
}

// The implementation a created primitive runs (dnnl_primitive_desc_query of its impl_info_str).
std::string primitive_impl(const dnnl::primitive& prim) {
  const_dnnl_primitive_desc_t pd = nullptr;
  const char* info = nullptr;
  if (dnnl_primitive_get_primitive_desc(prim.get(), &pd) != dnnl_success ||
      dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info) != dnnl_success || info == nullptr)
    return "(unknown)";
  return info;
}

bool is_avx512_impl(const std::string& impl) {
  return impl.find("avx512") != std::string::npos || impl.find("amx") != std::string::npos;
}

// After the cap: a logistic (4096 floats) and a softmax (32 x 128) primitive, created (which JITs
// their kernels); their implementations must be AVX2 ones ("jit:avx2"). "" on success, else why not.
std::string check_avx2_cap(std::string* impls) {
  const memory::desc md = flat(4096), mm = matrix(32, 128);
  const dnnl::eltwise_forward logistic(dnnl::eltwise_forward::primitive_desc(
      {prop_kind::forward_inference, algorithm::eltwise_logistic, md, 0.0f, 0.0f}, env().engine));
  const dnnl::softmax_forward softmax(
      dnnl::softmax_forward::primitive_desc({prop_kind::forward_inference, mm, 1}, env().engine));
  const std::string li = primitive_impl(logistic), si = primitive_impl(softmax);
  *impls = "logistic fwd " + li + ", softmax fwd " + si;
  const dnnl::cpu_isa effective = dnnl::get_effective_cpu_isa();
  if (effective != dnnl::cpu_isa::avx2)
    return std::string("the effective ISA is ") + isa_name(effective) + ", not avx2";
  if (li.find("avx2") == std::string::npos || is_avx512_impl(li) || is_avx512_impl(si))
    return "the primitives are not AVX2 ones: " + *impls;
  return "";
}

}  // namespace

StatefulPeers onednn_peers(PeerIsa cap) {
  StatefulPeers peers;
  // The cap first: no oneDNN call may come before it.
  if (cap == PeerIsa::avx2) {
    const dnnl_status_t st = dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2);
    if (st != dnnl_success) {
      peers.error = std::string("oneDNN: dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2) returned ") + status_name(st);
      return peers;
    }
  }
  omp_set_num_threads(1);
  try {
    std::string cap_impls;
    if (cap == PeerIsa::avx2) {
      const std::string why = check_avx2_cap(&cap_impls);
      if (!why.empty()) {
        peers.error = "oneDNN: capped to AVX2 but " + why;
        return peers;
      }
    }
    const dnnl::version_t* v = dnnl::version();
    const std::string others = probe_other_impls();
    if (cap == PeerIsa::avx2 && is_avx512_impl(others)) {
      peers.error = "oneDNN: capped to AVX2 but an AVX-512 implementation is picked: " + others;
      return peers;
    }
    peers.note = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                 std::to_string(v->patch) + ", effective ISA " + isa_name(dnnl::get_effective_cpu_isa()) +
                 (cap == PeerIsa::avx2 ? " (capped: dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2))" : "") +
                 ", eltwise impl " + probe_impl() + " (" + others + "), OpenMP max threads " +
                 std::to_string(omp_get_max_threads());
    if (cap == PeerIsa::avx2)
      peers.cap = "oneDNN capped to AVX2: dnnl_set_max_cpu_isa(dnnl_cpu_isa_avx2) = dnnl_success, effective ISA " +
                  std::string(isa_name(dnnl::get_effective_cpu_isa())) + ", primitives created: " + cap_impls;
  } catch (const std::exception& e) {
    peers.skipped = std::string("oneDNN cannot create a CPU engine: ") + e.what();
    return peers;
  }
  auto add = [&](const char* op, std::function<Run(const Problem&)> build) {
    peers.factories.push_back({op, "onednn", guarded(build)});
  };
  add("sigmoid", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_logistic, 0.0f); });
  add("tanh", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_tanh, 0.0f); });
  add("relu", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_relu, 0.0f); });
  add("leaky_relu", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_relu, p.p); });
  add("sigmoid_backward",
      [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_logistic_use_dst_for_bwd, 0.0f, true); });
  add("tanh_backward",
      [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_tanh_use_dst_for_bwd, 0.0f, true); });
  add("relu_backward", [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_relu, 0.0f, false); });
  add("leaky_relu_backward", [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_relu, p.p, false); });
  add("softmax", softmax_fwd);
  add("softmax_backward", softmax_bwd);
  add("log_softmax", log_softmax_fwd);
  add("log_softmax_backward", log_softmax_bwd);
  add("softmax_strided", softmax_strided_fwd);
  add("log_softmax_strided", log_softmax_strided_fwd);
  // The new element-wise ops; the backward ones take the forward input x (DNNL_ARG_SRC).
  add("gelu", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_gelu_erf, 0.0f); });
  add("gelu_tanh", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_gelu_tanh, 0.0f); });
  add("silu", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_swish, 1.0f); });
  add("softplus", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_soft_relu, 0.0f); });
  add("elu", [](const Problem& p) { return eltwise_fwd(p, algorithm::eltwise_elu, p.p); });
  add("gelu_backward", [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_gelu_erf, 0.0f, false); });
  add("gelu_tanh_backward",
      [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_gelu_tanh, 0.0f, false); });
  add("silu_backward", [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_swish, 1.0f, false); });
  add("softplus_backward",
      [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_soft_relu, 0.0f, false); });
  add("elu_backward", [](const Problem& p) { return eltwise_bwd(p, algorithm::eltwise_elu, p.p, false); });
  return peers;
}

}  // namespace simdact_peers
