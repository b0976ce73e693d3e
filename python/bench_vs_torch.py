#!/usr/bin/env python3
"""simdact's Python functions against PyTorch on the CPU (single-threaded), per op and size.

    PYTHONPATH=python /usr/bin/python3 python/bench_vs_torch.py [--reps 5] [--sizes 4Ki,64Ki,1Mi] [--quick]

PyTorch is optional and not part of CI (Debian 12: apt-get install python3-torch, 1.13.1): without it
the script says so and exits 0.

Both sides get the same float32 buffers (torch.from_numpy shares the numpy memory) and write into a
preallocated output of their own (simdact: out=; torch: out= / grad_input=, the .out / .grad_input
overloads of the aten ops). torch runs on one thread (torch.set_num_threads(1)) under
torch.inference_mode(); simdact is single-threaded. Ops: sigmoid, tanh, relu, leaky_relu(0.01),
softmax and log_softmax (2-D, row-wise, cols 1000 and cols 10, rows = size // cols), gelu (approximate
'none' and 'tanh'), silu, softplus, elu(alpha=1), and the backward of each against aten's own backward
kernel (sigmoid_backward / tanh_backward take the forward output, as simdact's; relu's is
threshold_backward(grad, x, 0), leaky_relu's leaky_relu_backward(grad, x, slope, False),
softplus_backward(grad, x, 1, 20), elu_backward(grad, 1, 1, 1, False, x),
_softmax_backward_data / _log_softmax_backward_data(grad, output, 1, float32)). The torch call of each
row is listed under the table; each is the lowest-overhead Python binding found for that kernel (torch.X
/ torch._C._nn.X where they take out=, else the aten overload's underlying C++ callable, skipping the
OpOverload Python frame). relu is timed as torch.clamp_min(x, 0, out=): torch.relu has no out= in
Python, and aten's relu is clamp_min(x, 0) in 1.13.

Timing: every (op, size, implementation) is measured once per repetition, in a random order per
repetition (implementations and ops interleaved); one measurement is the median time per call over
batches of calls (a batch lasts >= ~0.2 ms) within --time seconds. The table gives the median over the
repetitions in elements per ns, and "simdact / torch" = the median of the per-repetition ratios
(torch time / simdact time: > 1 means simdact is faster), with their range. At 4 Ki elements a call
is a few microseconds, so the Python call overhead of each side (printed above the table) weighs in.

Accuracy: "max |diff| / max |ref|" is max |simdact - torch| / max |torch| over the op's output on the
benchmark data (x = 3 * N(0, 1), grad = N(0, 1)). An edge-value probe (+-inf, NaN, +-0, subnormals,
values beyond exp's range and around softplus's threshold 20) then lists the element-wise results that
differ, to make convention differences visible (e.g. relu / elu backward at NaN), with torch's own op
in float64 (rounded to float32) as a reference (torch's formulas, so e.g. gelu's 1 + erf(x / sqrt 2)
cancels in its tail there too). torch's softplus
returns x where x > threshold (20); simdact computes log1p(exp(x)) everywhere: at beta = 1 in float32
the two agree anyway (exp(-20) ~ 2e-9 is below half an ulp of 20), which the probe shows.

Options: --reps N (default 5), --sizes (comma-separated, with Ki / Mi suffixes), --quick (sizes 4Ki,64Ki,
3 repetitions, 0.01 s per measurement, unless given), --time, --ops (a subset, e.g. relu,softmax),
--isa (simdact's), --torch-isa (sets ATEN_CPU_CAPABILITY before torch is imported: default, avx2,
avx512), --seed.
"""

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simdact  # noqa: E402

SOFTMAX_COLS = (1000, 10)
SLOPE = 0.01
ELU_ALPHA = 1.0
SOFTPLUS_BETA, SOFTPLUS_THRESHOLD = 1, 20
BATCH_SECONDS = 2e-4  # calls per batch: enough for a batch to last this long


def parse_size(text):
    t = text.strip()
    for suffix, mult in (("Ki", 1 << 10), ("Mi", 1 << 20), ("K", 1 << 10), ("M", 1 << 20), ("k", 1000)):
        if t.endswith(suffix):
            return int(t[: -len(suffix)]) * mult
    return int(t)


