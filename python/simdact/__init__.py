"""simdact for Python: the seed's activation layers and plain functions on libsimdact (ctypes + numpy).

    import numpy as np, simdact
    x = np.random.randn(1024, 1000).astype(np.float32)
    layer = simdact.Softmax()
    p = layer.forward(x)                       # as the seed's Softmax, row-wise
    g = layer.backward(x, np.ones_like(p))
    y = simdact.sigmoid(x)                     # plain functions; out= for no allocation:
    simdact.relu(x, out=x)                     # in place

Layers (the seed's API: forward(input), backward(input, grad_output), self.output): Sigmoid, Tanh,
ReLU, LeakyReLU(slope=0.01), Softmax; in the same style LogSoftmax, GELU(approximate="none"|"tanh"),
SiLU, Softplus, ELU(alpha=1.0).
Functions: one per kernel of include/simdact/kernels.inc (simdact.functional.__all__, in its order:
sigmoid, sigmoid_fast, sigmoid_backward, tanh, ...), each with out=None; the parameters as the layers'
(leaky_relu(x, slope=0.01), gelu(x, approximate="none"), elu(x, alpha=1.0)). A kernel added after
0.1.0 that the loaded library lacks raises MissingKernelError (sigmoid_fast and tanh_fast are then
absent: check with hasattr).
softmax and log_softmax take a column block a[:, i:j] of a wider array (and write into one, out=)
without a copy.
ISA: Isa, active_isa(), isa_name(), isa_supported(), supported_isas(), set_isa(), use_isa() (a context
manager), version(), library_path.

Only float32 arrays are accepted (TypeError otherwise, no silent conversion); non-contiguous inputs
are copied (but for softmax / log_softmax of row-strided 2-D views); see simdact.functional for the
full rules. Differences from the seed's numpy code (all from simdact.h's contract): relu/leaky
backward give NaN where the input is NaN (the seed: 0); leaky_relu(+inf) = +inf and leaky_relu(-inf) =
-inf for slope > 0 (the seed: NaN); sigmoid keeps subnormal results where the seed's float32 exp
overflows to 0.

The library is found through SIMDACT_LIBRARY, then the installed libsimdact.so.0, then <repo>/build
(simdact._lib explains the order). The calls release the GIL (ctypes) while the kernel runs.
"""

import contextlib
import enum

from . import _lib
from ._lib import InvalidArgumentError, MissingKernelError, SimdactError, UnsupportedIsaError, library_path
from .functional import *  # noqa: F401,F403 (the functions, including generated ones)
from .functional import __all__ as _functional_all
from .modules import *  # noqa: F401,F403 (the layers)
from .modules import __all__ as _modules_all

__version__ = _lib.version_string


def _isa_members():
    # The library's own list (dispatch/isa_list.inc): every simdact_isa value it has a name for. The
    # values are small (the enum is ABI); 64 leaves room for every ISA simdact will ever add.
    members = {}
    for value in range(64):
        name = _lib.lib.simdact_isa_name(value).decode("ascii")
        if name != "unknown":
            members[name.upper()] = value
    return members


Isa = enum.IntEnum("Isa", _isa_members(), module=__name__)
Isa.__doc__ = "simdact_isa: SCALAR, AVX2, AVX512, NEON, ... (the names the library reports)."


def _isa_value(isa):
    if isinstance(isa, str):
        try:
            return Isa[isa.strip().upper()].value
        except KeyError:
            raise ValueError(
                "simdact: unknown ISA name %r (one of %s)" % (isa, ", ".join(i.name.lower() for i in Isa))
            ) from None
    if isinstance(isa, bool) or not isinstance(isa, int):
        raise TypeError("simdact: an ISA is an Isa, an int or a name, got %s" % type(isa).__name__)
    return int(isa)


def _as_isa(value):
    try:
        return Isa(value)
    except ValueError:
        return value


def active_isa():
    """The ISA the kernels run on now (an Isa)."""
    return _as_isa(_lib.lib.simdact_active_isa())


def isa_name(isa=None):
    """The ISA's name ("scalar", "avx2", ...; "unknown" for other values); the active ISA's by default."""
    value = _lib.lib.simdact_active_isa() if isa is None else _isa_value(isa)
    return _lib.lib.simdact_isa_name(value).decode("ascii")


def isa_supported(isa):
    """True if the ISA is compiled in and this CPU and OS can run it."""
    try:
        value = _isa_value(isa)
    except ValueError:
        return False
    return bool(_lib.lib.simdact_isa_supported(value))


def supported_isas():
    """The ISAs this machine can run, as Isa values."""
    return [i for i in Isa if _lib.lib.simdact_isa_supported(i.value)]


def set_isa(isa):
    """Switches every thread to `isa` (an Isa, int or name). UnsupportedIsaError if it cannot run here."""
    value = _isa_value(isa)
    _lib.check(_lib.lib.simdact_set_isa(value), "simdact.set_isa(%s)" % (isa,))


@contextlib.contextmanager
def use_isa(isa):
    """with simdact.use_isa("scalar"): ... — switches the ISA (process-wide) and restores the previous one."""
    previous = _lib.lib.simdact_active_isa()
    set_isa(isa)
    try:
        yield active_isa()
    finally:
        _lib.lib.simdact_set_isa(previous)


def version():
    """The library's "MAJOR.MINOR.PATCH"."""
    return _lib.version_string


__all__ = list(_functional_all) + list(_modules_all) + [
    "Isa",
    "active_isa",
    "isa_name",
    "isa_supported",
    "supported_isas",
    "set_isa",
    "use_isa",
    "version",
    "library_path",
    "SimdactError",
    "InvalidArgumentError",
    "UnsupportedIsaError",
    "MissingKernelError",
]
