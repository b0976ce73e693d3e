"""Plain functions over numpy arrays, each one call of the C ABI (simdact_<op>_f32).

Arrays
    Inputs must be numpy.ndarray of dtype float32 (native byte order); anything else (float64, int,
    lists, masked arrays) raises TypeError: nothing is converted to float32 behind your back, convert
    with ``a.astype(numpy.float32)``. A non-C-contiguous float32 input (a slice with a step, a
    transpose) is copied to a contiguous array first: exact, it only costs the copy.
    ``out=`` must be a writeable, C-contiguous float32 ndarray of the input's shape (else TypeError for
    the type/dtype, ValueError for shape, layout or read-only); it may be the very input array (in
    place), but not a different view partially overlapping an input (InvalidArgumentError). The
    result is ``out``, or a new array when out is None.
    Inputs of a backward op must have the same shape (no broadcasting): ValueError.

Shapes
    Element-wise ops accept any shape. softmax / softmax_backward take 2-D (rows, cols), row-wise as
    the seed's code, or 1-D as one row; other ranks raise ValueError. (A (rows, 0) input gives an empty
    result where the seed's code would raise.)

Errors
    A non-OK status raises InvalidArgumentError (a ValueError) or UnsupportedIsaError.

Backward ops take what the seed keeps: the forward output for sigmoid, tanh and softmax, the forward
input for relu and leaky relu.
"""

import numpy as np

from . import _lib

__all__ = [
    "sigmoid",
    "sigmoid_backward",
    "tanh",
    "tanh_backward",
    "relu",
    "relu_backward",
    "leaky_relu",
    "leaky_relu_backward",
    "softmax",
    "softmax_backward",
]

DEFAULT_SLOPE = 0.01


def _input(a, name):
    if not isinstance(a, np.ndarray) or isinstance(a, np.ma.MaskedArray):
        raise TypeError("simdact: %s must be a numpy.ndarray of float32, got %s" % (name, type(a).__name__))
    if a.dtype != np.float32:
        raise TypeError(
            "simdact: %s must have dtype float32, got %s (convert with %s.astype(numpy.float32))" % (name, a.dtype, name)
        )
    if not a.flags.c_contiguous:
        a = np.ascontiguousarray(a)
    return a


def _output(out, shape):
    if out is None:
        return np.empty(shape, dtype=np.float32)
    if not isinstance(out, np.ndarray) or isinstance(out, np.ma.MaskedArray):
        raise TypeError("simdact: out must be a numpy.ndarray of float32, got %s" % type(out).__name__)
    if out.dtype != np.float32:
        raise TypeError("simdact: out must have dtype float32, got %s" % out.dtype)
    if out.shape != shape:
        raise ValueError("simdact: out has shape %s, expected %s" % (out.shape, shape))
    if not out.flags.c_contiguous:
        raise ValueError("simdact: out must be C-contiguous")
    if not out.flags.writeable:
        raise ValueError("simdact: out is read-only")
    return out


def _same_shape(a, b, names):
    if a.shape != b.shape:
        raise ValueError("simdact: %s and %s have shapes %s and %s; they must be equal" % (names + (a.shape, b.shape)))


def _rows_cols(a, name):
    if a.ndim == 2:
        return a.shape
    if a.ndim == 1:
        return 1, a.shape[0]
    raise ValueError("simdact: %s must be 2-D (rows, cols) or 1-D (one row), got shape %s" % (name, a.shape))


def _ptr(a):
    return a.ctypes.data


# One caller per kind (kernels/list.inc); `names` are the argument names for messages.
def _call_unary(op, x, out, *p, names=("x",)):
    fn = _lib.kernels[op][0]
    x = _input(x, names[0])
    y = _output(out, x.shape)
    _lib.check(fn(_ptr(x), _ptr(y), x.size, *p), "simdact." + op)
    return y


def _call_binary(op, a, b, out, *p, names=("a", "b")):
    fn = _lib.kernels[op][0]
    a = _input(a, names[0])
    b = _input(b, names[1])
    _same_shape(a, b, names)
    y = _output(out, a.shape)
    _lib.check(fn(_ptr(a), _ptr(b), _ptr(y), a.size, *p), "simdact." + op)
    return y


