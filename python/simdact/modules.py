"""The seed's Module classes (Sigmoid, Tanh, ReLU, LeakyReLU, Softmax), backed by libsimdact.

Same interface as the seed: forward(input) computes, stores and returns self.output; backward(input,
grad_output) returns grad_input. As in the seed, backward uses self.output (the last forward's result)
for Sigmoid, Tanh and Softmax, and `input` for ReLU and LeakyReLU; if forward has not run yet, backward
computes the forward output from `input` first. Arrays follow simdact.functional's rules (float32,
no broadcasting: grad_output must have the shape of the output).
"""

from . import functional as F

__all__ = ["Module", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax"]


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
