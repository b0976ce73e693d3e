#!/usr/bin/env python3
"""Speed-up of simdact's Python layer over the seed's numpy code, per op.

    PYTHONPATH=python /usr/bin/python3 python/bench_vs_numpy.py [--isa avx2] [--n 1048576] [--time 0.3]

Element-wise ops on n = 1 Mi float32 elements, softmax on 1024 x 1024 (row-wise). Both sides get the
same float32 arrays; the seed's code is the one in ../shared/seed-activations.md (Module classes,
forward / backward). "simdact" is the same call shape as the seed (a new output array each call);
"out=" reuses a preallocated output. Each figure is the median time per call over --time seconds.
The ops beyond the seed (log_softmax, gelu_tanh, silu, softplus, elu and their backward) have no seed
code: they are timed against the plain numpy formula in float32 (marked "numpy formula"; GELU's erf
form has none in numpy and is left out). "softmax a[:, :k]" is a block of columns of the softmax input,
which simdact reads in place (the strided entry point) and the seed's code takes as a view too.
"""

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simdact  # noqa: E402


# The seed's code (verbatim bodies).
class SeedSigmoid:
    def forward(self, input):
        self.output = 1 / (1 + np.exp(-input))
        return self.output

    def backward(self, input, grad_output):
        sigma = self.output
        return np.multiply(grad_output, sigma * (1 - sigma))


class SeedTanh:
    def forward(self, input):
        self.output = np.tanh(input)
        return self.output

    def backward(self, input, grad_output):
        th = self.output
        return np.multiply(grad_output, (1 - th * th))


class SeedReLU:
    def forward(self, input):
        self.output = np.maximum(input, 0)
        return self.output

    def backward(self, input, grad_output):
        return np.multiply(grad_output, input > 0)


class SeedLeakyReLU:
    def __init__(self, slope=0.01):
        self.slope = slope

    def forward(self, input):
        self.output = (input > 0) * input + (input <= 0) * self.slope * input
        return self.output

    def backward(self, input, grad_output):
        return np.multiply(grad_output, (input > 0) + (input <= 0) * self.slope)


class SeedSoftmax:
    def forward(self, input):
        self.output = self.softmax = self._softmax(input)
        return self.output

    def backward(self, input, grad_output):
        p = self.softmax
        return p * (grad_output - (grad_output * p).sum(axis=1)[:, None])

    def _softmax(self, x):
        x = np.subtract(x, x.max(axis=1, keepdims=True))
        e_m = np.exp(x)
        sum_e = np.repeat(np.sum(e_m, axis=1), x.shape[-1]).reshape(*e_m.shape)
        return e_m / sum_e


