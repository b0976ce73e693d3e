"""simdact's Python package against the seed's numpy code (../shared/seed-activations.md).

Run: PYTHONPATH=python /usr/bin/python3 -m unittest discover -s python/tests
(ctest runs it as python_tests, with SIMDACT_LIBRARY set to the library just built.)

The seed's classes are copied below as the reference. Forward ops are compared with the seed evaluated
in float64 (the contract's error bounds: 4 ULP for sigmoid/tanh, 4e-6 relative for softmax); backward
ops with the seed's formula in float32 on the same forward output, bit for bit where the seed's numpy
computes in float32 (sigmoid, tanh, relu). Every comparison runs on every ISA this machine supports.
The documented differences from the seed are tested as such (DocumentedDifferences).

The layers beyond the seed (LogSoftmax, GELU, SiLU, Softplus, ELU; BeyondTheSeed) are compared with
their formulas in float64: forward <= 2 ULP (log_softmax: absolute <= 2 ULP of max(|y|, 1)), backward
within 1e-6 relative (plus 1e-6 |dy|), and each layer's backward with finite differences of its forward.
Softmax and log-softmax of row-strided views (StridedRows) go through the strided C entry points without
a copy and give the very bits of the contiguous call.
"""

import contextlib
import math
import os
import sys
import threading
import unittest
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # python/
import simdact  # noqa: E402


# --- The seed (verbatim but for the Module base, which the seed does not show) ------------------------
class Module:
    def __init__(self):
        self.output = None


class SeedSigmoid(Module):
    def forward(self, input):
        self.output = self.__class__._sigmoid(input)
        return self.output

    def backward(self, input, grad_output):
        sigma = self.output
        grad_input = np.multiply(grad_output, sigma * (1 - sigma))
        return grad_input

    @staticmethod
    def _sigmoid(x):
        return 1 / (1 + np.exp(-x))


class SeedTanh(Module):
    def forward(self, input):
        self.output = np.tanh(input)
        return self.output

    def backward(self, input, grad_output):
        th = self.output
        grad_input = np.multiply(grad_output, (1 - th * th))
        return grad_input


class SeedReLU(Module):
    """Rectified linear unit. Activation function."""

    def forward(self, input):
        self.output = np.maximum(input, 0)
        return self.output

    def backward(self, input, grad_output):
        grad_input = np.multiply(grad_output, input > 0)
        return grad_input


class SeedLeakyReLU(Module):
    def __init__(self, slope=0.01):
        super().__init__()
        self.slope = slope

    def forward(self, input):
        self.output = (input > 0) * input + (input <= 0) * self.slope * input
        return self.output

    def backward(self, input, grad_output):
        grad_input = np.multiply(grad_output, (input > 0) + (input <= 0) * self.slope)
        return grad_input


class SeedSoftmax(Module):
    def forward(self, input):
        self.output = self.softmax = self._softmax(input)
        return self.output

    def backward(self, input, grad_output):
        p = self.softmax
        grad_input = p * (grad_output - (grad_output * p).sum(axis=1)[:, None])
        return grad_input

    def _softmax(self, x):
        x = np.subtract(x, x.max(axis=1, keepdims=True))
        e_m = np.exp(x)
        sum_e = np.repeat(np.sum(e_m, axis=1), x.shape[-1]).reshape(*e_m.shape)
        return e_m / sum_e


# --- helpers -------------------------------------------------------------------------------------------
F32 = np.float32
FLT_MIN = 2.0**-126
# simdact.h's accuracy tiers: sigmoid/tanh <= 2 ULP from the correctly rounded result (the reference here
# is the double-precision value, so a correctly rounded result is already 0.5 ULP from it: the bound is
# 2.5); sigmoid_fast/tanh_fast <= 4 ULP for results >= FLT_MIN.
ACCURATE_ULP = 2.5
FAST_ULP = 4.5
SPECIALS = np.array(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-40, -1e-40, 1e-30, -1e-30, 9.01, -9.01,
     20.0, -20.0, 87.3, -87.3, 88.8, -88.8, 89.0, -89.0, 103.9, -103.9, 104.0, -104.0, 1e30, -1e30,
     3.4e38, -3.4e38],
    dtype=F32,
)
SIZES = (0, 1, 3, 8, 15, 16, 17, 63, 64, 65, 1000)


def quiet(f, *args):
    """The seed's numpy code raises overflow/invalid warnings on extreme inputs: silence them."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


def seed64(cls, x, *ctor):
    """The seed's forward in float64 (the accurate reference for the forward ops)."""
    return quiet(cls(*ctor).forward, np.asarray(x, dtype=np.float64))


