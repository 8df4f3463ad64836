"""Activation functions, elementwise unless said otherwise. Each docstring gives f(x) and f'(x).

Ops whose naive formula overflows or loses digits (elu, softplus, logsigmoid) are Functions with a stable
forward and the derivative beside it; the others are compositions of the engine's ops.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_number, as_tensor_argument
from autograd.ops.arithmetic import where
from autograd.ops.softmax import log_softmax as _log_softmax
from autograd.ops.softmax import softmax as _softmax
from autograd.ops.unary import Relu
from autograd.tensor_class import Tensor
from nn.erf import erf


def _written_into(input: Tensor, activation: Callable[[Tensor], Tensor], name: str) -> Tensor:
    """activation(input) written into input, which is returned with its version bumped (inplace=True, as PyTorch).
    On a recorded tensor Tensor._inplace records the op on a copy of the old value, so that a leaf that requires
    grad, or a view, is refused, and a backward that saved the input before the change raises."""
    return input._inplace(lambda t, _: activation(t), None, name)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0);  f'(x) = 1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""
    return input.relu_() if inplace else Relu.apply(input)


def relu_(input: Tensor) -> Tensor:
    """relu(input, inplace=True)."""
    return relu(input, True)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else negative_slope * x;  f'(x) = 1 for x > 0, else negative_slope (at NaN too, as PyTorch)."""
    slope = as_number(negative_slope, "negative_slope", "leaky_relu")
    if inplace:
        return _written_into(input, lambda t: where(t._data > 0, t, t * slope), "leaky_relu_")
    return where(input._data > 0, input, input * slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu(input, negative_slope, inplace=True)."""
    return leaky_relu(input, negative_slope, True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """min_val for x <= min_val, max_val for x >= max_val, else x;  f'(x) = 1 strictly between them (and at NaN,
    which stays NaN, as PyTorch), else 0."""
    if as_number(min_val, "min_val", "hardtanh") > as_number(max_val, "max_val", "hardtanh"):
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    if inplace:
        return _written_into(input, lambda t: hardtanh(t, min_val, max_val), "hardtanh_")
    x = input._data
    return where(x <= min_val, min_val, where(x >= max_val, max_val, input))


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh(input, min_val, max_val, inplace=True)."""
    return hardtanh(input, min_val, max_val, True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) = hardtanh(x, 0, 6);  f'(x) = 1 for 0 < x < 6 (and at NaN, as PyTorch), else 0."""
    return hardtanh(input, 0.0, 6.0, inplace)


class _ELU(Function, on_arrays=True):
    """y = x for x > 0, else alpha * (e^x - 1) (computed with expm1);  dy/dx = 1 for x > 0, else y + alpha."""

    @staticmethod
    def forward(ctx, x, alpha: float):
        ctx.alpha, positive = alpha, x > 0
        negative = np.expm1(np.minimum(x, 0))  # e^x - 1 only where it is used: no overflow for large x
        y = np.where(positive, x, alpha * negative).astype(x.dtype, copy=False)
        ctx.positive = positive
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return dual.where(ctx.positive, grad, grad * (y + ctx.alpha)), None


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else alpha * (e^x - 1);  f'(x) = 1 for x > 0, else alpha * e^x."""
    alpha = as_number(alpha, "alpha", "elu")
    if inplace:
        return _written_into(input, lambda t: _ELU.apply(t, alpha), "elu_")
    return _ELU.apply(input, alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu(input, alpha, inplace=True)."""
    return elu(input, alpha, True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF:

    'none':  0.5 x (1 + erf(x / sqrt 2));  f'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi)
    'tanh':  0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    """
    if approximate == "none":
        return 0.5 * input * (1 + erf(input * (1 / math.sqrt(2))))
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + inner.tanh())
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish);  f'(x) = s + x s (1 - s), s = sigmoid(x)."""
    if inplace:
        return _written_into(input, lambda t: t * t.sigmoid(), "silu_")
    return input * input.sigmoid()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), without overflow;  f'(x) = f(x) (1 - f(x))."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """tanh x;  f'(x) = 1 - tanh^2 x."""
    return input.tanh()


class _Softplus(Function, on_arrays=True):
    """y = log(1 + e^(beta x)) / beta, or x where beta x > threshold;  dy/dx = sigmoid(beta x) there, else 1."""

    @staticmethod
    def forward(ctx, x, beta: float, threshold: float):
        ctx.beta, linear = beta, x * beta > threshold
        ctx.save_for_backward(x)
        ctx.linear = linear
        smooth = np.logaddexp(0, x * beta) / beta
        return np.where(linear, x, smooth).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return dual.where(ctx.linear, grad, grad * dual.sigmoid(x * ctx.beta)), None, None


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, a smooth relu (linear where beta x > threshold, as PyTorch);
    f'(x) = sigmoid(beta x)."""
    return _Softplus.apply(input, as_number(beta, "beta", "softplus"), as_number(threshold, "threshold", "softplus"))


class _LogSigmoid(Function, on_arrays=True):
    """y = log sigmoid(x) = -log(1 + e^-x), computed as -logaddexp(0, -x);  dy/dx = sigmoid(-x) = 1 - sigmoid(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return -np.logaddexp(0, -x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * dual.sigmoid(-x)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), finite for any x (never the log of a sigmoid that rounded to 0);  f'(x) = sigmoid(-x)."""
    return _LogSigmoid.apply(input)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, else a x, with a = weight: one slope for all, or one per channel (dimension 1 of the input);
    f'(x) = 1 for x > 0, else a;  df/da = 0 for x > 0, else x (summed over what shares a)."""
    count = as_tensor_argument(weight, "weight", "prelu")._data.size
    if count == 1:
        slope = weight.reshape(())
    else:
        channels = input.shape[1] if input.ndim > 1 else 1
        if input.ndim == 0 or channels != count:
            raise ValueError(f"prelu: the weight has {count} slopes but the input (shape {input.shape}) has "
                             f"{channels} channels in dimension 1 (give one slope, or one per channel)")
        slope = weight.reshape((count,) + (1,) * (input.ndim - 2))
    return where(input._data > 0, input, slope * input)


def _implicit_dim(name: str, ndim: int) -> int:
    dim = 0 if ndim in (0, 1, 3) else 1
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
                  f"dim=X as an argument.", stacklevel=3)
    return dim


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """e^x_i / sum_j e^x_j along dim (the maximum is subtracted first);  dL/dx = y (g - sum_j g_j y_j)."""
    return _softmax(input, _implicit_dim("softmax", input.ndim) if dim is None else dim)


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """x_i - log sum_j e^x_j along dim, computed stably;  dL/dx = g - softmax(x) sum_j g_j."""
    return _log_softmax(input, _implicit_dim("log_softmax", input.ndim) if dim is None else dim)
