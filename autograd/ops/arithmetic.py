"""Elementwise ops of two operands, with numpy broadcasting; a Python number on either side is welcome.

Each backward sums its gradients back to the operands' shapes (`sum_to_shape`), so broadcasting is free.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from autograd.function import Function
from autograd.ops.broadcast import sum_to_shape
from autograd.tensor import DEFAULT_DTYPE, Tensor, scalar_array


def coerce(a: Any, b: Any, op: str) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors of one dtype, following PyTorch's promotion (a number takes the tensor's dtype)."""
    if not isinstance(a, Tensor):
        if not isinstance(b, Tensor):
            raise TypeError(f"{op}: expected a Tensor operand, got {type(a).__name__} and {type(b).__name__}")
        a = Tensor._wrap(scalar_array(a, b))
    elif not isinstance(b, Tensor):
        b = Tensor._wrap(scalar_array(b, a))
    if a.data.dtype is not b.data.dtype and a.data.dtype != b.data.dtype:
        dtype = result_dtype((a, b))
        if np.result_type(a.data, b.data) != dtype:  # numpy alone would promote otherwise: cast explicitly
            a, b = a.to(dtype), b.to(dtype)
    return a, b


def broadcasting(op: type[Function], a: Any, b: Any, name: str) -> Tensor:
    """`op` applied to the coerced operands; shapes that do not broadcast get an error naming both."""
    a, b = coerce(a, b, name)
    try:
        return op.apply(a, b)
    except ValueError:
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise ValueError(f"{name}: shapes {a.shape} and {b.shape} can not be broadcast together") from None
        raise


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integer < floating


def result_dtype(tensors: Sequence[Tensor]) -> np.dtype:
    """PyTorch's type promotion: the highest category (bool < integer < floating) wins, and within it tensors
    with dimensions decide before 0-d ones: a 0-d float64 does not widen a float32 vector, but it does make an
    integer vector float64 (a Python float, already a 0-d array of the default dtype, makes it float32)."""
    top = max(_CATEGORY[t.dtype.kind] for t in tensors)
    leading = [t for t in tensors if _CATEGORY[t.dtype.kind] == top]
    dimensioned = [t.dtype for t in leading if t.ndim > 0]
    return np.result_type(*(dimensioned or [t.dtype for t in leading]))


class Add(Function):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.shapes = a.shape, b.shape
        return a.data + b.data

    @staticmethod
    def backward(ctx, grad: Tensor):
        da, db = ctx.needs_input_grad
        return (sum_to_shape(grad, ctx.shapes[0]) if da else None,
                sum_to_shape(grad, ctx.shapes[1]) if db else None)


class Sub(Function):
    """z = a - b;  dz/da = 1, dz/db = -1."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.shapes = a.shape, b.shape
        return a.data - b.data

    @staticmethod
    def backward(ctx, grad: Tensor):
        da, db = ctx.needs_input_grad
        return (sum_to_shape(grad, ctx.shapes[0]) if da else None,
                sum_to_shape(-grad, ctx.shapes[1]) if db else None)


class Mul(Function):
    """z = a * b;  dz/da = b, dz/db = a."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a.data * b.data

    @staticmethod
    def backward(ctx, grad: Tensor):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return (sum_to_shape(grad * b, a.shape) if da else None,
                sum_to_shape(grad * a, b.shape) if db else None)


class Div(Function):
    """z = a / b;  dz/da = 1/b, dz/db = -a/b^2."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        out = a.data / b.data
        return out if a.data.dtype.kind == "f" else out.astype(DEFAULT_DTYPE)  # integers divide to float32

    @staticmethod
    def backward(ctx, grad: Tensor):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return (sum_to_shape(grad / b, a.shape) if da else None,
                sum_to_shape(-grad * a / (b * b), b.shape) if db else None)


class Pow(Function):
    """z = a ** b;  dz/da = b a^(b-1) (0 at a = b = 0), dz/db = a^b log(a) (0 where a = 0 and b >= 0), as PyTorch."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.power(a.data, b.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore"):  # the values the masks set aside may be inf or nan
            if da:
                slope = b * a ** (b - 1)
                zero_power = (b.data == 0) & (a.data == 0)
                if np.any(zero_power):  # 0 * 0^-1 would be nan; d(x^0)/dx = 0
                    slope = where(zero_power, 0.0, slope)
                grad_a = sum_to_shape(grad * slope, a.shape)
            if db:
                masked = (a.data == 0) & (b.data >= 0)
                log_a = where(masked, 1.0, a).log() if np.any(masked) else a.log()  # log 1 = 0 where masked
                grad_b = sum_to_shape(grad * a ** b * log_a, b.shape)
        return grad_a, grad_b