def ulp_error(got, ref):
    """|got - ref| in float32 ULPs of ref's binade (results below FLT_MIN: units of 2^-149)."""
    got = got.astype(np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    _, e = np.frexp(np.maximum(np.abs(ref), FLT_MIN))
    ulp = np.ldexp(1.0, e - 24)
    with np.errstate(all="ignore"):
        err = np.abs(got - ref) / ulp
    both_nan = np.isnan(got) & np.isnan(ref)
    same_inf = np.isinf(ref) & (got == ref)
    err = np.where(both_nan | same_inf, 0.0, err)
    return np.where(np.isnan(err), np.inf, err)


def to_f32(a):
    """float64 -> float32, overflowing to +-inf without a warning (as float32 arithmetic would)."""
    return quiet(lambda: np.asarray(a).astype(F32))


def bits(a):
    return np.ascontiguousarray(a, dtype=F32).view(np.uint32)


def random_inputs(rng, n, scale=5.0):
    return (rng.standard_normal(n) * scale).astype(F32)


class IsaCase(unittest.TestCase):
    def each_isa(self):
        """Every ISA this machine runs; use as `for isa in self.each_isa(): with self.on(isa): ...`."""
        isas = simdact.supported_isas()
        self.assertGreaterEqual(len(isas), 1)
        return isas

    @contextlib.contextmanager
    def on(self, isa):
        """A subTest named by the ISA, with that ISA switched on (and restored after)."""
        with self.subTest(isa=isa.name.lower()), simdact.use_isa(isa):
            yield isa

    def assert_ulp(self, got, ref, limit, name, x):
        err = ulp_error(got, ref)
        worst = err.max(initial=0.0)
        if worst > limit:
            self.fail("%s: %s ULP > %s at x=%r" % (name, worst, limit, x.flat[err.argmax()]))


# --- forward and backward against the seed ------------------------------------------------------------
class SeedParity(IsaCase):
    def setUp(self):
        self.rng = np.random.default_rng(20240611)

    def inputs(self):
        """(name, x) pairs: random of many lengths, wide random, the specials, 2-D."""
        for n in SIZES:
            yield "randn[%d]" % n, random_inputs(self.rng, n)
        yield "wide", (self.rng.standard_normal(4099) * 60).astype(F32)
        yield "specials", SPECIALS
        yield "specials x3 (tails)", np.concatenate([SPECIALS, SPECIALS[::-1], SPECIALS[5:]])
        yield "2-D", random_inputs(self.rng, 37 * 29).reshape(37, 29)

    def test_sigmoid(self):
        for isa in self.each_isa():
            with self.on(isa):
                for name, x in self.inputs():
                    layer = simdact.Sigmoid()
                    y = layer.forward(x)
                    self.assertIs(layer.output, y)
                    self.assertEqual((y.dtype, y.shape), (F32, x.shape))
                    self.assert_ulp(y, seed64(SeedSigmoid, x), ACCURATE_ULP, name, x)
                    # backward: the seed's formula in float32 on the same output, bit for bit.
                    dy = random_inputs(self.rng, x.size).reshape(x.shape)
                    seed = SeedSigmoid()
                    seed.output = y.copy()
                    want = quiet(seed.backward, x, dy)
                    np.testing.assert_array_equal(bits(layer.backward(x, dy)), bits(want), name)

    def test_tanh(self):
        for isa in self.each_isa():
            with self.on(isa):
                for name, x in self.inputs():
                    layer = simdact.Tanh()
                    y = layer.forward(x)
                    self.assertIs(layer.output, y)
                    self.assert_ulp(y, seed64(SeedTanh, x), ACCURATE_ULP, name, x)
                    dy = random_inputs(self.rng, x.size).reshape(x.shape)
                    seed = SeedTanh()
                    seed.output = y.copy()
                    want = quiet(seed.backward, x, dy)
                    np.testing.assert_array_equal(bits(layer.backward(x, dy)), bits(want), name)

    def test_relu(self):
        for isa in self.each_isa():
            with self.on(isa):
                for name, x in self.inputs():
                    layer = simdact.ReLU()
                    y = layer.forward(x)
                    self.assertIs(layer.output, y)
                    want = quiet(SeedReLU().forward, x)
                    self.assertEqual(want.dtype, F32)
                    np.testing.assert_array_equal(bits(y), bits(want), name)  # exact, NaN and zeros' signs too
                    dy = random_inputs(self.rng, x.size).reshape(x.shape)
                    got = layer.backward(x, dy)
                    want = quiet(SeedReLU().backward, x, dy)
                    ok = ~np.isnan(x)  # NaN inputs: a documented difference, tested below
                    np.testing.assert_array_equal(bits(got[ok]), bits(want[ok]), name)

    def test_leaky_relu(self):
        for isa in self.each_isa():
            with self.on(isa):
                for slope in (0.01, 0.25, 0.2, 1.5):
                    for name, x in self.inputs():
                        layer = simdact.LeakyReLU(slope)
                        y = layer.forward(x)
                        self.assertIs(layer.output, y)
                        want = quiet(SeedLeakyReLU(slope).forward, x)  # float64 (bool * python float)
                        ok = np.isfinite(x)  # +-inf: documented difference
                        if slope == 0.25:  # exact in float32: one rounding in both
                            np.testing.assert_array_equal(bits(y[ok]), bits(to_f32(want[ok])), name)
                        else:  # slope rounded to float32 first
                            np.testing.assert_allclose(y[ok], to_f32(want[ok]), rtol=1.5e-7, atol=2.0**-149, err_msg=name)
                        self.assertTrue(np.isnan(y[np.isnan(x)]).all())
                        dy = random_inputs(self.rng, x.size).reshape(x.shape)
                        got = layer.backward(x, dy)
                        want = quiet(SeedLeakyReLU(slope).backward, x, dy)
                        ok = ~np.isnan(x)
                        if slope == 0.25:
                            np.testing.assert_array_equal(bits(got[ok]), bits(to_f32(want[ok])), name)
                        else:
                            np.testing.assert_allclose(got[ok], to_f32(want[ok]), rtol=1.5e-7, atol=2.0**-149, err_msg=name)

    def softmax_inputs(self):
        for rows, cols in ((1, 1), (3, 1), (1, 7), (5, 16), (4, 17), (7, 100), (2, 1000), (1, 4099)):
            yield "randn %dx%d" % (rows, cols), random_inputs(self.rng, rows * cols, 3.0).reshape(rows, cols)
        yield "wide", (self.rng.uniform(-100, 100, size=(6, 50))).astype(F32)
        yield "big", (self.rng.uniform(1000, 1010, size=(3, 33))).astype(F32)
        edge = np.array(
            [[0, 1, 2, 3, np.nan, 5, 6, 7, 8],  # NaN -> row of NaN
             [0, 1, np.inf, 3, 4, 5, 6, 7, 8],  # +inf -> row of NaN
             [-np.inf] * 9,  # all -inf -> row of NaN
             [-np.inf, 0, 1, -np.inf, 2, 3, 4, 5, -np.inf],  # -inf entries -> +0
             [3.4e38, -3.4e38, 0, 1, 2, 3, 4, 5, 6],
             [1, 1, 1, 1, 1, 1, 1, 1, 1]],
            dtype=F32,
        )
        yield "edge rows", edge

    def test_softmax(self):
        for isa in self.each_isa():
            with self.on(isa):
                for name, x in self.softmax_inputs():
                    layer = simdact.Softmax()
                    p = layer.forward(x)
                    self.assertIs(layer.output, p)
                    self.assertIs(layer.softmax, p)
                    ref = seed64(SeedSoftmax, x)
                    nan = np.isnan(ref)
                    np.testing.assert_array_equal(np.isnan(p), nan, name)
                    np.testing.assert_allclose(p[~nan], ref[~nan], rtol=4e-6, atol=FLT_MIN, err_msg=name)
                    # backward: the seed's formula in float64 on the same p and dy; the error bound of
                    # simdact.h (the row sum within ~2^-22 sum|dy*p|, then two float32 roundings).
                    dy = random_inputs(self.rng, x.size, 2.0).reshape(x.shape)
                    got = layer.backward(x, dy)
                    seed = SeedSoftmax()
                    seed.softmax = p.astype(np.float64)
                    want = quiet(seed.backward, x, dy.astype(np.float64))
                    p64, dy64 = p.astype(np.float64), dy.astype(np.float64)
                    with np.errstate(all="ignore"):
                        s = np.abs(dy64 * p64).sum(axis=1, keepdims=True)
                        dot = (dy64 * p64).sum(axis=1, keepdims=True)
                        bound = 2 * (p64 * (2.0**-22 * s + 2.0**-22 * np.abs(dy64 - dot)) + 2.0**-149)
                    nan = np.isnan(want)
                    np.testing.assert_array_equal(np.isnan(got), nan, name)
                    diff = np.abs(got[~nan] - want[~nan])
                    self.assertTrue((diff <= bound[~nan]).all(), "%s: max excess %s" % (name, (diff - bound[~nan]).max(initial=0)))

    def test_softmax_1d_is_one_row(self):
        x = random_inputs(self.rng, 77)
        for isa in self.each_isa():
            with self.on(isa):
                p = simdact.softmax(x)
                self.assertEqual(p.shape, (77,))
                np.testing.assert_array_equal(bits(p), bits(simdact.softmax(x.reshape(1, 77)).ravel()))
                np.testing.assert_allclose(p, seed64(SeedSoftmax, x.reshape(1, 77)).ravel(), rtol=4e-6)
                dy = random_inputs(self.rng, 77)
                np.testing.assert_array_equal(
                    bits(simdact.softmax_backward(p, dy)), bits(simdact.softmax_backward(p.reshape(1, 77), dy.reshape(1, 77)).ravel())
                )

    def test_functions_match_layers(self):
        x = random_inputs(self.rng, 1000).reshape(10, 100)
        dy = random_inputs(self.rng, 1000).reshape(10, 100)
        for isa in self.each_isa():
            with self.on(isa):
                pairs = [
                    (simdact.Sigmoid(), simdact.sigmoid, simdact.sigmoid_backward, True, ()),
                    (simdact.Tanh(), simdact.tanh, simdact.tanh_backward, True, ()),
                    (simdact.ReLU(), simdact.relu, simdact.relu_backward, False, ()),
                    (simdact.LeakyReLU(0.3), simdact.leaky_relu, simdact.leaky_relu_backward, False, (0.3,)),
                    (simdact.Softmax(), simdact.softmax, simdact.softmax_backward, True, ()),
                    (simdact.LogSoftmax(), simdact.log_softmax, simdact.log_softmax_backward, True, ()),
                    (simdact.GELU(), simdact.gelu, simdact.gelu_backward, False, ()),
                    (simdact.GELU("tanh"), simdact.gelu_tanh, simdact.gelu_tanh_backward, False, ()),
                    (simdact.GELU("tanh"), simdact.gelu, simdact.gelu_backward, False, ("tanh",)),
                    (simdact.SiLU(), simdact.silu, simdact.silu_backward, False, ()),
                    (simdact.Softplus(), simdact.softplus, simdact.softplus_backward, False, ()),
                    (simdact.ELU(), simdact.elu, simdact.elu_backward, False, ()),
                    (simdact.ELU(0.3), simdact.elu, simdact.elu_backward, False, (0.3,)),
                ]
                for layer, fwd, bwd, takes_output, p in pairs:
                    y = fwd(x, *p)
                    np.testing.assert_array_equal(bits(layer.forward(x)), bits(y))
                    first = y if takes_output else x
                    np.testing.assert_array_equal(bits(layer.backward(x, dy)), bits(bwd(first, dy, *p)))

    def test_backward_before_forward(self):
        """The seed would fail (no self.output); simdact computes the forward output from input."""
        x = random_inputs(self.rng, 50)
        dy = random_inputs(self.rng, 50)
        for cls in (simdact.Sigmoid, simdact.Tanh, simdact.Softmax, simdact.LogSoftmax, simdact.GELU, simdact.SiLU,
                    simdact.Softplus, simdact.ELU):
            fresh, used = cls(), cls()
            used.forward(x)
            np.testing.assert_array_equal(bits(fresh.backward(x, dy)), bits(used.backward(x, dy)))


class DocumentedDifferences(IsaCase):
    """Where simdact's contract (simdact.h, README) deliberately differs from the seed's numpy code."""

    def test_relu_backward_propagates_nan(self):
        x = np.array([np.nan, -1.0, 2.0, np.nan], dtype=F32)
        dy = np.array([1.0, 1.0, 1.0, -3.0], dtype=F32)
        seed = quiet(SeedReLU().backward, x, dy)
        np.testing.assert_array_equal(seed, [0.0, 0.0, 1.0, 0.0])  # the seed: (NaN > 0) is False -> 0
        for isa in self.each_isa():
            with self.on(isa):
                got = simdact.ReLU().backward(x, dy)
                self.assertTrue(np.isnan(got[[0, 3]]).all(), got)  # simdact: NaN
                np.testing.assert_array_equal(got[1:3], [0.0, 1.0])

    def test_leaky_relu_backward_propagates_nan(self):
        x = np.array([np.nan, -1.0, 2.0], dtype=F32)
        dy = np.array([1.0, 1.0, 1.0], dtype=F32)
        seed = quiet(SeedLeakyReLU(0.25).backward, x, dy)
        np.testing.assert_array_equal(seed, [0.0, 0.25, 1.0])  # the seed: neither > 0 nor <= 0 -> 0
        for isa in self.each_isa():
            with self.on(isa):
                got = simdact.LeakyReLU(0.25).backward(x, dy)
                self.assertTrue(np.isnan(got[0]), got)
                np.testing.assert_array_equal(got[1:], [0.25, 1.0])

    def test_leaky_relu_infinities(self):
        x = np.array([np.inf, -np.inf, 1.0], dtype=F32)
        seed = quiet(SeedLeakyReLU(0.01).forward, x)
        self.assertTrue(np.isnan(seed[:2]).all(), seed)  # the seed: 0 * inf = NaN in one of its terms
        for isa in self.each_isa():
            with self.on(isa):
                got = simdact.LeakyReLU(0.01).forward(x)
                np.testing.assert_array_equal(got, [np.inf, -np.inf, 1.0])  # simdact: x or slope * x

    def test_relu_of_negative_zero_is_positive_zero(self):
        """simdact.h: relu(-0) = +0 (numpy's maximum(x, 0) agrees; pinned here as part of the contract)."""
        x = np.array([-0.0, 0.0], dtype=F32)
        for isa in self.each_isa():
            with self.on(isa):
                self.assertFalse(np.signbit(simdact.relu(x)).any())

    def test_sigmoid_keeps_subnormal_results(self):
        """The seed in float32 overflows exp(-x) and gives 0 below x = -88.7; simdact keeps the
        subnormal result (within 4 x 2^-149 of the exact value)."""
        x = np.array([-95.0, -100.0], dtype=F32)
        seed32 = quiet(SeedSigmoid().forward, x)
        np.testing.assert_array_equal(seed32, [0.0, 0.0])
        for isa in self.each_isa():
            with self.on(isa):
                got = simdact.sigmoid(x)
                self.assertTrue((got > 0).all() and (got < FLT_MIN).all(), got)
                self.assert_ulp(got, seed64(SeedSigmoid, x), ACCURATE_ULP, "subnormal", x)


# --- beyond the seed: LogSoftmax, GELU, SiLU, Softplus, ELU against float64 formulas ----------------------
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_TANH_C = 0.044715
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _sigmoid64(x):
    with np.errstate(all="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _phi_cdf64(x):
    """Phi(x) = erfc(-x / sqrt 2) / 2, accurate in both tails (1 + erf(x / sqrt 2) cancels for x << 0)."""
    return 0.5 * _erfc(-x / math.sqrt(2.0))


def _gelu_tanh_u(x):
    return SQRT_2_OVER_PI * (x + GELU_TANH_C * x**3)


# op -> (forward(x64, alpha), derivative(x64, alpha)); 1 + tanh(u) = 2 sigmoid(2u) avoids cancellation.
REFS = {
    "gelu": (lambda x, a: x * _phi_cdf64(x),
             lambda x, a: _phi_cdf64(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)),
    "gelu_tanh": (lambda x, a: x * _sigmoid64(2.0 * _gelu_tanh_u(x)),
                  lambda x, a: _sigmoid64(2.0 * _gelu_tanh_u(x))
                  + x * 2.0 * _sigmoid64(2.0 * _gelu_tanh_u(x)) * _sigmoid64(-2.0 * _gelu_tanh_u(x))
                  * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * x * x)),
    "silu": (lambda x, a: x * _sigmoid64(x),
             lambda x, a: _sigmoid64(x) * (1.0 + x * _sigmoid64(-x))),
    "softplus": (lambda x, a: np.logaddexp(0.0, x),
                 lambda x, a: _sigmoid64(x)),
    "elu": (lambda x, a: np.where(x > 0, x, a * np.expm1(np.minimum(x, 0.0))),
            lambda x, a: np.where(x > 0, 1.0, a * np.exp(np.minimum(x, 0.0)))),
}
ELU_ALPHAS = (1.0, 0.3, 2.5, 0.1)  # 0.1 is rounded to float32 first


def log_softmax64(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        m = x.max(axis=1, keepdims=True)
        return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


class BeyondTheSeed(IsaCase):
    """Each new function and layer against its formula in float64 (math.erfc for GELU), on every ISA."""

    def setUp(self):
        self.rng = np.random.default_rng(777)

    def elementwise_inputs(self):
        finite_specials = SPECIALS[np.isfinite(SPECIALS)]
        for n in SIZES:
            yield "randn[%d]" % n, random_inputs(self.rng, n, 3.0)
        yield "wide", self.rng.uniform(-100, 100, 4099).astype(F32)
        big = np.exp(self.rng.uniform(np.log(10.0), np.log(3e38), 500)).astype(F32)
        yield "large", np.concatenate([big, -big])
        yield "small", (self.rng.standard_normal(300) * np.exp(self.rng.uniform(-90, 0, 300))).astype(F32)
        yield "specials", np.concatenate([finite_specials, finite_specials[::-1], [np.nan, -np.nan]]).astype(F32)
        yield "2-D", random_inputs(self.rng, 37 * 29, 4.0).reshape(37, 29)

    def assert_forward(self, got, ref, name, x):
        """<= 2 ULP (2.5 from the float64 reference) for results >= FLT_MIN, within FLT_MIN below it;
        NaN exactly where the reference is NaN; nothing infinite from finite input."""
        self.assertEqual((got.dtype, got.shape), (F32, x.shape), name)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), name)
        big = ~(np.abs(ref) < FLT_MIN)
        self.assert_ulp(got[big], ref[big], ACCURATE_ULP, name, x[big])
        tiny = ~big
        self.assertTrue((np.abs(got[tiny] - ref[tiny]) <= FLT_MIN).all(), name)
        finite_in = np.isfinite(x) & np.isfinite(ref)
        self.assertTrue(np.isfinite(got[finite_in]).all(), "%s: inf/NaN from finite input" % name)

    def assert_backward(self, got, ref, dy, name):
        """|got - ref| <= 1e-6 |ref| + 1e-6 |dy| (+ 2^-149), NaN inputs left out."""
        ok = ~np.isnan(ref)
        g, r, d = got[ok].astype(np.float64), ref[ok], np.abs(dy[ok].astype(np.float64))
        bound = 1e-6 * np.abs(r) + 1e-6 * d + 2.0**-149
        diff = np.abs(g - r)
        if not (diff <= bound).all():
            i = np.argmax(diff - bound)
            self.fail("%s: got %r, want %r (dy %r)" % (name, g[i], r[i], dy[ok][i]))

    def layers(self):
        """(name, layer, op, alpha) for every element-wise layer and parameter tried."""
        yield "GELU()", simdact.GELU(), "gelu", None
        yield "GELU('tanh')", simdact.GELU(approximate="tanh"), "gelu_tanh", None
        yield "SiLU()", simdact.SiLU(), "silu", None
        yield "Softplus()", simdact.Softplus(), "softplus", None
        for alpha in ELU_ALPHAS:
            yield "ELU(%r)" % alpha, simdact.ELU(alpha=alpha), "elu", alpha

    def test_elementwise_forward_and_backward(self):
        for isa in self.each_isa():
            with self.on(isa):
                for lname, layer, op, alpha in self.layers():
                    fwd, deriv = REFS[op]
                    a = float(np.float32(alpha)) if alpha is not None else None
                    for name, x in self.elementwise_inputs():
                        what = "%s %s" % (lname, name)
                        x64 = x.astype(np.float64)
                        with np.errstate(all="ignore"):
                            ref = fwd(x64, a)
                            dref = deriv(x64, a)
                        y = layer.forward(x)
                        self.assertIs(layer.output, y)
                        self.assert_forward(y, ref, what, x)
                        dy = random_inputs(self.rng, x.size, 2.0).reshape(x.shape)
                        got = layer.backward(x, dy)  # x: the forward input
                        self.assertEqual((got.dtype, got.shape), (F32, x.shape))
                        with np.errstate(all="ignore"):
                            want = dref * dy.astype(np.float64)
                        self.assert_backward(got, want, dy, what + " backward")
                        # The functions give the layer's bits.
                        p = () if alpha is None else (alpha,)
                        np.testing.assert_array_equal(bits(getattr(simdact, op)(x, *p)), bits(y), what)
                        np.testing.assert_array_equal(bits(getattr(simdact, op + "_backward")(x, dy, *p)), bits(got), what)

    def test_elementwise_backward_is_the_derivative_of_forward(self):
        """Central differences of each layer's float32 forward against its backward (x away from ELU's
        kink at 0, h = 1/64: truncation ~1e-5, rounding ~1e-5)."""
        x = self.rng.uniform(-5, 5, 2000).astype(F32)
        x = x[np.abs(x) > 0.05]
        h = 1.0 / 64
        xp, xm = (x + F32(h)).astype(F32), (x - F32(h)).astype(F32)
        dy = random_inputs(self.rng, x.size, 1.0)
        for isa in self.each_isa():
            with self.on(isa):
                for lname, layer, op, alpha in self.layers():
                    fd = (layer.forward(xp).astype(np.float64) - layer.forward(xm).astype(np.float64)) / (
                        xp.astype(np.float64) - xm.astype(np.float64))
                    got = layer.backward(x, dy).astype(np.float64)
                    np.testing.assert_allclose(got, fd * dy, rtol=1e-3, atol=1e-3, err_msg=lname)

    def test_gelu_approximate(self):
        x = random_inputs(self.rng, 333, 3.0)
        dy = random_inputs(self.rng, 333)
        for isa in self.each_isa():
            with self.on(isa):
                self.assertEqual(simdact.GELU().approximate, "none")
                np.testing.assert_array_equal(bits(simdact.GELU().forward(x)), bits(simdact.gelu(x)))
                np.testing.assert_array_equal(bits(simdact.gelu(x, approximate="none")), bits(simdact.gelu(x)))
                np.testing.assert_array_equal(bits(simdact.gelu(x, approximate="tanh")), bits(simdact.gelu_tanh(x)))
                np.testing.assert_array_equal(bits(simdact.gelu_backward(x, dy, approximate="tanh")),
                                              bits(simdact.gelu_tanh_backward(x, dy)))
                self.assertFalse(np.array_equal(simdact.gelu(x), simdact.gelu_tanh(x)))  # really two ops
        for bad in ("exact", "TANH", None, "", 1):
            with self.assertRaises(ValueError):
                simdact.GELU(approximate=bad)
            with self.assertRaises(ValueError):
                simdact.gelu(x, approximate=bad)
            with self.assertRaises(ValueError):
                simdact.gelu_backward(x, dy, approximate=bad)
        self.assertEqual(repr(simdact.GELU("tanh")), "GELU(approximate='tanh')")

    def test_elu_alpha(self):
        x = np.array([-2.0, -0.5, 0.0, -0.0, 1.5, -30.0], F32)
        dy = np.ones_like(x)
        self.assertEqual(simdact.ELU().alpha, 1.0)
        self.assertEqual(repr(simdact.ELU(0.5)), "ELU(alpha=0.5)")
        for isa in self.each_isa():
            with self.on(isa):
                np.testing.assert_array_equal(bits(simdact.elu(x)), bits(simdact.elu(x, 1.0)))  # default 1.0
                np.testing.assert_array_equal(bits(simdact.ELU().forward(x)), bits(simdact.elu(x, alpha=1.0)))
                np.testing.assert_array_equal(bits(simdact.elu_backward(x, dy)), bits(simdact.elu_backward(x, dy, 1.0)))
                y = simdact.elu(x, alpha=2.0)
                self.assertEqual(y[4], 1.5)
                self.assertAlmostEqual(float(y[5]), -2.0, places=6)  # -> -alpha
                self.assertEqual(y[2], 0.0)
                np.testing.assert_allclose(simdact.elu_backward(x, dy, alpha=2.0)[[0, 4]], [2 * math.exp(-2), 1.0], rtol=1e-6)
                # alpha = 0: ReLU (without the -0 / NaN subtleties)
                np.testing.assert_array_equal(simdact.elu(x[[0, 1, 4]], 0.0), [0.0, 0.0, 1.5])
        with self.assertRaises((TypeError, ValueError)):
            simdact.elu(x, "big")

    def log_softmax_inputs(self):
        for rows, cols in ((1, 1), (3, 1), (1, 7), (5, 16), (4, 17), (7, 100), (2, 1000), (1, 4099)):
            yield "randn %dx%d" % (rows, cols), random_inputs(self.rng, rows * cols, 3.0).reshape(rows, cols)
        yield "wide", self.rng.uniform(-100, 100, size=(6, 50)).astype(F32)
        yield "big", self.rng.uniform(1000, 1010, size=(3, 33)).astype(F32)
        yield "huge spread", np.array([[3e38, -3e38, 0, 1], [1e30, 1e30, -1e30, 5]], F32)
        yield "edge rows", np.array(
            [[0, 1, 2, 3, np.nan, 5, 6, 7, 8],  # NaN -> row of NaN
             [0, 1, np.inf, 3, 4, 5, 6, 7, 8],  # +inf -> row of NaN
             [-np.inf] * 9,  # all -inf -> row of NaN
             [-np.inf, 0, 1, -np.inf, 2, 3, 4, 5, -np.inf],  # -inf entries -> -inf exactly
             [-np.inf, -np.inf, -np.inf, -np.inf, 7, -np.inf, -np.inf, -np.inf, -np.inf],  # one finite -> 0
             [1, 1, 1, 1, 1, 1, 1, 1, 1]],
            dtype=F32,
        )

    def assert_log_softmax(self, y, x, name):
        ref = log_softmax64(x)
        self.assertEqual((y.dtype, y.shape), (F32, x.shape), name)
        nan = np.isnan(ref)
        np.testing.assert_array_equal(np.isnan(y), nan, name)
        ninf = np.isneginf(to_f32(ref))  # the -inf entries, and results below -FLT_MAX (3e38 - -3e38)
        np.testing.assert_array_equal(np.isneginf(y), ninf, name)
        ok = ~nan & ~ninf
        err = np.abs(y[ok].astype(np.float64) - ref[ok])
        bound = 2.4e-7 * np.maximum(np.abs(ref[ok]), 1.0)
        self.assertTrue((err <= bound).all(), "%s: max excess %s" % (name, (err - bound).max(initial=0)))

    def test_log_softmax(self):
        for isa in self.each_isa():
            with self.on(isa):
                for name, x in self.log_softmax_inputs():
                    layer = simdact.LogSoftmax()
                    y = layer.forward(x)
                    self.assertIs(layer.output, y)
                    self.assert_log_softmax(y, x, name)
                    np.testing.assert_array_equal(bits(simdact.log_softmax(x)), bits(y))
                    # backward: dy - exp(y) * sum(dy) per row, in float64 on the same y.
                    dy = random_inputs(self.rng, x.size, 2.0).reshape(x.shape)
                    got = layer.backward(x, dy)
                    y64, dy64 = y.astype(np.float64), dy.astype(np.float64)
                    with np.errstate(all="ignore"):
                        p = np.exp(y64)
                        want = dy64 - p * dy64.sum(axis=1, keepdims=True)
                        scale = np.abs(dy64) + p * np.abs(dy64).sum(axis=1, keepdims=True)
                    nan = np.isnan(want)
                    np.testing.assert_array_equal(np.isnan(got), nan, name)
                    diff = np.abs(got[~nan] - want[~nan])
                    bound = 1e-6 * (np.abs(want[~nan]) + scale[~nan]) + 2.0**-149
                    self.assertTrue((diff <= bound).all(), "%s backward: max excess %s" % (name, (diff - bound).max(initial=0)))
                    np.testing.assert_array_equal(bits(simdact.log_softmax_backward(y, dy)), bits(got))

    def test_log_softmax_1d_is_one_row(self):
        x = random_inputs(self.rng, 77)
        for isa in self.each_isa():
            with self.on(isa):
                y = simdact.log_softmax(x)
                self.assertEqual(y.shape, (77,))
                np.testing.assert_array_equal(bits(y), bits(simdact.log_softmax(x.reshape(1, 77)).ravel()))
                dy = random_inputs(self.rng, 77)
                np.testing.assert_array_equal(bits(simdact.log_softmax_backward(y, dy)),
                                              bits(simdact.log_softmax_backward(y.reshape(1, 77), dy.reshape(1, 77)).ravel()))

    def test_log_softmax_backward_is_the_gradient(self):
        """Directional central differences of L(x) = sum(dy * log_softmax(x)) against <backward, v>."""
        x = random_inputs(self.rng, 4 * 9, 2.0).reshape(4, 9)
        dy = random_inputs(self.rng, 4 * 9).reshape(4, 9).astype(np.float64)
        h = 1.0 / 64
        for isa in self.each_isa():
            with self.on(isa):
                layer = simdact.LogSoftmax()
                layer.forward(x)
                grad = layer.backward(x, dy.astype(F32)).astype(np.float64)
                for k in range(5):
                    v = self.rng.standard_normal(x.shape)
                    xp, xm = (x + h * v).astype(F32), (x - h * v).astype(F32)
                    lp = (dy * simdact.log_softmax(xp)).sum()
                    lm = (dy * simdact.log_softmax(xm)).sum()
                    fd = (lp - lm) / 2.0
                    want = (grad * (xp.astype(np.float64) - xm.astype(np.float64)) / 2.0).sum()
                    self.assertAlmostEqual(fd, want, delta=1e-4 * (1 + abs(want)), msg="direction %d" % k)

    def test_missing_kernel(self):
        """An older libsimdact without the new kernels: the package loads, the new functions raise
        MissingKernelError when called, softmax of a strided view falls back to a copy."""
        saved = dict(simdact._lib.kernels)
        x = random_inputs(self.rng, 20).reshape(4, 5)
        wide = random_inputs(self.rng, 40).reshape(4, 10)
        want = simdact.softmax(np.ascontiguousarray(wide[:, 2:7]))
        try:
            for op in ("gelu", "softmax_strided", "log_softmax"):
                del simdact._lib.kernels[op]
            with self.assertRaises(simdact.MissingKernelError) as cm:
                simdact.gelu(x)
            self.assertIsInstance(cm.exception, NotImplementedError)
            self.assertIn("simdact_gelu_f32", str(cm.exception))
            with self.assertRaises(NotImplementedError):
                simdact.GELU().forward(x)
            with self.assertRaises(NotImplementedError):
                simdact.LogSoftmax().forward(x)
            np.testing.assert_array_equal(bits(simdact.softmax(wide[:, 2:7])), bits(want))
            with self.assertRaisesRegex(ValueError, "C-contiguous"):
                simdact.softmax(x, out=np.empty((4, 8), F32)[:, :5])
        finally:
            simdact._lib.kernels.clear()
            simdact._lib.kernels.update(saved)