def _call_rows(op, x, out, names=("x",)):
    fn = _lib.kernels[op][0]
    x = _input(x, names[0])
    rows, cols = _rows_cols(x, names[0])
    y = _output(out, x.shape)
    _lib.check(fn(_ptr(x), _ptr(y), rows, cols), "simdact." + op)
    return y


def _call_rows_binary(op, a, b, out, names=("a", "b")):
    fn = _lib.kernels[op][0]
    a = _input(a, names[0])
    b = _input(b, names[1])
    _same_shape(a, b, names)
    rows, cols = _rows_cols(a, names[0])
    y = _output(out, a.shape)
    _lib.check(fn(_ptr(a), _ptr(b), _ptr(y), rows, cols), "simdact." + op)
    return y


def sigmoid(x, out=None):
    """1 / (1 + exp(-x)), element-wise."""
    return _call_unary("sigmoid", x, out)


def sigmoid_backward(output, grad_output, out=None):
    """grad_output * (output * (1 - output)), where output = sigmoid(input)."""
    return _call_binary("sigmoid_backward", output, grad_output, out, names=("output", "grad_output"))


def tanh(x, out=None):
    """tanh(x), element-wise."""
    return _call_unary("tanh", x, out)


def tanh_backward(output, grad_output, out=None):
    """grad_output * (1 - output * output), where output = tanh(input)."""
    return _call_binary("tanh_backward", output, grad_output, out, names=("output", "grad_output"))


def relu(x, out=None):
    """x > 0 ? x : +0, element-wise (NaN stays NaN)."""
    return _call_unary("relu", x, out)


def relu_backward(input, grad_output, out=None):
    """grad_output * (input > 0); NaN where input is NaN (the seed's numpy gives 0 there)."""
    return _call_binary("relu_backward", input, grad_output, out, names=("input", "grad_output"))


def leaky_relu(x, slope=DEFAULT_SLOPE, out=None):
    """x > 0 ? x : slope * x, element-wise, slope rounded to float32 (+inf -> +inf; the seed gives NaN)."""
    return _call_unary("leaky_relu", x, out, float(slope))


def leaky_relu_backward(input, grad_output, slope=DEFAULT_SLOPE, out=None):
    """grad_output * (input > 0 ? 1 : slope); NaN where input is NaN (the seed's numpy gives 0 there)."""
    return _call_binary(
        "leaky_relu_backward", input, grad_output, out, float(slope), names=("input", "grad_output")
    )


def softmax(x, out=None):
    """Row-wise softmax of a 2-D (rows, cols) array, or of a 1-D array as one row."""
    return _call_rows("softmax", x, out)


def softmax_backward(output, grad_output, out=None):
    """output * (grad_output - sum(grad_output * output) per row), where output = softmax(input)."""
    return _call_rows_binary("softmax_backward", output, grad_output, out, names=("output", "grad_output"))


# Kernels of the loaded library that have no hand-written function above (e.g. sigmoid_fast and
# tanh_fast, when the library has them): generated from their kind, same argument conventions.
def _generate(op, kind):
    if kind == "unary":

        def f(x, out=None):
            return _call_unary(op, x, out)

    elif kind == "unary_p":

        def f(x, p, out=None):
            return _call_unary(op, x, out, float(p))

    elif kind == "binary":

        def f(a, b, out=None):
            return _call_binary(op, a, b, out)

    elif kind == "binary_p":

        def f(a, b, p, out=None):
            return _call_binary(op, a, b, out, float(p))

    elif kind == "rows":

        def f(x, out=None):
            return _call_rows(op, x, out)

    elif kind == "rows_binary":

        def f(a, b, out=None):
            return _call_rows_binary(op, a, b, out)

    else:
        return None
    f.__name__ = f.__qualname__ = op
    f.__doc__ = "simdact_%s_f32 (kind %s), see simdact.h." % (op, kind)
    return f


for _op, (_fn, _kind) in _lib.kernels.items():
    if _op not in globals():
        _f = _generate(_op, _kind)
        if _f is not None:
            globals()[_op] = _f
            __all__.append(_op)
