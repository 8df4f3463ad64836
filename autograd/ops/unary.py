"""Elementwise ops of one operand. Each docstring gives y = f(x) and dy/dx; backward multiplies by it."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import maximum, minimum
from autograd.tensor import Tensor


class Abs(Function):
    """y = |x|;  dy/dx = sign(x) (0 at 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.sign = np.sign(x.data)
        return np.abs(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (grad * ctx.sign,)


class Exp(Function):
    """y = e^x;  dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_output()
        return np.exp(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (grad * ctx.output,)


class Log(Function):
    """y = ln x;  dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        return (grad / x,)


class Sqrt(Function):
    """y = sqrt(x);  dy/dx = 1 / (2 y)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_output()
        return np.sqrt(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (grad / (2 * ctx.output),)


class Sin(Function):
    """y = sin x;  dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        return (grad * cos(x),)


class Cos(Function):
    """y = cos x;  dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        return (-grad * sin(x),)


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_output()
        return np.tanh(x.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        y = ctx.output
        return (grad * (1 - y * y),)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x), computed as exp(-log(1 + e^-x)) so that no exp overflows;  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_output()
        return np.exp(-np.logaddexp(0, -x.data))

    @staticmethod
    def backward(ctx, grad: Tensor):
        y = ctx.output
        return (grad * y * (1 - y),)


class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.positive = x.data > 0
        return np.maximum(x.data, np.zeros((), x.dtype))

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (grad * ctx.positive.astype(grad.dtype),)


class Clamp(Function):
    """y = min(max(x, low), high);  dy/dx = 1 where low <= x <= high, else 0 (as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor, low: Any, high: Any) -> np.ndarray:
        inside = np.ones(x.shape, dtype=bool)
        if low is not None:
            inside &= x.data >= low
        if high is not None:
            inside &= x.data <= high
        ctx.inside = inside
        return np.clip(x.data, low, high).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return grad * ctx.inside.astype(grad.dtype), None, None


def abs(x: Tensor) -> Tensor:
    return Abs.apply(x)


def exp(x: Tensor) -> Tensor:
    return Exp.apply(x)


def log(x: Tensor) -> Tensor:
    return Log.apply(x)


def sqrt(x: Tensor) -> Tensor:
    return Sqrt.apply(x)


def sin(x: Tensor) -> Tensor:
    return Sin.apply(x)


def cos(x: Tensor) -> Tensor:
    return Cos.apply(x)


def tanh(x: Tensor) -> Tensor:
    return Tanh.apply(x)


def sigmoid(x: Tensor) -> Tensor:
    return Sigmoid.apply(x)


def relu(x: Tensor) -> Tensor:
    return Relu.apply(x)


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """x limited to [min, max] (either bound may be None). Tensor bounds are differentiable too."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        x = x if min is None else maximum(x, min)
        return x if max is None else minimum(x, max)
    return Clamp.apply(x, min, max)