class Maximum(Function):
    """z = max(a, b);  the gradient goes to the larger operand, split evenly where they are equal."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.maximum(a.data, b.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return _select_backward(ctx, grad, np.greater)


class Minimum(Function):
    """z = min(a, b);  the gradient goes to the smaller operand, split evenly where they are equal."""

    @staticmethod
    def forward(ctx, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.minimum(a.data, b.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return _select_backward(ctx, grad, np.less)


def _select_backward(ctx: Function, grad: Tensor, wins: np.ufunc):
    a, b = ctx.saved_tensors
    share = np.where(wins(a.data, b.data), 1.0, np.where(a.data == b.data, 0.5, 0.0)).astype(grad.dtype)
    return sum_to_shape(grad * share, a.shape), sum_to_shape(grad * (1 - share), b.shape)


class Where(Function):
    """z = condition ? a : b;  the gradient goes to a where the condition holds, to b elsewhere."""

    @staticmethod
    def forward(ctx, condition: np.ndarray, a: Tensor, b: Tensor) -> np.ndarray:
        ctx.condition = condition
        ctx.shapes = a.shape, b.shape
        return np.where(condition, a.data, b.data)

    @staticmethod
    def backward(ctx, grad: Tensor):
        zero = np.zeros((), dtype=grad.dtype)
        da, db = ctx.needs_input_grad[1:]
        return (None,
                sum_to_shape(where(ctx.condition, grad, zero), ctx.shapes[0]) if da else None,
                sum_to_shape(where(ctx.condition, zero, grad), ctx.shapes[1]) if db else None)


class Cast(Function):
    """y = x as another dtype;  dy/dx = 1 (the gradient is cast back)."""

    @staticmethod
    def forward(ctx, x: Tensor, dtype: np.dtype) -> np.ndarray:
        ctx.dtype = x.dtype
        return x.data.astype(dtype)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return cast(grad, ctx.dtype), None


class Fill(Function):
    """y = value everywhere, x's shape;  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x: Tensor, value: np.ndarray) -> np.ndarray:
        return np.full_like(x.data, value)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return grad * 0, None


def add(a: Any, b: Any) -> Tensor:
    return broadcasting(Add, a, b, "add")


def sub(a: Any, b: Any) -> Tensor:
    return broadcasting(Sub, a, b, "sub")


def mul(a: Any, b: Any) -> Tensor:
    return broadcasting(Mul, a, b, "mul")


def div(a: Any, b: Any) -> Tensor:
    return broadcasting(Div, a, b, "div")


def pow(a: Any, b: Any) -> Tensor:
    return broadcasting(Pow, a, b, "pow")


def maximum(a: Any, b: Any) -> Tensor:
    return broadcasting(Maximum, a, b, "maximum")


def minimum(a: Any, b: Any) -> Tensor:
    return broadcasting(Minimum, a, b, "minimum")


def neg(x: Tensor) -> Tensor:
    """-x (dy/dx = -1)."""
    return Neg.apply(x)


class Neg(Function):
    """y = -x;  dy/dx = -1."""

    @staticmethod
    def forward(ctx, x: Tensor) -> np.ndarray:
        return -x.data

    @staticmethod
    def backward(ctx, grad: Tensor):
        return (-grad,)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Elements of a where `condition` is true, of b elsewhere (all three broadcast together)."""
    cond = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}")
    a, b = coerce(a, b, "where") if isinstance(a, Tensor) or isinstance(b, Tensor) else (Tensor(a), Tensor(b))
    try:
        np.broadcast_shapes(cond.shape, a.shape, b.shape)
    except ValueError:
        raise ValueError(f"where: condition {cond.shape}, a {a.shape} and b {b.shape} can not be broadcast "
                         "together") from None
    return Where.apply(cond, a, b)


def cast(x: Tensor, dtype: Any) -> Tensor:
    return Cast.apply(x, np.dtype(dtype))


def fill(x: Tensor, value: Any) -> Tensor:
    return Fill.apply(x, scalar_array(value, x))
