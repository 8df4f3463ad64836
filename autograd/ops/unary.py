"""Elementwise ops of one operand. Each docstring gives y = f(x) and dy/dx; backward multiplies by it."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_int, as_number, broadcast_shapes
from autograd.ops.arithmetic import where
from autograd.tensor_class import Tensor, scalar_array


class Abs(Function, on_arrays=True):
    """y = |x|;  dy/dx = sign(x) (0 at 0 and at NaN, as PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.sign = (x > 0).astype(x.dtype) - (x < 0)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.sign


class Exp(Function, on_arrays=True):
    """y = e^x;  dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Log(Function, on_arrays=True):
    """y = ln x;  dy/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function, on_arrays=True):
    """y = sqrt(x);  dy/dx = 1 / (2 y)."""

    @staticmethod
    def forward(ctx, x):
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad / (2 * y)


class Sin(Function, on_arrays=True):
    """y = sin x;  dy/dx = cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * dual.cos(x)


class Cos(Function, on_arrays=True):
    """y = cos x;  dy/dx = -sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * dual.sin(x)


class Tanh(Function, on_arrays=True):
    """y = tanh x;  dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class Sigmoid(Function, on_arrays=True):
    """y = 1 / (1 + e^-x), computed as 1 / (1 + e^-|x|) for x >= 0 and e^-|x| / (1 + e^-|x|) below, so that no
    exp overflows;  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx, x):
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1 - y)


_ZEROS: dict[np.dtype, Any] = {}  # dtype -> its 0
_ZERO_ARRAYS: dict[np.dtype, np.ndarray] = {}  # dtype -> read-only zeros, as many as the largest ReLU input yet
_ZERO_ARRAY_SIZE = 2048  # from this size on, numpy's maximum is faster against an array of zeros than a scalar


def _zeros_like(x: np.ndarray) -> np.ndarray:
    """Zeros of x's shape and dtype without making them: a view of one shared read-only array (numpy's maximum
    vectorises only two arrays: against a scalar 0 it is 3x slower on 128 x 256 float32)."""
    zeros = _ZERO_ARRAYS.get(x.dtype)
    if zeros is None or zeros.size < x.size:
        zeros = np.zeros(x.size, x.dtype)  # (large ones are mapped to the system's page of zeros: no memory)
        zeros.flags.writeable = False
        _ZERO_ARRAYS[x.dtype] = zeros
    return zeros[:x.size].reshape(x.shape)


class Relu(Function, on_arrays=True):
    """y = max(x, 0);  dy/dx = 1 where y != 0 (x > 0, or x NaN: y is NaN and the gradient passes, as PyTorch),
    else 0 (0 at x = 0, as PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        zero = _ZEROS.get(x.dtype)  # a scalar of x's dtype: numpy's cheapest operand for small arrays
        if zero is None:
            if x.dtype.kind == "b":
                raise RuntimeError("relu: Boolean inputs not supported (as in PyTorch)")
            zero = _ZEROS[x.dtype] = x.dtype.type(0)
        y = np.maximum(x, zero if x.size < _ZERO_ARRAY_SIZE else _zeros_like(x))
        ctx.passes = np.not_equal(y, zero)
        return y

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.passes


class Log1p(Function, on_arrays=True):
    """y = ln(1 + x), exact for tiny x;  dy/dx = 1 / (1 + x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 + x)


class Expm1(Function, on_arrays=True):
    """y = e^x - 1, exact for tiny x;  dy/dx = e^x = y + 1."""

    @staticmethod
    def forward(ctx, x):
        y = np.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y + 1)


class PiecewiseConstant(Function, on_arrays=True):
    """y = f(x) for a step function f (sign, floor, ceil, round, trunc);  dy/dx = 0 (everywhere but at the
    jumps, where PyTorch takes 0 too)."""

    @staticmethod
    def forward(ctx, x, fn, args: tuple):
        return fn(x, *args)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None, None


