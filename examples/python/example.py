#!/usr/bin/env python3
"""The seed's layers on simdact, from Python (ctypes + numpy, no compiled extension).

    PYTHONPATH=python /usr/bin/python3 examples/python/example.py
The library is found through SIMDACT_LIBRARY, the installed libsimdact.so.0, or <repo>/build.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import simdact  # noqa: E402

# A tiny forward/backward pass through the seed's layers: logits -> Softmax, hidden -> LeakyReLU.
logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], dtype=np.float32)
softmax = simdact.Softmax()
p = softmax.forward(logits)
grad = softmax.backward(logits, np.array([[1, 0, 0], [0, 0, 0]], dtype=np.float32))

leaky = simdact.LeakyReLU(slope=0.1)
h = leaky.forward(np.array([-2.0, 2.0], dtype=np.float32))

# Plain functions, in place through out=.
x = np.linspace(-3, 3, 7, dtype=np.float32)
simdact.sigmoid(x, out=x)

# The same on the scalar reference kernels.
with simdact.use_isa("scalar"):
    p_scalar = simdact.softmax(logits)

ok = (
    np.allclose(p[0], [0.0900306, 0.2447285, 0.6652409], rtol=1e-6)
    and np.allclose(p[1], 1 / 3)
    and np.isclose(grad[0, 0], p[0, 0] * (1 - p[0, 0]))
    and h.tolist() == [np.float32(-0.2), 2.0]
    and x[3] == 0.5
    and np.allclose(p_scalar, p, rtol=1e-6)
)
print(
    "example.py (Python): simdact %s on %s (%s): softmax(1,2,3) = %s, d/dx0 = %.4f, leaky(-2) = %.1f, "
    "sigmoid(0) = %.1f [%s]"
    % (simdact.version(), simdact.isa_name(), simdact.library_path, np.array2string(p[0], precision=4),
       grad[0, 0], h[0], x[3], "ok" if ok else "WRONG")
)
sys.exit(0 if ok else 1)
