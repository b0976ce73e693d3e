"""Finding and loading libsimdact, and the ctypes prototypes of its C ABI (include/simdact/simdact.h).

Search order (the first that loads wins):

1. the file named by the environment variable SIMDACT_LIBRARY (if set, it must load: no fallback);
2. the installed library: ``libsimdact.so.<ABI major>`` through the dynamic loader (LD_LIBRARY_PATH,
   the ldconfig cache, the default directories), then ``ctypes.util.find_library("simdact")``, then
   the usual prefixes (/usr/local/lib, /usr/lib and their multiarch and lib64 variants);
3. the build tree of this source checkout: ``<repo>/build/libsimdact.so``.

The loaded library must report the ABI major version this package was written for (ABI_MAJOR).
"""

import ctypes
import ctypes.util
import os
import re

from . import _kernels

# The SONAME is libsimdact.so.<major>; this package speaks the ABI of major version 0.
ABI_MAJOR = 0

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))  # python/simdact/ -> repository root

# Status codes (simdact_status).
OK = 0
ERR_INVALID_ARGUMENT = 1
ERR_UNSUPPORTED_ISA = 2


class SimdactError(Exception):
    """A non-OK status from libsimdact; ``status`` holds the simdact_status value."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(SimdactError, ValueError):
    """SIMDACT_ERR_INVALID_ARGUMENT (also a ValueError)."""


class UnsupportedIsaError(SimdactError, ValueError):
    """SIMDACT_ERR_UNSUPPORTED_ISA: the ISA is not compiled in or cannot run here (also a ValueError)."""


def _candidates():
    soname = "libsimdact.so.%d" % ABI_MAJOR
    yield soname  # through the dynamic loader's own search
    found = ctypes.util.find_library("simdact")
    if found:
        yield found
    machine = os.uname().machine if hasattr(os, "uname") else ""
    multiarch = {"x86_64": "x86_64-linux-gnu", "aarch64": "aarch64-linux-gnu"}.get(machine)
    for prefix in ("/usr/local", "/usr"):
        dirs = [os.path.join(prefix, "lib")]
        if multiarch:
            dirs.append(os.path.join(prefix, "lib", multiarch))
        dirs.append(os.path.join(prefix, "lib64"))
        for d in dirs:
            for name in (soname, "libsimdact.so"):
                path = os.path.join(d, name)
                if os.path.exists(path):
                    yield path
    build = os.path.join(_REPO, "build", "libsimdact.so")
    if os.path.exists(build):
        yield build


def _load():
    """Returns (CDLL, path) or raises ImportError saying where it looked."""
    env = os.environ.get("SIMDACT_LIBRARY")
    if env:
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise ImportError("simdact: SIMDACT_LIBRARY=%s cannot be loaded: %s" % (env, e)) from None
    tried = []
    for cand in _candidates():
        try:
            lib = ctypes.CDLL(cand)
        except OSError as e:
            tried.append("%s (%s)" % (cand, e))
            continue
        path = cand
        try:  # the file the loader really picked, where /proc tells
            with open("/proc/self/maps") as maps:
                for line in maps:
                    m = re.search(r"(/\S*libsimdact\.so[.0-9]*)$", line.strip())
                    if m:
                        path = m.group(1)
                        break
        except OSError:
            pass
        return lib, path
    raise ImportError(
        "simdact: libsimdact not found. Set SIMDACT_LIBRARY=/path/to/libsimdact.so, install simdact "
        "(cmake --install), or build it in %s. Tried: %s"
        % (os.path.join(_REPO, "build"), "; ".join(tried) or "nothing found")
    )


lib, library_path = _load()

# --- prototypes --------------------------------------------------------------------------------------
_p = ctypes.c_void_p
_n = ctypes.c_size_t
_f = ctypes.c_float
_status = ctypes.c_int

# The argument types of each kernel kind (include/simdact/kernels.inc).
KIND_ARGTYPES = {
    "unary": [_p, _p, _n],
    "binary": [_p, _p, _p, _n],
    "unary_p": [_p, _p, _n, _f],
    "binary_p": [_p, _p, _p, _n, _f],
    "rows": [_p, _p, _n, _n],
    "rows_binary": [_p, _p, _p, _n, _n],
    "rows_strided": [_p, _n, _p, _n, _n, _n],  # (x, ldx, y, ldy, rows, cols), ld in floats
}

# Every kernel this package knows: the rows of include/simdact/kernels.inc (simdact/_kernels.py, generated
# from it), each with its kind. A new row needs no edit here. The kernels of libsimdact 0.1.0 are required;
# the later ones are optional so that an older installed libsimdact.so.0 still loads: their functions and
# layers then raise MissingKernelError when called (see kernel()).
REQUIRED_SINCE_0_1_0 = frozenset((
    "sigmoid", "sigmoid_backward", "tanh", "tanh_backward", "relu", "relu_backward",
    "leaky_relu", "leaky_relu_backward", "softmax", "softmax_backward",
))
KERNELS = {row[0]: (row[1], row[0] in REQUIRED_SINCE_0_1_0) for row in _kernels.ROWS}

kernels = {}  # op -> (ctypes function, kind), only those present
for _op, (_kind, _required) in KERNELS.items():
    _name = "simdact_%s_f32" % _op
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        if _required:
            raise ImportError("simdact: %s lacks %s (library too old?)" % (library_path, _name)) from None
        continue
    _fn.argtypes = KIND_ARGTYPES[_kind]
    _fn.restype = _status
    kernels[_op] = (_fn, _kind)

lib.simdact_active_isa.argtypes = []
lib.simdact_active_isa.restype = ctypes.c_int
lib.simdact_isa_name.argtypes = [ctypes.c_int]
lib.simdact_isa_name.restype = ctypes.c_char_p
lib.simdact_isa_supported.argtypes = [ctypes.c_int]
lib.simdact_isa_supported.restype = ctypes.c_int
lib.simdact_set_isa.argtypes = [ctypes.c_int]
lib.simdact_set_isa.restype = _status
lib.simdact_version.argtypes = []
lib.simdact_version.restype = ctypes.c_char_p

version_string = lib.simdact_version().decode("ascii")
try:
    _major = int(version_string.split(".")[0])
except ValueError:
    _major = -1
if _major != ABI_MAJOR:
    raise ImportError(
        "simdact: %s is version %s; this package needs ABI major version %d" % (library_path, version_string, ABI_MAJOR)
    )


class MissingKernelError(SimdactError, NotImplementedError):
    """The loaded library lacks a kernel this package knows (an older libsimdact); status is None."""


def kernel(op, what=None):
    """The ctypes function of simdact_<op>_f32; MissingKernelError if the loaded library lacks it."""
    try:
        return kernels[op][0]
    except KeyError:
        raise MissingKernelError(
            "%s: %s (version %s) has no simdact_%s_f32; it needs a newer libsimdact"
            % (what or "simdact." + op, library_path, version_string, op),
            None,
        ) from None


def check(status, what):
    """Raises the exception of a non-OK status."""
    if status == OK:
        return
    if status == ERR_INVALID_ARGUMENT:
        raise InvalidArgumentError(
            "%s: invalid argument (NULL pointer, partially overlapping buffers or size overflow)" % what, status
        )
    if status == ERR_UNSUPPORTED_ISA:
        raise UnsupportedIsaError("%s: ISA not compiled in or not runnable on this CPU" % what, status)
    raise SimdactError("%s: unknown simdact status %d" % (what, status), status)