class Clamp(Function, on_arrays=True):
    """y = min(max(x, low), high) (either bound may be None);  dy/dx = 1 where low <= x <= high, else 0;
    dy/dlow = 1 where x < low;  dy/dhigh = 1 where x > high (as PyTorch: no gradient at all where x or a bound
    is NaN, since every comparison is false there)."""

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x, low, high)
        return np.clip(x, low, high).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, low, high = (None if t is None else dual.values(t) for t in ctx.saved_tensors)
        inside = True if low is None else x >= low
        if high is not None:
            inside = inside & (x <= high)
        return (grad * inside, None if low is None else grad * (x < low),
                None if high is None else grad * (x > high))


def abs(x: Tensor) -> Tensor:
    if x._data.dtype.kind == "b":
        raise NotImplementedError("abs: not implemented for dtype bool (as in PyTorch)")
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
    low, high = (b if b is None or isinstance(b, Tensor) else Tensor._wrap(scalar_array(as_number(b, name, "clamp"), x))
                 for b, name in ((min, "min"), (max, "max")))
    broadcast_shapes("clamp", x.shape, *(b.shape for b in (low, high) if b is not None))
    return Clamp.apply(x, low, high)


def _floating(x: Tensor) -> Tensor:
    """x itself if floating point, else x as the default dtype (integers have no logarithm of their own dtype)."""
    return x if x.dtype.kind == "f" else x.to(get_default_dtype())


def log10(x: Tensor) -> Tensor:
    """log_10 x = ln x / ln 10;  dy/dx = 1 / (x ln 10)."""
    return log(_floating(x)) * (1 / np.log(10))


def log2(x: Tensor) -> Tensor:
    """log_2 x = ln x / ln 2;  dy/dx = 1 / (x ln 2)."""
    return log(_floating(x)) * (1 / np.log(2))


def log1p(x: Tensor) -> Tensor:
    return Log1p.apply(_floating(x))


def expm1(x: Tensor) -> Tensor:
    return Expm1.apply(_floating(x))


def rsqrt(x: Tensor) -> Tensor:
    """1 / sqrt(x) = x^(-1/2);  dy/dx = -x^(-3/2) / 2."""
    return _floating(x) ** -0.5


def reciprocal(x: Tensor) -> Tensor:
    """1 / x;  dy/dx = -1 / x^2."""
    return 1 / _floating(x)


def square(x: Tensor) -> Tensor:
    """x^2;  dy/dx = 2x."""
    return x * x


def _step(x: Tensor, fn: Any, *args: Any) -> Tensor:
    if x.dtype.kind == "f":
        return PiecewiseConstant.apply(x, fn, args)
    # integers and booleans are their own floor, ceil, round and trunc (and booleans their own sign)
    return Tensor._wrap(np.sign(x._data) if fn is np.sign and x.dtype.kind != "b" else x._data.copy())


def sign(x: Tensor) -> Tensor:
    """-1, 0 or 1 as x is negative, zero or positive;  gradient 0."""
    return _step(x, np.sign)


def floor(x: Tensor) -> Tensor:
    """The largest integer <= x;  gradient 0."""
    return _step(x, np.floor)


def ceil(x: Tensor) -> Tensor:
    """The smallest integer >= x;  gradient 0."""
    return _step(x, np.ceil)


def trunc(x: Tensor) -> Tensor:
    """x rounded towards zero;  gradient 0."""
    return _step(x, np.trunc)


def round(x: Tensor, *, decimals: int = 0) -> Tensor:
    """x rounded to `decimals` decimal places, halves to the even neighbour (round(2.5) = 2), as PyTorch;
    gradient 0."""
    return _step(x, np.round, as_int(decimals, "decimals", "round"))


def nan_to_num(x: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
    """x with NaN, +inf and -inf replaced by `nan`, `posinf` and `neginf` (the infinities by default by the
    dtype's largest and smallest finite values);  dy/dx = 1 where x is finite, 0 where it was replaced."""
    for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
        if value is not None:
            as_number(value, name, "nan_to_num")
    if x.dtype.kind != "f":
        return Tensor._wrap(x._data.copy())
    replaced = np.nan_to_num(x._data, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)
    return where(np.isfinite(x._data), x, replaced)
