"""Plain functions over numpy arrays, each one call of the C ABI (simdact_<op>_f32).

Arrays
    Inputs must be numpy.ndarray of dtype float32 (native byte order); anything else (float64, int,
    lists, masked arrays) raises TypeError: nothing is converted to float32 behind your back, convert
    with ``a.astype(numpy.float32)``. A non-C-contiguous float32 input (a slice with a step, a
    transpose) is copied to a contiguous array first: exact, it only costs the copy. The exception:
    softmax and log_softmax take a 2-D input whose rows are contiguous but lie further apart (a block
    of columns ``a[:, i:j]`` of a wider C-contiguous array, rows with padding) as it is, through
    simdact_{softmax,log_softmax}_strided_f32 with ld = strides[0] / 4: no copy, and the padding is
    never read. (Negative or misaligned row strides, and column steps other than 1, are copied.)
    ``out=`` must be a writeable, C-contiguous float32 ndarray of the input's shape (else TypeError for
    the type/dtype, ValueError for shape, layout or read-only); for softmax and log_softmax of 2-D
    arrays it may also be such a row-strided view (a column block of a wider array: only its own
    elements are written). It may be the very input array (in place), but not a different view
    partially overlapping an input (InvalidArgumentError). The result is ``out``, or a new
    (C-contiguous) array when out is None.
    Inputs of a backward op must have the same shape (no broadcasting): ValueError.

Shapes
    Element-wise ops accept any shape. softmax / log_softmax and their backward take 2-D (rows, cols),
    row-wise as the seed's code, or 1-D as one row; other ranks raise ValueError. (A (rows, 0) input
    gives an empty result where the seed's code would raise.)

Errors
    A non-OK status raises InvalidArgumentError (a ValueError) or UnsupportedIsaError. A function whose
    kernel the loaded library lacks (an older libsimdact: the kernels after the ten of 0.1.0,
    simdact._lib.REQUIRED_SINCE_0_1_0, came in later) raises MissingKernelError (a NotImplementedError)
    when called.

Backward ops take what the seed keeps: the forward output for sigmoid, tanh, softmax and log_softmax,
the forward input for the others (each kernel's `first` in include/simdact/kernels.inc).

Every row of kernels.inc (simdact._kernels) has a function here: the hand-written ones below, and for
the rest (e.g. sigmoid_fast, tanh_fast) one generated from its row at import when the loaded library
has the kernel (_generate). The
rows_strided kernels have none of their own: softmax and log_softmax call them for strided 2-D arrays.
"""

import numpy as np

from . import _kernels, _lib

__all__ = []  # every function of a kernel row, in kernels.inc's order (filled in at the end)

DEFAULT_SLOPE = 0.01
DEFAULT_ELU_ALPHA = 1.0  # as PyTorch's torch.nn.ELU
GELU_APPROXIMATIONS = ("none", "tanh")  # as PyTorch's torch.nn.GELU(approximate=...)


def _checked(a, name):
    """a itself if it is a float32 ndarray, else TypeError."""
    if not isinstance(a, np.ndarray) or isinstance(a, np.ma.MaskedArray):
        raise TypeError("simdact: %s must be a numpy.ndarray of float32, got %s" % (name, type(a).__name__))
    if a.dtype != np.float32:
        raise TypeError(
            "simdact: %s must have dtype float32, got %s (convert with %s.astype(numpy.float32))" % (name, a.dtype, name)
        )
    return a


def _input(a, name):
    a = _checked(a, name)
    if not a.flags.c_contiguous:
        a = np.ascontiguousarray(a)
    return a