# --- softmax / log_softmax of row-strided views: the strided entry points, no copy ------------------------
@contextlib.contextmanager
def counting(op):
    """Counts the calls of _lib.kernels[op] (and records their arguments) while active."""
    fn, kind = simdact._lib.kernels[op]
    calls = []

    def wrapper(*args):
        calls.append(args)
        return fn(*args)

    simdact._lib.kernels[op] = (wrapper, kind)
    try:
        yield calls
    finally:
        simdact._lib.kernels[op] = (fn, kind)


ROW_OPS = (("softmax", simdact.softmax), ("log_softmax", simdact.log_softmax))


class StridedRows(IsaCase):
    def setUp(self):
        self.rng = np.random.default_rng(99)
        self.wide = (self.rng.standard_normal((7, 24)) * 3).astype(F32)
        self.wide[2, 5] = -np.inf  # a -inf entry inside some blocks
        self.wide[4, 12] = -np.inf

    BLOCKS = ((0, 5), (3, 11), (16, 24), (5, 6), (1, 23), (0, 24))

    def test_column_blocks(self):
        """f(a[:, i:j]) calls the strided kernel with ld = 24 (no copy), never reads outside the block
        (NaN there), and gives the bits of f(contiguous copy); out= a column block of another array is
        written and nothing around it; in place on the view."""
        for isa in self.each_isa():
            with self.on(isa):
                for op, f in ROW_OPS:
                    for i, j in self.BLOCKS:
                        name = "%s a[:, %d:%d]" % (op, i, j)
                        a = self.wide.copy()
                        a[:, :i] = np.nan
                        a[:, j:] = np.nan
                        view = a[:, i:j]
                        packed = np.ascontiguousarray(view)
                        want = f(packed)
                        with counting(op + "_strided") as calls:
                            got = f(view)
                        if view.flags.c_contiguous:
                            self.assertEqual(calls, [], name)
                        else:
                            self.assertEqual(len(calls), 1, name)
                            _, ldx, _, ldy, rows, cols = calls[0]
                            self.assertEqual((ldx, ldy, rows, cols), (24, j - i, 7, j - i), name)
                        self.assertTrue(got.flags.c_contiguous)
                        np.testing.assert_array_equal(bits(got), bits(want), name + ": the contiguous call's bits")
                        if op == "softmax":
                            np.testing.assert_allclose(got, seed64(SeedSoftmax, packed), rtol=4e-6, atol=FLT_MIN, err_msg=name)
                        else:
                            BeyondTheSeed.assert_log_softmax(self, got, packed, name)
                        # out= a column block of a wider buffer: only the block is written.
                        buf = np.full((7, 31), 12345.0, F32)
                        o = buf[:, 4:4 + j - i]
                        self.assertIs(f(view, out=o), o)
                        np.testing.assert_array_equal(bits(o), bits(want), name + ": out block")
                        rest = np.ones(buf.shape, bool)
                        rest[:, 4:4 + j - i] = False
                        self.assertTrue((buf[rest] == 12345.0).all(), name + ": wrote outside out")
                        # contiguous input into a strided out
                        o[...] = 0
                        self.assertIs(f(packed, out=o), o)
                        np.testing.assert_array_equal(bits(o), bits(want), name + ": contiguous into out block")
                        # in place on the view
                        before = a.copy()
                        self.assertIs(f(view, out=view), view)
                        np.testing.assert_array_equal(bits(view), bits(want), name + ": in place")
                        np.testing.assert_array_equal(bits(a[:, :i]), bits(before[:, :i]))
                        np.testing.assert_array_equal(bits(a[:, j:]), bits(before[:, j:]))

    def test_other_row_strided_layouts(self):
        """Every other row (ld = 48), rows of an unaligned buffer: strided, no copy."""
        raw = np.zeros(4 * 7 * 24 + 4, np.uint8)[1:1 + 4 * 7 * 24].view(F32).reshape(7, 24)  # misaligned
        raw[...] = self.wide
        self.assertFalse(raw.flags.aligned)
        for op, f in ROW_OPS:
            for view, ld in ((self.wide[::2, 1:9], 48), (raw[:, 2:13], 24), (raw, 24)):
                with counting(op + "_strided") as calls:
                    got = f(view)
                if not view.flags.c_contiguous:
                    self.assertEqual([c[1] for c in calls], [ld], op)
                np.testing.assert_array_equal(bits(got), bits(f(np.ascontiguousarray(view))), op)

    def test_layouts_that_are_copied(self):
        """Column steps != 1, negative or misaligned row strides, 1-D steps: copied, same results; such
        an out= is a ValueError."""
        w = self.wide
        odd = np.lib.stride_tricks.as_strided(w, shape=(3, 4), strides=(18, 4))  # rows 4.5 floats apart
        for op, f in ROW_OPS:
            for view in (w[:, ::2], w[::-1, :5], w.T[:6, :4], odd, w[1, ::3]):
                with counting(op + "_strided") as calls:
                    got = f(view)
                self.assertEqual(calls, [], op)
                np.testing.assert_array_equal(bits(got), bits(f(np.ascontiguousarray(view))), op)
            for bad_out in (np.empty((7, 10), F32)[:, ::2], np.empty((7, 5), F32)[::-1], np.empty((5, 7), F32).T):
                with self.assertRaisesRegex(ValueError, "C-contiguous"):
                    f(w[:, :5], out=bad_out)
            with self.assertRaisesRegex(ValueError, "C-contiguous"):  # 1-D: contiguous only
                f(w[0, :5], out=np.empty(10, F32)[::2])
            with self.assertRaisesRegex(ValueError, "shape"):
                f(w[:, :5], out=np.empty((7, 24), F32)[:, :6])
            ro = np.empty((7, 24), F32)
            ro.flags.writeable = False
            with self.assertRaisesRegex(ValueError, "read-only"):
                f(w[:, :5], out=ro[:, :5])

    def test_overlap(self):
        """A different view of the input's memory as out: disjoint column blocks work, overlapping
        ones are InvalidArgumentError with nothing written."""
        for op, f in ROW_OPS:
            a = self.wide.copy()
            want = f(np.ascontiguousarray(a[:, 0:6]))
            o = a[:, 6:12]
            self.assertIs(f(a[:, 0:6], out=o), o)
            np.testing.assert_array_equal(bits(a[:, 6:12]), bits(want), op)
            np.testing.assert_array_equal(bits(a[:, 0:6]), bits(self.wide[:, 0:6]), op)
            before = a.copy()
            with self.assertRaises(simdact.InvalidArgumentError):
                f(a[:, 0:6], out=a[:, 3:9])
            with self.assertRaises(simdact.InvalidArgumentError):
                f(a[:6, 0:6], out=a[1:, 0:6])  # the next rows: same ld, shifted by one row
            np.testing.assert_array_equal(bits(a), bits(before), op + ": a rejected call wrote")

    def test_empty_and_tiny(self):
        w = self.wide
        for op, f in ROW_OPS:
            self.assertEqual(f(w[:, 3:3]).shape, (7, 0))
            self.assertEqual(f(w[:0, 3:9]).shape, (0, 6))
            np.testing.assert_array_equal(bits(f(w[:1, 2:9])), bits(f(np.ascontiguousarray(w[:1, 2:9]))))
            col = f(w[:, 4:5])
            np.testing.assert_array_equal(col, np.zeros((7, 1)) if op == "log_softmax" else np.ones((7, 1)))


