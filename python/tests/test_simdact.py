"""simdact's Python package against the seed's numpy code (../shared/seed-activations.md).

Run: PYTHONPATH=python /usr/bin/python3 -m unittest discover -s python/tests
(ctest runs it as python_tests, with SIMDACT_LIBRARY set to the library just built.)

The seed's classes are copied below as the reference. Forward ops are compared with the seed evaluated
in float64 (the contract's error bounds: 4 ULP for sigmoid/tanh, 4e-6 relative for softmax); backward
ops with the seed's formula in float32 on the same forward output, bit for bit where the seed's numpy
computes in float32 (sigmoid, tanh, relu). Every comparison runs on every ISA this machine supports.
The documented differences from the seed are tested as such (DocumentedDifferences).
"""

import contextlib
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
        for cls in (simdact.Sigmoid, simdact.Tanh, simdact.Softmax):
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


# --- argument handling -----------------------------------------------------------------------------------
UNARY = [
    ("sigmoid", lambda x, **k: simdact.sigmoid(x, **k)),
    ("tanh", lambda x, **k: simdact.tanh(x, **k)),
    ("relu", lambda x, **k: simdact.relu(x, **k)),
    ("leaky_relu", lambda x, **k: simdact.leaky_relu(x, 0.1, **k)),
    ("softmax", lambda x, **k: simdact.softmax(x, **k)),
]
BINARY = [
    ("sigmoid_backward", lambda a, b, **k: simdact.sigmoid_backward(a, b, **k)),
    ("tanh_backward", lambda a, b, **k: simdact.tanh_backward(a, b, **k)),
    ("relu_backward", lambda a, b, **k: simdact.relu_backward(a, b, **k)),
    ("leaky_relu_backward", lambda a, b, **k: simdact.leaky_relu_backward(a, b, 0.1, **k)),
    ("softmax_backward", lambda a, b, **k: simdact.softmax_backward(a, b, **k)),
]


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
        for name, f in UNARY[:4]:
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
            with self.assertRaisesRegex(ValueError, "2-D"):
                simdact.softmax(bad)
            with self.assertRaises(ValueError):
                simdact.softmax_backward(bad, bad)
        # Element-wise ops take any shape, 0-d and empty included.
        for shape in ((), (0,), (3, 0), (2, 3, 4, 5)):
            x = np.full(shape, 0.5, F32)
            for name, f in UNARY[:4]:
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
        self.assertEqual([simdact.isa_name(i) for i in simdact.Isa], ["scalar", "avx2", "avx512", "neon"])
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