def per_call(f, budget):
    """Median seconds per call of f() over about `budget` seconds (at least 5 calls)."""
    f()  # warm-up: page faults, lazy binding, first-use detection
    times = []
    end = time.perf_counter() + budget
    while len(times) < 5 or time.perf_counter() < end:
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--isa", help="run simdact on this ISA (default: the detected one)")
    ap.add_argument("--n", type=int, default=1 << 20, help="elements for the element-wise ops (default 1 Mi)")
    ap.add_argument("--rows", type=int, default=1024, help="softmax rows (default 1024)")
    ap.add_argument("--cols", type=int, default=1024, help="softmax cols (default 1024)")
    ap.add_argument("--time", type=float, default=0.3, help="seconds per measurement (default 0.3)")
    args = ap.parse_args()
    if args.isa:
        simdact.set_isa(args.isa)

    rng = np.random.default_rng(0)
    n = args.n
    x = (rng.standard_normal(n) * 3).astype(np.float32)
    dy = rng.standard_normal(n).astype(np.float32)
    out = np.empty_like(x)
    sx = (rng.standard_normal((args.rows, args.cols)) * 3).astype(np.float32)
    sdy = rng.standard_normal((args.rows, args.cols)).astype(np.float32)
    sout = np.empty_like(sx)

    def seed_pair(cls, inp, grad, *ctor):
        m = cls(*ctor)
        m.forward(inp)
        return m

    sig, th = simdact.sigmoid(x), simdact.tanh(x)
    p = simdact.softmax(sx)
    s_sig, s_th = seed_pair(SeedSigmoid, x, dy), seed_pair(SeedTanh, x, dy)
    s_relu, s_leaky = SeedReLU(), SeedLeakyReLU(0.01)
    s_soft = seed_pair(SeedSoftmax, sx, sdy)

    # (name, elements, seed call, simdact call, simdact out= call)
    cases = [
        ("sigmoid", n, lambda: SeedSigmoid().forward(x), lambda: simdact.sigmoid(x),
         lambda: simdact.sigmoid(x, out=out)),
        ("sigmoid_backward", n, lambda: s_sig.backward(x, dy), lambda: simdact.sigmoid_backward(sig, dy),
         lambda: simdact.sigmoid_backward(sig, dy, out=out)),
        ("tanh", n, lambda: SeedTanh().forward(x), lambda: simdact.tanh(x), lambda: simdact.tanh(x, out=out)),
        ("tanh_backward", n, lambda: s_th.backward(x, dy), lambda: simdact.tanh_backward(th, dy),
         lambda: simdact.tanh_backward(th, dy, out=out)),
        ("relu", n, lambda: s_relu.forward(x), lambda: simdact.relu(x), lambda: simdact.relu(x, out=out)),
        ("relu_backward", n, lambda: s_relu.backward(x, dy), lambda: simdact.relu_backward(x, dy),
         lambda: simdact.relu_backward(x, dy, out=out)),
        ("leaky_relu", n, lambda: s_leaky.forward(x), lambda: simdact.leaky_relu(x, 0.01),
         lambda: simdact.leaky_relu(x, 0.01, out=out)),
        ("leaky_relu_backward", n, lambda: s_leaky.backward(x, dy), lambda: simdact.leaky_relu_backward(x, dy, 0.01),
         lambda: simdact.leaky_relu_backward(x, dy, 0.01, out=out)),
        ("softmax %dx%d" % (args.rows, args.cols), args.rows * args.cols, lambda: SeedSoftmax().forward(sx),
         lambda: simdact.softmax(sx), lambda: simdact.softmax(sx, out=sout)),
        ("softmax_backward %dx%d" % (args.rows, args.cols), args.rows * args.cols, lambda: s_soft.backward(sx, sdy),
         lambda: simdact.softmax_backward(p, sdy), lambda: simdact.softmax_backward(p, sdy, out=sout)),
    ]
    # A block of columns (a strided view, no copy on simdact's side).
    half = max(args.cols // 2, 1)
    block, block_out = sx[:, :half], np.empty((args.rows, half), np.float32)
    cases.append(("softmax a[:, :%d] (strided)" % half, args.rows * half, lambda: SeedSoftmax().forward(block),
                  lambda: simdact.softmax(block), lambda: simdact.softmax(block, out=block_out)))
    # Beyond the seed: against the plain numpy formula (float32 throughout).
    k = np.float32(np.sqrt(2.0 / np.pi))
    half32, one32 = np.float32(0.5), np.float32(1.0)

    def np_log_softmax(a):
        z = a - a.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def np_sigmoid(a):
        return one32 / (one32 + np.exp(-a))

    def np_gelu_tanh(a):
        return half32 * a * (one32 + np.tanh(k * (a + np.float32(0.044715) * a * a * a)))

    lsm = simdact.log_softmax(sx)
    beyond = [
        ("log_softmax %dx%d" % (args.rows, args.cols), args.rows * args.cols, lambda: np_log_softmax(sx),
         lambda: simdact.log_softmax(sx), lambda: simdact.log_softmax(sx, out=sout)),
        ("log_softmax_backward %dx%d" % (args.rows, args.cols), args.rows * args.cols,
         lambda: sdy - np.exp(lsm) * sdy.sum(axis=1, keepdims=True),
         lambda: simdact.log_softmax_backward(lsm, sdy), lambda: simdact.log_softmax_backward(lsm, sdy, out=sout)),
        ("gelu_tanh", n, lambda: np_gelu_tanh(x), lambda: simdact.gelu_tanh(x), lambda: simdact.gelu_tanh(x, out=out)),
        ("silu", n, lambda: x * np_sigmoid(x), lambda: simdact.silu(x), lambda: simdact.silu(x, out=out)),
        ("silu_backward", n, lambda: dy * (lambda s: s * (one32 + x * (one32 - s)))(np_sigmoid(x)),
         lambda: simdact.silu_backward(x, dy), lambda: simdact.silu_backward(x, dy, out=out)),
        ("softplus", n, lambda: np.logaddexp(np.float32(0), x), lambda: simdact.softplus(x),
         lambda: simdact.softplus(x, out=out)),
        ("elu", n, lambda: np.where(x > 0, x, np.expm1(x)), lambda: simdact.elu(x), lambda: simdact.elu(x, out=out)),
        ("elu_backward", n, lambda: dy * np.where(x > 0, one32, np.exp(x)), lambda: simdact.elu_backward(x, dy),
         lambda: simdact.elu_backward(x, dy, out=out)),
    ]
    for name, elems, np_f, ours_f, ours_out_f in beyond:
        if name.split()[0] in simdact._lib.kernels:  # the library has the kernel
            cases.append((name + " (numpy formula)", elems, np_f, ours_f, ours_out_f))
    # The optional fast kernels, against the seed's exact ones, if the library has them.
    for op, seed_cls in (("sigmoid_fast", SeedSigmoid), ("tanh_fast", SeedTanh)):
        if hasattr(simdact, op):
            f = getattr(simdact, op)
            cases.append((op + " (vs seed " + op[: -len("_fast")] + ")", n, lambda c=seed_cls: c().forward(x),
                          lambda f=f: f(x), lambda f=f: f(x, out=out)))

    print("simdact %s on %s (%s) | numpy %s | python %s | %s, %d CPUs"
          % (simdact.version(), simdact.isa_name(), simdact.library_path, np.__version__,
             platform.python_version(), platform.machine(), os.cpu_count()))
    print("element-wise ops: %d float32 elements; softmax: %d x %d; median per call over %.2f s\n"
          % (n, args.rows, args.cols, args.time))
    print("| op | numpy seed ms | simdact ms | speed-up | simdact out= ms | speed-up (out=) |")
    print("|:--|--:|--:|--:|--:|--:|")
    with np.errstate(all="ignore"):
        for name, elems, seed_f, ours_f, ours_out_f in cases:
            t_seed = per_call(seed_f, args.time)
            t_ours = per_call(ours_f, args.time)
            t_out = per_call(ours_out_f, args.time)
            print("| %s | %.3f | %.3f | %.1fx | %.3f | %.1fx |"
                  % (name, t_seed * 1e3, t_ours * 1e3, t_seed / t_ours, t_out * 1e3, t_seed / t_out))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
