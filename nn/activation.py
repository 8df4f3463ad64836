"""Activation layers: Modules that apply the functions of activation_functions (see there for the formulas)."""
from __future__ import annotations

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.arguments import as_flag
from autograd.ops.unary import Relu
from autograd.tensor_class import Tensor
from nn import activation_functions as F
from nn import init as initializers
from nn.module import Module
from nn.parameter import Parameter


def _with_inplace(module: Module, *settings: str) -> str:
    """The settings PyTorch's repr shows, then inplace=True when it is set (PyTorch omits inplace=False)."""
    return ", ".join([*settings, "inplace=True"] if module.inplace else settings)


class ReLU(Module):
    """max(x, 0); inplace=True writes it into the input (see activation_functions)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = as_flag(inplace, "inplace", "ReLU")

    def forward(self, input: Tensor) -> Tensor:
        if self.inplace:
            return F.relu(input, True)
        return Relu.apply(input)  # F.relu's own path, one call shorter: the most common layer of all

    def extra_repr(self) -> str:
        return _with_inplace(self)


class LeakyReLU(Module):
    """x for x > 0, else negative_slope * x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = as_flag(inplace, "inplace", "LeakyReLU")

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return _with_inplace(self, f"negative_slope={self.negative_slope}")


class Hardtanh(Module):
    """x limited to [min_val, max_val] (NaN stays NaN)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
        self.min_val, self.max_val = min_val, max_val
        self.inplace = as_flag(inplace, "inplace", "Hardtanh")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return _with_inplace(self, f"min_val={self.min_val}", f"max_val={self.max_val}")


class ReLU6(Module):
    """min(max(x, 0), 6)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = as_flag(inplace, "inplace", "ReLU6")

    def forward(self, input: Tensor) -> Tensor:
        return F.relu6(input, self.inplace)

    def extra_repr(self) -> str:
        return _with_inplace(self)


class PReLU(Module):
    """x for x > 0, else a x, with learned slopes a: weight (num_parameters,) filled with `init` (0.25);
    num_parameters is 1 (one slope for all) or the number of channels (dimension 1 of the input)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(np.full(num_parameters, init, dtype=get_default_dtype()))

    def reset_parameters(self) -> None:
        initializers.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class ELU(Module):
    """x for x > 0, else alpha * (e^x - 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = as_flag(inplace, "inplace", "ELU")

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return _with_inplace(self, f"alpha={self.alpha}")


class GELU(Module):
    """x * Phi(x), exactly (approximate='none') or with the tanh approximation (approximate='tanh')."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x * sigmoid(x)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = as_flag(inplace, "inplace", "SiLU")

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, self.inplace)

    def extra_repr(self) -> str:
        return _with_inplace(self)


class Sigmoid(Module):
    """1 / (1 + e^-x)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """tanh x."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Softplus(Module):
    """log(1 + e^(beta x)) / beta (x itself where beta x > threshold)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class LogSigmoid(Module):
    """log sigmoid(x), computed stably."""

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Softmax(Module):
    """e^x_i / sum_j e^x_j along dim."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """x_i - log sum_j e^x_j along dim."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
