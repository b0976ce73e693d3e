"""The seed's Module classes (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax) and, in the same style, GELU,
SiLU, Softplus, ELU and LogSoftmax, backed by libsimdact.

Same interface as the seed: forward(input) computes, stores and returns self.output; backward(input,
grad_output) returns grad_input. As in the seed, backward uses self.output (the last forward's result)
for Sigmoid, Tanh, Softmax and LogSoftmax, and `input` for ReLU, LeakyReLU, GELU, SiLU, Softplus and
ELU (their derivatives are functions of the input); if forward has not run yet, backward computes the
forward output from `input` first. Arrays follow simdact.functional's rules (float32, no broadcasting:
grad_output must have the shape of the output). Parameters as PyTorch's layers: GELU(approximate=
"none" | "tanh"), ELU(alpha=1.0); Softplus has no beta / threshold (beta = 1, no linear cut-off).
"""

from . import functional as F

__all__ = [
    "Module",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Softmax",
    "LogSoftmax",
    "GELU",
    "SiLU",
    "Softplus",
    "ELU",
]


class Module:
    """The minimal base of the seed's layers: forward / backward and the stored output."""

    def __init__(self):
        self.output = None

    def __call__(self, input):
        return self.forward(input)

    def forward(self, input):
        raise NotImplementedError

    def backward(self, input, grad_output):
        raise NotImplementedError

    def __repr__(self):
        return "%s()" % type(self).__name__


class Sigmoid(Module):
    def forward(self, input):
        self.output = F.sigmoid(input)
        return self.output

    def backward(self, input, grad_output):
        sigma = self.output if self.output is not None else F.sigmoid(input)
        return F.sigmoid_backward(sigma, grad_output)


class Tanh(Module):
    def forward(self, input):
        self.output = F.tanh(input)
        return self.output

    def backward(self, input, grad_output):
        th = self.output if self.output is not None else F.tanh(input)
        return F.tanh_backward(th, grad_output)


class ReLU(Module):
    """Rectified linear unit. Activation function."""

    def forward(self, input):
        self.output = F.relu(input)
        return self.output

    def backward(self, input, grad_output):
        return F.relu_backward(input, grad_output)


class LeakyReLU(Module):
    def __init__(self, slope=F.DEFAULT_SLOPE):
        super().__init__()
        self.slope = slope

    def forward(self, input):
        self.output = F.leaky_relu(input, self.slope)
        return self.output

    def backward(self, input, grad_output):
        return F.leaky_relu_backward(input, grad_output, self.slope)

    def __repr__(self):
        return "LeakyReLU(slope=%r)" % (self.slope,)


class Softmax(Module):
    def __init__(self):
        super().__init__()
        self.softmax = None

    def forward(self, input):
        self.output = self.softmax = F.softmax(input)
        return self.output

    def backward(self, input, grad_output):
        p = self.softmax if self.softmax is not None else F.softmax(input)
        return F.softmax_backward(p, grad_output)


class LogSoftmax(Module):
    """Row-wise log-softmax of a 2-D (rows, cols) batch (a 1-D input is one row), as Softmax."""

    def forward(self, input):
        self.output = F.log_softmax(input)
        return self.output

    def backward(self, input, grad_output):
        out = self.output if self.output is not None else F.log_softmax(input)
        return F.log_softmax_backward(out, grad_output)


class GELU(Module):
    """Gaussian error linear unit: x * Phi(x); approximate="tanh" uses the tanh approximation."""

    def __init__(self, approximate="none"):
        super().__init__()
        F._gelu_ops(approximate)  # ValueError now rather than at the first forward
        self.approximate = approximate

    def forward(self, input):
        self.output = F.gelu(input, self.approximate)
        return self.output

    def backward(self, input, grad_output):
        return F.gelu_backward(input, grad_output, self.approximate)

    def __repr__(self):
        return "GELU(approximate=%r)" % (self.approximate,)


class SiLU(Module):
    """x * sigmoid(x) (swish)."""

    def forward(self, input):
        self.output = F.silu(input)
        return self.output

    def backward(self, input, grad_output):
        return F.silu_backward(input, grad_output)


class Softplus(Module):
    """log(1 + exp(x))."""

    def forward(self, input):
        self.output = F.softplus(input)
        return self.output

    def backward(self, input, grad_output):
        return F.softplus_backward(input, grad_output)


class ELU(Module):
    """x > 0 ? x : alpha * (exp(x) - 1)."""

    def __init__(self, alpha=F.DEFAULT_ELU_ALPHA):
        super().__init__()
        self.alpha = alpha

    def forward(self, input):
        self.output = F.elu(input, self.alpha)
        return self.output

    def backward(self, input, grad_output):
        return F.elu_backward(input, grad_output, self.alpha)

    def __repr__(self):
        return "ELU(alpha=%r)" % (self.alpha,)