# --- argument handling -----------------------------------------------------------------------------------
def _rows_of(*kinds):
    """(op, function) for each kernel row of these kinds (simdact._kernels, from kernels.inc) that the
    loaded library has, called with its default parameter."""
    return [(op, getattr(simdact, op)) for op, kind, *_ in simdact._kernels.ROWS
            if kind in kinds and op in simdact._lib.kernels]


# Every row by its kind, plus the parameters and forms beyond the defaults.
UNARY_ELEMENTWISE = _rows_of("unary", "unary_p") + [
    ("leaky_relu 0.1", lambda x, **k: simdact.leaky_relu(x, 0.1, **k)),
    ("gelu tanh", lambda x, **k: simdact.gelu(x, "tanh", **k)),
    ("elu 0.3", lambda x, **k: simdact.elu(x, 0.3, **k)),
]
UNARY = UNARY_ELEMENTWISE + _rows_of("rows")
BINARY = _rows_of("binary", "binary_p", "rows_binary") + [
    ("leaky_relu_backward 0.1", lambda a, b, **k: simdact.leaky_relu_backward(a, b, 0.1, **k)),
    ("gelu_backward tanh", lambda a, b, **k: simdact.gelu_backward(a, b, "tanh", **k)),
    ("elu_backward 0.3", lambda a, b, **k: simdact.elu_backward(a, b, 0.3, **k)),
]
# The number of arrays each kind's function takes before its optional parameters.
KIND_ARRAYS = {"unary": 1, "unary_p": 1, "rows": 1, "binary": 2, "binary_p": 2, "rows_binary": 2}


