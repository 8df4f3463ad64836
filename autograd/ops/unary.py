"""Elementwise ops of one operand. Each docstring gives y = f(x) and dy/dx; backward multiplies by it."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.broadcast import sum_to_shape
from autograd.tensor import Tensor, scalar_array


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
    """y = 1 / (1 + e^-x), computed as 1 / (1 + e^-|x|) for x >= 0 and e^-|x| / (1 + e^-|x|) below, so that no
    exp overflows;  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.save_output()
        e = np.exp(-np.abs(x.data))
        return np.where(x.data >= 0, 1 / (1 + e), e / (1 + e))

    @staticmethod
    def backward(ctx, grad: Tensor):
        y = ctx.output
        return (grad * y * (1 - y),)


class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        ctx.positive = x.data > 0
        return np.maximum(x.data, x.data.dtype.type(0))

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (grad * ctx.positive.astype(grad.dtype),)

    @staticmethod
    def array_backward(ctx, grad: np.ndarray):
        return (grad * ctx.positive,)


class Clamp(Function):
    """y = min(max(x, low), high) (either bound may be None);  dy/dx = 1 where low <= x <= high, else 0;
    dy/dlow = 1 where x < low;  dy/dhigh = 1 where x > high (as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor, low: Tensor | None, high: Tensor | None) -> np.ndarray:
        lo, hi = (None if b is None else b.data for b in (low, high))
        out = np.clip(x.data, lo, hi)
        ctx.shapes = x.shape, None if low is None else low.shape, None if high is None else high.shape
        ctx.below = np.zeros(out.shape, bool) if lo is None else np.broadcast_to(x.data < lo, out.shape)
        ctx.above = np.zeros(out.shape, bool) if hi is None else np.broadcast_to(x.data > hi, out.shape)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad: Tensor):
        dx, dlow, dhigh = ctx.needs_input_grad
        inside = ~(ctx.below | ctx.above)
        return (sum_to_shape(grad * inside.astype(grad.dtype), ctx.shapes[0]) if dx else None,
                sum_to_shape(grad * ctx.below.astype(grad.dtype), ctx.shapes[1]) if dlow else None,
                sum_to_shape(grad * ctx.above.astype(grad.dtype), ctx.shapes[2]) if dhigh else None)


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
    """x limited to [min, max] (either bound may be None; numbers or Tensors, which are differentiable too)."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    low, high = (b if b is None or isinstance(b, Tensor) else Tensor._wrap(scalar_array(b, x)) for b in (min, max))
    return Clamp.apply(x, low, high)