def _ld(a):
    """The leading dimension (floats from one row's start to the next) of a 2-D float32 array whose
    rows are contiguous and lie a whole, non-negative number of floats >= cols apart: cols for a
    C-contiguous array, strides[0] / 4 for a row-strided view such as a[:, i:j]; None for any other
    layout (column step != 1, negative, misaligned or overlapping rows)."""
    if a.flags.c_contiguous:
        return a.shape[1]
    rows, cols = a.shape
    row_stride, col_stride = a.strides
    if cols > 1 and col_stride != a.itemsize:
        return None
    if rows > 1 and (row_stride < 0 or row_stride % a.itemsize != 0 or row_stride // a.itemsize < cols):
        return None
    # rows <= 1 (with contiguous columns the array would be C-contiguous) or cols <= 1: any ld >= cols does.
    return row_stride // a.itemsize if rows > 1 else cols


def _output(out, shape, row_strided=False):
    """out checked (or a new array); row_strided: a 2-D out may also be a row-strided view (_ld)."""
    if out is None:
        return np.empty(shape, dtype=np.float32)
    if not isinstance(out, np.ndarray) or isinstance(out, np.ma.MaskedArray):
        raise TypeError("simdact: out must be a numpy.ndarray of float32, got %s" % type(out).__name__)
    if out.dtype != np.float32:
        raise TypeError("simdact: out must have dtype float32, got %s" % out.dtype)
    if out.shape != shape:
        raise ValueError("simdact: out has shape %s, expected %s" % (out.shape, shape))
    if not out.flags.c_contiguous:
        if not row_strided:
            raise ValueError("simdact: out must be C-contiguous")
        if out.ndim != 2 or _ld(out) is None:
            raise ValueError(
                "simdact: out must be C-contiguous, or a 2-D view with contiguous rows a whole number of "
                "floats apart (strides (4*ld, 4), ld >= cols), such as a[:, i:j]"
            )
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


# One caller per kind (include/simdact/kernels.inc); `names` are the argument names for messages.
def _call_unary(op, x, out, *p, names=("x",)):
    fn = _lib.kernel(op)
    x = _input(x, names[0])
    y = _output(out, x.shape)
    _lib.check(fn(_ptr(x), _ptr(y), x.size, *p), "simdact." + op)
    return y


def _call_binary(op, a, b, out, *p, names=("a", "b")):
    fn = _lib.kernel(op)
    a = _input(a, names[0])
    b = _input(b, names[1])
    _same_shape(a, b, names)
    y = _output(out, a.shape)
    _lib.check(fn(_ptr(a), _ptr(b), _ptr(y), a.size, *p), "simdact." + op)
    return y


def _call_rows(op, x, out, names=("x",)):
    """A rows kernel; a 2-D x or out with strided rows goes to simdact_<op>_strided_f32 when the
    library has it (no copy), else x is copied and out must be C-contiguous."""
    fn = _lib.kernel(op)
    strided = _lib.kernels.get(op + "_strided", (None,))[0]
    x = _checked(x, names[0])
    rows, cols = _rows_cols(x, names[0])
    ldx = _ld(x) if strided is not None and x.ndim == 2 else None
    if ldx is None:
        x = _input(x, names[0])
        ldx = cols
    y = _output(out, x.shape, row_strided=strided is not None and x.ndim == 2)
    if x.flags.c_contiguous and y.flags.c_contiguous:
        _lib.check(fn(_ptr(x), _ptr(y), rows, cols), "simdact." + op)
    else:
        _lib.check(strided(_ptr(x), ldx, _ptr(y), _ld(y), rows, cols), "simdact." + op)
    return y


def _call_rows_binary(op, a, b, out, names=("a", "b")):
    fn = _lib.kernel(op)
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
    """Row-wise softmax of a 2-D (rows, cols) array, or of a 1-D array as one row. A 2-D x or out with
    strided rows (a column block a[:, i:j] of a wider array) is used as it is, without a copy."""
    return _call_rows("softmax", x, out)


def softmax_backward(output, grad_output, out=None):
    """output * (grad_output - sum(grad_output * output) per row), where output = softmax(input)."""
    return _call_rows_binary("softmax_backward", output, grad_output, out, names=("output", "grad_output"))


def log_softmax(x, out=None):
    """Row-wise x - max - log(sum(exp(x - max))) of a 2-D (rows, cols) array, or of a 1-D array as one
    row; -inf entries give -inf. Strided rows as in softmax (no copy)."""
    return _call_rows("log_softmax", x, out)


def log_softmax_backward(output, grad_output, out=None):
    """grad_output - exp(output) * sum(grad_output) per row, where output = log_softmax(input)."""
    return _call_rows_binary("log_softmax_backward", output, grad_output, out, names=("output", "grad_output"))


def _gelu_ops(approximate):
    if approximate == "none":
        return "gelu", "gelu_backward"
    if approximate == "tanh":
        return "gelu_tanh", "gelu_tanh_backward"
    raise ValueError("simdact: approximate must be 'none' or 'tanh' (as torch's GELU), got %r" % (approximate,))


def gelu(x, approximate="none", out=None):
    """x * Phi(x) = x/2 * (1 + erf(x / sqrt(2))), element-wise; approximate="tanh" gives gelu_tanh."""
    return _call_unary(_gelu_ops(approximate)[0], x, out)


def gelu_backward(input, grad_output, approximate="none", out=None):
    """grad_output * gelu'(input) (Phi(x) + x phi(x)); approximate="tanh": gelu_tanh_backward."""
    return _call_binary(_gelu_ops(approximate)[1], input, grad_output, out, names=("input", "grad_output"))


def gelu_tanh(x, out=None):
    """x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), element-wise (GELU's tanh approximation)."""
    return _call_unary("gelu_tanh", x, out)


def gelu_tanh_backward(input, grad_output, out=None):
    """grad_output * gelu_tanh'(input)."""
    return _call_binary("gelu_tanh_backward", input, grad_output, out, names=("input", "grad_output"))


def silu(x, out=None):
    """x * sigmoid(x) (swish with beta = 1), element-wise."""
    return _call_unary("silu", x, out)


def silu_backward(input, grad_output, out=None):
    """grad_output * sigmoid(input) * (1 + input * (1 - sigmoid(input)))."""
    return _call_binary("silu_backward", input, grad_output, out, names=("input", "grad_output"))


def softplus(x, out=None):
    """log(1 + exp(x)), element-wise, without overflow (x for large x); no beta / threshold."""
    return _call_unary("softplus", x, out)


def softplus_backward(input, grad_output, out=None):
    """grad_output * sigmoid(input)."""
    return _call_binary("softplus_backward", input, grad_output, out, names=("input", "grad_output"))


def elu(x, alpha=DEFAULT_ELU_ALPHA, out=None):
    """x > 0 ? x : alpha * (exp(x) - 1), element-wise, alpha rounded to float32 (default 1.0)."""
    return _call_unary("elu", x, out, float(alpha))


def elu_backward(input, grad_output, alpha=DEFAULT_ELU_ALPHA, out=None):
    """grad_output * (input > 0 ? 1 : alpha * exp(input))."""
    return _call_binary("elu_backward", input, grad_output, out, float(alpha), names=("input", "grad_output"))


# Kernel rows that have no hand-written function above (e.g. sigmoid_fast and tanh_fast): generated from
# their row, the same argument conventions: a backward op's first argument is named by the row's first
# input (output or input), the _p kinds' parameter p defaults to the row's param; only for kernels the
# loaded library has (hasattr tells; a hand-written function of a missing kernel raises MissingKernelError
# when called). The rows_strided kernels get none: softmax and log_softmax call them for strided 2-D arrays.
def _generate(op, kind, first, param):
    a_name = "input" if first == "x" else "output"
    if kind == "unary":

        def f(x, out=None):
            return _call_unary(op, x, out)

    elif kind == "unary_p":

        def f(x, p=param, out=None):
            return _call_unary(op, x, out, float(p))

    elif kind == "binary":

        def f(a, grad_output, out=None):
            return _call_binary(op, a, grad_output, out, names=(a_name, "grad_output"))

    elif kind == "binary_p":

        def f(a, grad_output, p=param, out=None):
            return _call_binary(op, a, grad_output, out, float(p), names=(a_name, "grad_output"))

    elif kind == "rows":

        def f(x, out=None):
            return _call_rows(op, x, out)

    elif kind == "rows_binary":

        def f(a, grad_output, out=None):
            return _call_rows_binary(op, a, grad_output, out, names=(a_name, "grad_output"))

    else:
        return None
    f.__name__ = f.__qualname__ = op
    f.__doc__ = "simdact_%s_f32 (kind %s, first input %s), see simdact.h." % (op, kind, first)
    return f


for _row in _kernels.ROWS:
    _op, _kind, _first, _param = _row[0], _row[1], _row[4], _row[5]
    if _op not in globals():
        _f = _generate(_op, _kind, _first, _param) if _op in _lib.kernels else None
        if _f is None:
            continue
        globals()[_op] = _f
    __all__.append(_op)