class KernelTable(unittest.TestCase):
    def test_every_row_has_its_function(self):
        """Each row of kernels.inc (through simdact/_kernels.py, checked by ctest kernel_rows_python) that
        the library has is a function of the package, in __all__, taking its kind's arrays and out=; the
        _p kinds' parameter defaults to the row's param; the library has every row (it is this build's)."""
        import inspect

        for op, kind, _bound, _ref, first, param in simdact._kernels.ROWS:
            with self.subTest(op):
                self.assertIn(op, simdact._lib.kernels, "the library lacks simdact_%s_f32" % op)
                if kind == "rows_strided":
                    self.assertNotIn(op, simdact.__all__)  # softmax / log_softmax use it
                    continue
                self.assertIn(op, simdact.__all__)
                sig = inspect.signature(getattr(simdact, op))
                required = [p for p in sig.parameters.values() if p.default is inspect.Parameter.empty]
                self.assertEqual(len(required), KIND_ARRAYS[kind], str(sig))
                self.assertIn("out", sig.parameters)
                names = list(sig.parameters)
                if KIND_ARRAYS[kind] == 2:
                    self.assertEqual(names[0], "input" if first == "x" else "output", str(sig))
                if kind.endswith("_p"):
                    self.assertEqual(sig.parameters[names[KIND_ARRAYS[kind]]].default, param, str(sig))