def size_label(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return "%d Mi" % (n >> 20)
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return "%d Ki" % (n >> 10)
    return str(n)


def loadavg():
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "n/a"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def torch_capability(torch):
    """torch.backends.cpu.get_cpu_capability() (torch >= 2.0), else the line of torch.__config__.show()."""
    cpu = getattr(torch.backends, "cpu", None)
    if cpu is not None and hasattr(cpu, "get_cpu_capability"):
        return cpu.get_cpu_capability()
    try:
        for line in torch.__config__.show().splitlines():
            if "CPU capability usage" in line:
                return line.split(":", 1)[1].strip() + " (from torch.__config__.show())"
    except Exception:  # noqa: BLE001 (only informative)
        pass
    return "?"


def aten_callable(torch, op, overload):
    """torch.ops.aten.<op>.<overload>, as its underlying C++ callable when it exposes one (no Python frame)."""
    ov = getattr(getattr(torch.ops.aten, op), overload)
    return getattr(ov, "_op", ov)


def timed(f, inner, budget):
    """Median seconds per call of f() over batches of `inner` calls, for about `budget` seconds (>= 3 batches)."""
    times = []
    clock = time.perf_counter
    end = clock() + budget
    rng = range(inner)
    while len(times) < 3 or clock() < end:
        t0 = clock()
        for _ in rng:
            f()
        times.append((clock() - t0) / inner)
    return statistics.median(times)


def calibrate(f):
    """Calls per batch so that a batch lasts about BATCH_SECONDS."""
    t0 = time.perf_counter()
    f()
    f()
    one = (time.perf_counter() - t0) / 2
    return max(1, min(10000, int(math.ceil(BATCH_SECONDS / max(one, 1e-9)))))


class Case:
    def __init__(self, op, size, shape, ours, theirs, out_s, out_t, torch_call):
        self.op, self.size, self.shape = op, size, shape
        self.elements = int(np.prod(shape))
        self.ours, self.theirs = ours, theirs  # no-argument callables writing out_s / out_t
        self.out_s, self.out_t = out_s, out_t
        self.torch_call = torch_call
        self.times = {"simdact": [], "torch": []}
        self.err = None
        self.inner = {}


def rel_diff(a, ref):
    """max |a - ref| / max |ref| over the finite entries of ref, and whether the non-finite ones differ."""
    a = np.asarray(a, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    fin = np.isfinite(ref)
    mismatch = bool(np.any(~fin & ~((a == ref) | (np.isnan(a) & np.isnan(ref)))))
    if not fin.any():
        return 0.0, mismatch
    scale = np.max(np.abs(ref[fin]))
    d = np.max(np.abs(a[fin] - ref[fin]))
    return (d / scale if scale > 0 else d), mismatch


def build_cases(torch, sizes, rng):
    F = torch.float32
    nn = torch._C._nn
    sig_bw = aten_callable(torch, "sigmoid_backward", "grad_input")
    tanh_bw = aten_callable(torch, "tanh_backward", "grad_input")
    thr_bw = aten_callable(torch, "threshold_backward", "grad_input")
    leaky_bw = aten_callable(torch, "leaky_relu_backward", "grad_input")
    gelu_bw = aten_callable(torch, "gelu_backward", "grad_input")
    silu_bw = aten_callable(torch, "silu_backward", "grad_input")
    softplus_bw = aten_callable(torch, "softplus_backward", "grad_input")
    elu_bw = aten_callable(torch, "elu_backward", "grad_input")

    cases = []

    # One scope per size: the lambdas below bind this size's arrays (closures bind late).
    def for_size(n):
        x = (rng.standard_normal(n) * 3).astype(np.float32)
        dy = rng.standard_normal(n).astype(np.float32)
        out_s = np.empty(n, np.float32)
        out_t = torch.empty(n, dtype=F)
        tx, tdy = torch.from_numpy(x), torch.from_numpy(dy)
        # The saved forward outputs the output-based backward ops take: torch's (the reference), shared.
        ysig = torch.sigmoid(tx).numpy()
        ytanh = torch.tanh(tx).numpy()
        tysig, tytanh = torch.from_numpy(ysig), torch.from_numpy(ytanh)

        def add(op, ours, theirs, call, shape=(n,), os_=out_s, ot=out_t):
            cases.append(Case(op, n, shape, ours, theirs, os_, ot, call))

        add("sigmoid", lambda x=x: simdact.sigmoid(x, out=out_s), lambda: torch.sigmoid(tx, out=out_t),
            "torch.sigmoid(x, out=)")
        add("tanh", lambda x=x: simdact.tanh(x, out=out_s), lambda: torch.tanh(tx, out=out_t), "torch.tanh(x, out=)")
        add("relu", lambda x=x: simdact.relu(x, out=out_s), lambda: torch.clamp_min(tx, 0, out=out_t),
            "torch.clamp_min(x, 0, out=) (= aten relu)")
        add("leaky_relu", lambda x=x: simdact.leaky_relu(x, SLOPE, out=out_s),
            lambda: nn.leaky_relu(tx, SLOPE, out=out_t), "torch._C._nn.leaky_relu(x, 0.01, out=)")
        add("gelu", lambda x=x: simdact.gelu(x, out=out_s), lambda: nn.gelu(tx, approximate="none", out=out_t),
            "torch._C._nn.gelu(x, approximate='none', out=)")
        add("gelu_tanh", lambda x=x: simdact.gelu(x, approximate="tanh", out=out_s),
            lambda: nn.gelu(tx, approximate="tanh", out=out_t), "torch._C._nn.gelu(x, approximate='tanh', out=)")
        add("silu", lambda x=x: simdact.silu(x, out=out_s), lambda: nn.silu(tx, out=out_t),
            "torch._C._nn.silu(x, out=)")
        add("softplus", lambda x=x: simdact.softplus(x, out=out_s),
            lambda: nn.softplus(tx, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD, out=out_t),
            "torch._C._nn.softplus(x, 1, 20, out=)")
        add("elu", lambda x=x: simdact.elu(x, ELU_ALPHA, out=out_s),
            lambda: nn.elu(tx, ELU_ALPHA, 1, 1, out=out_t), "torch._C._nn.elu(x, 1.0, 1, 1, out=)")

        add("sigmoid_backward", lambda: simdact.sigmoid_backward(ysig, dy, out=out_s),
            lambda: sig_bw(tdy, tysig, grad_input=out_t), "aten.sigmoid_backward.grad_input(dy, y)")
        add("tanh_backward", lambda: simdact.tanh_backward(ytanh, dy, out=out_s),
            lambda: tanh_bw(tdy, tytanh, grad_input=out_t), "aten.tanh_backward.grad_input(dy, y)")
        add("relu_backward", lambda x=x: simdact.relu_backward(x, dy, out=out_s),
            lambda: thr_bw(tdy, tx, 0, grad_input=out_t), "aten.threshold_backward.grad_input(dy, x, 0)")
        add("leaky_relu_backward", lambda x=x: simdact.leaky_relu_backward(x, dy, SLOPE, out=out_s),
            lambda: leaky_bw(tdy, tx, SLOPE, False, grad_input=out_t),
            "aten.leaky_relu_backward.grad_input(dy, x, 0.01, False)")
        add("gelu_backward", lambda x=x: simdact.gelu_backward(x, dy, out=out_s),
            lambda: gelu_bw(tdy, tx, approximate="none", grad_input=out_t),
            "aten.gelu_backward.grad_input(dy, x, approximate='none')")
        add("gelu_tanh_backward", lambda x=x: simdact.gelu_backward(x, dy, approximate="tanh", out=out_s),
            lambda: gelu_bw(tdy, tx, approximate="tanh", grad_input=out_t),
            "aten.gelu_backward.grad_input(dy, x, approximate='tanh')")
        add("silu_backward", lambda x=x: simdact.silu_backward(x, dy, out=out_s),
            lambda: silu_bw(tdy, tx, grad_input=out_t), "aten.silu_backward.grad_input(dy, x)")
        add("softplus_backward", lambda x=x: simdact.softplus_backward(x, dy, out=out_s),
            lambda: softplus_bw(tdy, tx, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD, grad_input=out_t),
            "aten.softplus_backward.grad_input(dy, x, 1, 20)")
        add("elu_backward", lambda x=x: simdact.elu_backward(x, dy, ELU_ALPHA, out=out_s),
            lambda: elu_bw(tdy, ELU_ALPHA, 1, 1, False, tx, grad_input=out_t),
            "aten.elu_backward.grad_input(dy, 1.0, 1, 1, False, x)")

        for cols in SOFTMAX_COLS:
            rows = n // cols
            if rows < 1:
                continue
            m = rows * cols
            shape = (rows, cols)
            x2, dy2 = x[:m].reshape(shape), dy[:m].reshape(shape)
            tx2, tdy2 = torch.from_numpy(x2), torch.from_numpy(dy2)
            os2, ot2 = out_s[:m].reshape(shape), out_t[:m].view(shape)
            p = torch.softmax(tx2, 1).numpy()
            lp = torch.log_softmax(tx2, 1).numpy()
            tp, tlp = torch.from_numpy(p), torch.from_numpy(lp)
            tag = "(c%d)" % cols
            add("softmax " + tag, lambda x2=x2, os2=os2: simdact.softmax(x2, out=os2),
                lambda tx2=tx2, ot2=ot2: torch.softmax(tx2, 1, out=ot2), "torch.softmax(x, 1, out=)", shape, os2, ot2)
            add("log_softmax " + tag, lambda x2=x2, os2=os2: simdact.log_softmax(x2, out=os2),
                lambda tx2=tx2, ot2=ot2: torch.log_softmax(tx2, 1, out=ot2), "torch.log_softmax(x, 1, out=)",
                shape, os2, ot2)
            add("softmax_backward " + tag, lambda p=p, dy2=dy2, os2=os2: simdact.softmax_backward(p, dy2, out=os2),
                lambda tp=tp, tdy2=tdy2, ot2=ot2: torch._softmax_backward_data(tdy2, tp, 1, F, grad_input=ot2),
                "torch._softmax_backward_data(dy, y, 1, float32, grad_input=)", shape, os2, ot2)
            add("log_softmax_backward " + tag,
                lambda lp=lp, dy2=dy2, os2=os2: simdact.log_softmax_backward(lp, dy2, out=os2),
                lambda tlp=tlp, tdy2=tdy2, ot2=ot2: torch._log_softmax_backward_data(tdy2, tlp, 1, F, out=ot2),
                "torch._log_softmax_backward_data(dy, y, 1, float32, out=)", shape, os2, ot2)

    for n in sizes:
        for_size(n)
    return cases


ORDER = [
    "sigmoid", "tanh", "relu", "leaky_relu", "softmax (c1000)", "softmax (c10)", "log_softmax (c1000)",
    "log_softmax (c10)", "gelu", "gelu_tanh", "silu", "softplus", "elu",
    "sigmoid_backward", "tanh_backward", "relu_backward", "leaky_relu_backward", "softmax_backward (c1000)",
    "softmax_backward (c10)", "log_softmax_backward (c1000)", "log_softmax_backward (c10)", "gelu_backward",
    "gelu_tanh_backward", "silu_backward", "softplus_backward", "elu_backward",
]


def edge_probe(torch):
    """Element-wise results on special values that differ between simdact and torch (float32):
    (op, x, simdact, torch, torch in float64 rounded to float32 as a reference)."""
    xs = np.array([-np.inf, -1e4, -104.5, -100, -88.5, -87, -50, -30, -20.5, -20, -10, -1, -1e-3, -1e-40, -0.0,
                   0.0, 1e-40, 1e-3, 1, 10, 15, 19.5, 20, 20.5, 25, 30, 50, 88.5, 100, 1e4, np.inf, np.nan],
                  dtype=np.float32)
    g = np.ones_like(xs)
    nn = torch._C._nn
    A = torch.ops.aten
    ysig, ytanh = torch.sigmoid(torch.from_numpy(xs)), torch.tanh(torch.from_numpy(xs))
    # (op, simdact's result, torch's op on (x, grad, saved output) tensors of any dtype)
    ops = [
        ("sigmoid", simdact.sigmoid(xs), lambda x, g, y: torch.sigmoid(x)),
        ("tanh", simdact.tanh(xs), lambda x, g, y: torch.tanh(x)),
        ("relu", simdact.relu(xs), lambda x, g, y: torch.relu(x)),
        ("leaky_relu", simdact.leaky_relu(xs, SLOPE), lambda x, g, y: nn.leaky_relu(x, SLOPE)),
        ("gelu", simdact.gelu(xs), lambda x, g, y: nn.gelu(x, approximate="none")),
        ("gelu_tanh", simdact.gelu(xs, approximate="tanh"), lambda x, g, y: nn.gelu(x, approximate="tanh")),
        ("silu", simdact.silu(xs), lambda x, g, y: nn.silu(x)),
        ("softplus", simdact.softplus(xs), lambda x, g, y: nn.softplus(x, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD)),
        ("elu", simdact.elu(xs, ELU_ALPHA), lambda x, g, y: nn.elu(x, ELU_ALPHA, 1, 1)),
        ("sigmoid_backward (y = sigmoid(x) in f32)", simdact.sigmoid_backward(ysig.numpy(), g),
         lambda x, g, y: A.sigmoid_backward(g, y.to(x.dtype))),
        ("tanh_backward (y = tanh(x) in f32)", simdact.tanh_backward(ytanh.numpy(), g),
         lambda x, g, y: A.tanh_backward(g, y.to(x.dtype))),
        ("relu_backward", simdact.relu_backward(xs, g), lambda x, g, y: A.threshold_backward(g, x, 0)),
        ("leaky_relu_backward", simdact.leaky_relu_backward(xs, g, SLOPE),
         lambda x, g, y: A.leaky_relu_backward(g, x, SLOPE, False)),
        ("gelu_backward", simdact.gelu_backward(xs, g), lambda x, g, y: A.gelu_backward(g, x, approximate="none")),
        ("gelu_tanh_backward", simdact.gelu_backward(xs, g, approximate="tanh"),
         lambda x, g, y: A.gelu_backward(g, x, approximate="tanh")),
        ("silu_backward", simdact.silu_backward(xs, g), lambda x, g, y: A.silu_backward(g, x)),
        ("softplus_backward", simdact.softplus_backward(xs, g),
         lambda x, g, y: A.softplus_backward(g, x, SOFTPLUS_BETA, SOFTPLUS_THRESHOLD)),
        ("elu_backward", simdact.elu_backward(xs, g, ELU_ALPHA),
         lambda x, g, y: A.elu_backward(g, ELU_ALPHA, 1, 1, False, x)),
    ]
    tx, tg = torch.from_numpy(xs), torch.from_numpy(g)
    tx64, tg64 = tx.double(), tg.double()
    found = []
    with np.errstate(invalid="ignore"):
        for op, ours, f in ops:
            y = ysig if op.startswith("sigmoid_") else ytanh
            theirs = f(tx, tg, y).numpy()
            ref = f(tx64, tg64, y).float().numpy()
            a, b = ours.astype(np.float64), theirs.astype(np.float64)
            same = (a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= 1e-5 * np.maximum(np.abs(a), np.abs(b)))
            for i in np.flatnonzero(~same):
                found.append((op, xs[i], ours[i], theirs[i], ref[i]))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=None, help="repetitions (default 5; 3 with --quick)")
    ap.add_argument("--sizes", default=None, help="comma-separated float counts (default 4Ki,64Ki,1Mi; "
                    "4Ki,64Ki with --quick)")
    ap.add_argument("--quick", action="store_true", help="fewer sizes and repetitions, shorter measurements")
    ap.add_argument("--time", type=float, default=None,
                    help="seconds per measurement (default 0.04; 0.01 with --quick)")
    ap.add_argument("--isa", help="run simdact on this ISA (default: the detected one)")
    ap.add_argument("--torch-isa", choices=("default", "avx2", "avx512"),
                    help="sets ATEN_CPU_CAPABILITY for torch (default: torch's own choice)")
    ap.add_argument("--ops", help="comma-separated op names to time (as in the table, without the (cN) tag; "
                    "default: all)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    reps = args.reps if args.reps is not None else (3 if args.quick else 5)
    budget = args.time if args.time is not None else (0.01 if args.quick else 0.04)
    sizes_text = args.sizes if args.sizes is not None else ("4Ki,64Ki" if args.quick else "4Ki,64Ki,1Mi")
    sizes = [parse_size(s) for s in sizes_text.split(",") if s.strip()]
    if reps < 1 or not sizes or min(sizes) < 1:
        ap.error("--reps and the sizes must be positive")

    if args.torch_isa:
        os.environ["ATEN_CPU_CAPABILITY"] = args.torch_isa
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch
    except (ImportError, OSError) as e:
        print("bench_vs_torch: PyTorch is not importable (%s): skipped. (Debian 12: apt-get install python3-torch; "
              "it is not part of CI.)" % (e,))
        return 0
    torch.set_num_threads(1)
    if args.isa:
        simdact.set_isa(args.isa)

    load_before = loadavg()
    print("simdact %s on %s (%s) | torch %s, CPU capability %s%s, %d thread(s) | numpy %s | python %s"
          % (simdact.version(), simdact.isa_name(), simdact.library_path, torch.__version__,
             torch_capability(torch),
             (" (ATEN_CPU_CAPABILITY=%s)" % os.environ["ATEN_CPU_CAPABILITY"]
              if os.environ.get("ATEN_CPU_CAPABILITY") else ""),
             torch.get_num_threads(), np.__version__, platform.python_version()))
    print("%s, %s, %d CPUs | load average %s (before)" % (platform.machine(), cpu_model(), os.cpu_count(),
                                                          load_before))

    rng = np.random.default_rng(args.seed)
    t_start = time.perf_counter()
    with torch.inference_mode():
        cases = build_cases(torch, sizes, rng)
        if args.ops:
            wanted = {o.strip() for o in args.ops.split(",") if o.strip()}
            unknown = wanted - {c.op.split()[0] for c in cases}
            if unknown:
                ap.error("unknown op(s) in --ops: %s" % ", ".join(sorted(unknown)))
            cases = [c for c in cases if c.op.split()[0] in wanted]
        # Warm-up, correctness (one call each) and calibration.
        for c in cases:
            c.ours()
            c.theirs()
            c.err = rel_diff(c.out_s, c.out_t.numpy())
            c.inner = {"simdact": calibrate(c.ours), "torch": calibrate(c.theirs)}
        # Per-call overhead: a 1-element relu on each side.
        one, one_out = np.zeros(1, np.float32), np.zeros(1, np.float32)
        tone, tone_out = torch.from_numpy(one), torch.from_numpy(one_out.copy())
        ov_s = timed(lambda: simdact.relu(one, out=one_out), 2000, 0.05)
        ov_t = timed(lambda: torch.clamp_min(tone, 0, out=tone_out), 2000, 0.05)
        order = random.Random(args.seed)
        for _ in range(reps):
            jobs = [(c, impl) for c in cases for impl in ("simdact", "torch")]
            order.shuffle(jobs)
            for c, impl in jobs:
                f = c.ours if impl == "simdact" else c.theirs
                c.times[impl].append(timed(f, c.inner[impl], budget))
        probe = edge_probe(torch)
    wall = time.perf_counter() - t_start

    print("%d repetition(s), %.3f s per measurement, random order per repetition; %.1f s in all | load average "
          "%s (after)" % (reps, budget, wall, loadavg()))
    print("per-call overhead (1-element relu with out=): simdact %.2f us, torch %.2f us\n" % (ov_s * 1e6, ov_t * 1e6))

    print("| op | size | shape | simdact el/ns | torch el/ns | simdact / torch | ratio range | "
          "max \\|diff\\| / max \\|ref\\| |")
    print("|:--|--:|--:|--:|--:|--:|--:|--:|")
    rank = {name: i for i, name in enumerate(ORDER)}
    calls = {}
    for c in sorted(cases, key=lambda c: (rank.get(c.op, len(ORDER)), c.size)):
        ts, tt = c.times["simdact"], c.times["torch"]
        ratios = [b / a for a, b in zip(ts, tt)]
        err, nonfinite = c.err
        print("| %s | %s | %s | %.3f | %.3f | %.2f | %.2f-%.2f | %.1e%s |"
              % (c.op, size_label(c.size), "x".join(map(str, c.shape)), c.elements / (statistics.median(ts) * 1e9),
                 c.elements / (statistics.median(tt) * 1e9), statistics.median(ratios), min(ratios), max(ratios),
                 err, " (non-finite differ)" if nonfinite else ""))
        calls.setdefault(c.op, c.torch_call)
    print("\nsimdact / torch > 1: simdact is faster. torch calls (aten.X.Y = torch.ops.aten.X.Y):")
    for op in sorted(calls, key=lambda o: rank.get(o, len(ORDER))):
        print("- %s: %s" % (op, calls[op]))

    print("\nEdge-value probe (grad = 1): element-wise results that differ (beyond 1e-5 relative)")
    if not probe:
        print("none")
    else:
        print("| op | x | simdact | torch | torch in float64 |")
        print("|:--|--:|--:|--:|--:|")
        for op, x, a, b, r in probe:
            print("| %s | %.9g | %.9g | %.9g | %.9g |" % (op, x, a, b, r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