class Arguments(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(7)
        self.x = rng.standard_normal((8, 12)).astype(F32)
        self.dy = rng.standard_normal((8, 12)).astype(F32)

    def test_dtypes_are_not_converted(self):
        for name, f in UNARY:
            with self.subTest(name):
                for bad in (self.x.astype(np.float64), self.x.astype(np.int32), self.x.tolist(),
                            self.x.astype(">f4"), np.ma.masked_array(self.x), 1.0):
                    with self.assertRaises(TypeError):
                        f(bad)
                with self.assertRaisesRegex(TypeError, "astype"):
                    f(self.x.astype(np.float64))
        for name, f in BINARY:
            with self.subTest(name):
                with self.assertRaises(TypeError):
                    f(self.x, self.dy.astype(np.float64))
                with self.assertRaises(TypeError):
                    f(self.x.astype(np.float16), self.dy)

    def test_non_contiguous_inputs_are_copied(self):
        """(softmax and log_softmax take the row-strided view big[:, 1:13][:8] as it is: StridedRows.)"""
        big = np.random.default_rng(1).standard_normal((16, 24)).astype(F32)
        for view in (big[::2, ::2], big.T[:8, :12], big[:, 1:13][:8]):
            self.assertFalse(view.flags.c_contiguous)
            for name, f in UNARY:
                with self.subTest(name):
                    np.testing.assert_array_equal(bits(f(view)), bits(f(np.ascontiguousarray(view))))
            for name, f in BINARY:
                with self.subTest(name):
                    np.testing.assert_array_equal(bits(f(view, view)), bits(f(view.copy(), view.copy())))

    def test_out(self):
        for name, f in UNARY:
            with self.subTest(name):
                want = f(self.x)
                out = np.empty_like(self.x)
                self.assertIs(f(self.x, out=out), out)
                np.testing.assert_array_equal(bits(out), bits(want))
                inplace = self.x.copy()
                self.assertIs(f(inplace, out=inplace), inplace)  # exact aliasing: in place
                np.testing.assert_array_equal(bits(inplace), bits(want))
                with self.assertRaises(TypeError):
                    f(self.x, out=np.empty(self.x.shape, np.float64))
                with self.assertRaises(TypeError):
                    f(self.x, out=[0.0] * self.x.size)
                with self.assertRaises(ValueError):
                    f(self.x, out=np.empty((12, 8), F32))  # shape
                with self.assertRaises(ValueError):
                    f(self.x, out=np.empty((8, 24), F32)[:, ::2])  # not contiguous
                ro = np.empty_like(self.x)
                ro.flags.writeable = False
                with self.assertRaises(ValueError):
                    f(self.x, out=ro)
        for name, f in BINARY:
            with self.subTest(name):
                want = f(self.x, self.dy)
                b = self.dy.copy()
                self.assertIs(f(self.x, b, out=b), b)
                np.testing.assert_array_equal(bits(b), bits(want))
                with self.assertRaises(ValueError):
                    f(self.x, self.dy, out=np.empty(5, F32))

    def test_partial_overlap_is_rejected(self):
        buf = np.arange(17, dtype=F32)
        for name, f in UNARY_ELEMENTWISE:
            with self.subTest(name):
                before = buf.copy()
                with self.assertRaises(simdact.InvalidArgumentError) as cm:
                    f(buf[:16], out=buf[1:])
                self.assertIsInstance(cm.exception, ValueError)
                self.assertEqual(cm.exception.status, 1)
                np.testing.assert_array_equal(buf, before)  # nothing written

    def test_shapes(self):
        for name, f in BINARY:
            with self.subTest(name):
                with self.assertRaisesRegex(ValueError, "shape"):
                    f(self.x, self.dy[:, :6])
                with self.assertRaises(ValueError):
                    f(self.x, self.dy.reshape(12, 8))  # same size, other shape: no broadcasting
        for bad in (np.zeros((2, 3, 4), F32), np.ones((), F32)):
            for f, b in ((simdact.softmax, simdact.softmax_backward), (simdact.log_softmax, simdact.log_softmax_backward)):
                with self.assertRaisesRegex(ValueError, "2-D"):
                    f(bad)
                with self.assertRaises(ValueError):
                    b(bad, bad)
        # Element-wise ops take any shape, 0-d and empty included.
        for shape in ((), (0,), (3, 0), (2, 3, 4, 5)):
            x = np.full(shape, 0.5, F32)
            for name, f in UNARY_ELEMENTWISE:
                with self.subTest(name, shape=shape):
                    self.assertEqual(f(x).shape, shape)
        self.assertEqual(simdact.softmax(np.zeros((0, 5), F32)).shape, (0, 5))
        self.assertEqual(simdact.softmax(np.zeros((3, 0), F32)).shape, (3, 0))
        self.assertEqual(simdact.softmax(np.zeros(0, F32)).shape, (0,))

    def test_slope(self):
        x = np.array([-2.0, 3.0], F32)
        np.testing.assert_array_equal(simdact.leaky_relu(x), np.array([-0.02, 3.0], F32))  # default 0.01
        np.testing.assert_array_equal(simdact.leaky_relu(x, slope=0.5), [-1.0, 3.0])
        np.testing.assert_array_equal(simdact.leaky_relu_backward(x, np.ones(2, F32)), [np.float32(0.01), 1.0])
        self.assertEqual(simdact.LeakyReLU().slope, 0.01)
        with self.assertRaises((TypeError, ValueError)):
            simdact.leaky_relu(x, "steep")

    def test_threads(self):
        """ctypes releases the GIL; concurrent calls give the same results."""
        x = np.random.default_rng(3).standard_normal(1 << 16).astype(F32)
        want = simdact.tanh(x)
        results = [None] * 4

        def work(i):
            results[i] = simdact.tanh(x)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            np.testing.assert_array_equal(bits(r), bits(want))


class IsaAndVersion(unittest.TestCase):
    def test_isa(self):
        start = simdact.active_isa()
        self.assertIsInstance(start, simdact.Isa)
        self.assertTrue(simdact.isa_supported(start))
        self.assertIn(simdact.Isa.SCALAR, simdact.supported_isas())
        self.assertEqual(simdact.isa_name(), simdact.isa_name(start))
        # Isa is the library's list; the enumerators simdact.h fixes (ABI) are in it with their values.
        self.assertEqual([simdact.isa_name(i) for i in simdact.Isa], [i.name.lower() for i in simdact.Isa])
        abi = {"SCALAR": 0, "AVX2": 1, "AVX512": 2, "NEON": 3}
        self.assertEqual({k: v for k, v in simdact.Isa.__members__.items() if k in abi}, abi)
        self.assertEqual(simdact.Isa["AVX512"], simdact.Isa.AVX512)
        self.assertEqual(simdact.isa_name(42), "unknown")
        self.assertFalse(simdact.isa_supported(42))
        self.assertFalse(simdact.isa_supported("bogus"))
        simdact.set_isa("scalar")
        self.assertEqual(simdact.active_isa(), simdact.Isa.SCALAR)
        simdact.set_isa(start)
        self.assertEqual(simdact.active_isa(), start)
        for bad in [42] + [i for i in simdact.Isa if not simdact.isa_supported(i)]:
            with self.assertRaises(simdact.UnsupportedIsaError) as cm:
                simdact.set_isa(bad)
            self.assertEqual(cm.exception.status, 2)
            self.assertEqual(simdact.active_isa(), start)
        with self.assertRaisesRegex(ValueError, "unknown ISA name"):
            simdact.set_isa("bogus")
        with self.assertRaises(TypeError):
            simdact.set_isa(1.5)
        with simdact.use_isa("SCALAR") as now:
            self.assertEqual(now, simdact.Isa.SCALAR)
            self.assertEqual(simdact.active_isa(), simdact.Isa.SCALAR)
        self.assertEqual(simdact.active_isa(), start)
        with self.assertRaises(RuntimeError):
            with simdact.use_isa(simdact.Isa.SCALAR):
                raise RuntimeError("unwind")
        self.assertEqual(simdact.active_isa(), start)

    def test_version_and_library(self):
        self.assertRegex(simdact.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(simdact.version(), simdact.__version__)
        self.assertTrue(simdact.version().startswith("%d." % simdact._lib.ABI_MAJOR))
        self.assertTrue(os.path.exists(simdact.library_path), simdact.library_path)
        env = os.environ.get("SIMDACT_LIBRARY")
        if env:
            self.assertEqual(simdact.library_path, env)


@unittest.skipUnless(hasattr(simdact, "sigmoid_fast") and hasattr(simdact, "tanh_fast"),
                     "the loaded library has no sigmoid_fast / tanh_fast")
class FastKernels(IsaCase):
    """The fast tier (simdact.h): <= 4 ULP for results >= FLT_MIN; sigmoid_fast flushes results below
    FLT_MIN (x < -87.3365) to +0; tanh_fast keeps subnormal x; the same specials as the accurate tier."""

    def setUp(self):
        rng = np.random.default_rng(5)
        self.x = np.concatenate([(rng.standard_normal(5000) * 6).astype(F32), rng.uniform(-100, 100, 3000).astype(F32),
                                 SPECIALS])

    def test_sigmoid_fast(self):
        x = self.x
        ref = seed64(SeedSigmoid, x)
        normal = ~(np.abs(ref) < FLT_MIN)  # NaN and inf kept: ulp_error handles them
        for isa in self.each_isa():
            with self.on(isa):
                y = simdact.sigmoid_fast(x)
                self.assertEqual((y.dtype, y.shape), (F32, x.shape))
                self.assert_ulp(y[normal], ref[normal], FAST_ULP, "sigmoid_fast", x[normal])
                tiny = ~normal
                self.assertTrue(((y[tiny] == 0) | (np.abs(y[tiny] - ref[tiny]) <= 4 * 2.0**-149)).all())
                self.assertFalse(np.signbit(y[tiny]).any())
                np.testing.assert_array_equal(simdact.sigmoid_fast(np.array([np.inf, -np.inf, 0], F32)), [1, 0, 0.5])

    def test_tanh_fast(self):
        x = self.x
        ref = seed64(SeedTanh, x)
        for isa in self.each_isa():
            with self.on(isa):
                y = simdact.tanh_fast(x)
                self.assert_ulp(y, ref, FAST_ULP, "tanh_fast", x)
                special = np.array([-0.0, 1e-40, -1e-40, np.inf, -np.inf], F32)
                np.testing.assert_array_equal(bits(simdact.tanh_fast(special)),
                                              bits(np.array([-0.0, 1e-40, -1e-40, 1, -1], F32)))
                self.assertTrue(np.isnan(simdact.tanh_fast(np.array([np.nan], F32))).all())

    def test_arguments(self):
        for f in (simdact.sigmoid_fast, simdact.tanh_fast):
            out = np.empty_like(self.x)
            self.assertIs(f(self.x, out=out), out)
            np.testing.assert_array_equal(bits(out), bits(f(self.x)))
            with self.assertRaises(TypeError):
                f(self.x.astype(np.float64))
            with self.assertRaises(ValueError):
                f(self.x, out=out[:-1])


if __name__ == "__main__":
    unittest.main()
