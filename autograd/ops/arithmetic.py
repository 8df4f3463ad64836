"""Elementwise ops of two operands, with numpy broadcasting; a Python number on either side is welcome.

The engine sums each gradient back to its operand's shape, so broadcasting costs these ops nothing.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_number, broadcast_shapes
from autograd.tensor_class import Tensor, scalar_array


def coerce(a: Any, b: Any, op: str) -> tuple[Any, Any]:
    """Both operands in one dtype, following PyTorch's promotion (a number takes the tensor's dtype).

    A number that takes the tensor's dtype is passed on as a 0-d array (a constant, outside the graph).
    """
    if not isinstance(a, Tensor):
        if not isinstance(b, Tensor):
            raise TypeError(f"{op}: expected a Tensor operand, got {type(a).__name__} and {type(b).__name__}")
        a = scalar_array(a, b)
        if a.dtype is b._data.dtype:
            return a, b
        a = Tensor._wrap(a)
    elif not isinstance(b, Tensor):
        b = scalar_array(b, a)
        if b.dtype is a._data.dtype:
            return a, b
        b = Tensor._wrap(b)
    if a._data.dtype is not b._data.dtype and a._data.dtype != b._data.dtype:
        dtype = result_dtype((a, b))
        if np.result_type(a._data, b._data) != dtype:  # numpy alone would promote otherwise: cast explicitly
            a, b = a.to(dtype), b.to(dtype)
    return a, b


def broadcasting(op: type[Function], a: Any, b: Any, name: str) -> Tensor:
    """`op` applied to the coerced operands; shapes that do not broadcast get an error naming both."""
    if type(b) is float and isinstance(a, Tensor) and a._data.dtype.kind == "f":  # x * 0.5, the usual case, first
        b = np.array(b, a._data.dtype)
    else:
        a, b = coerce(a, b, name)
    try:
        return op.apply(a, b)
    except ValueError:  # numpy's broadcast error becomes PyTorch's, naming the op and the dimension
        broadcast_shapes(name, np.shape(a), np.shape(b))
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


class Add(Function, on_arrays=True):
    """z = a + b;  dz/da = 1, dz/db = 1."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function, on_arrays=True):
    """z = a - b;  dz/da = 1, dz/db = -1."""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.parents[1] is not None else None  # (parents: None where no gradient is wanted)


class Mul(Function, on_arrays=True):
    """z = a * b;  dz/da = b, dz/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a, to_b = ctx.parents  # None where no gradient is wanted (cheaper than the property needs_input_grad)
        return grad * b if to_a is not None else None, grad * a if to_b is not None else None


class Div(Function, on_arrays=True):
    """z = a / b;  dz/da = 1/b, dz/db = -a/b^2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        out = a / b
        return out if np.result_type(a, b).kind == "f" else out.astype(get_default_dtype())  # integers: floats

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        to_a, to_b = ctx.parents  # None where no gradient is wanted
        return grad / b if to_a is not None else None, -grad * a / (b * b) if to_b is not None else None


class Pow(Function, on_arrays=True):
    """z = a ** b;  dz/da = b a^(b-1) (0 at a = b = 0), dz/db = a^b log(a) (0 where a = 0 and b >= 0), as PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.power(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        a_values, b_values = dual.values(a), dual.values(b)
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore"):  # the values the masks set aside may be inf or nan
            if da:
                zero_power = (b_values == 0) & (a_values == 0)  # d(x^0)/dx = 0, where b a^(b-1) is 0 * inf
                grad_a = grad * dual.where(zero_power, 0.0, b * a ** (b - 1))
            if db:
                zero_base = (a_values == 0) & (b_values >= 0)  # a^b log a -> 0 as a -> 0
                grad_b = grad * a ** b * dual.log(dual.where(zero_base, 1.0, a))
        return grad_a, grad_b


class Maximum(Function, on_arrays=True):
    """z = max(a, b);  the gradient goes to the larger operand, split evenly where they are equal, and to both
    where either is NaN (z is NaN there), as PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = (dual.values(t) for t in ctx.saved_tensors)
        share_a, share_b = _shares(a < b, a > b, a == b, dual.values(grad).dtype)
        return grad * share_a, grad * share_b


class Minimum(Function, on_arrays=True):
    """z = min(a, b);  the gradient goes to the smaller operand, split evenly where they are equal, and to both
    where either is NaN (z is NaN there), as PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = (dual.values(t) for t in ctx.saved_tensors)
        share_a, share_b = _shares(a > b, a < b, a == b, dual.values(grad).dtype)
        return grad * share_a, grad * share_b


def _shares(a_loses: np.ndarray, b_loses: np.ndarray, ties: np.ndarray, dtype: np.dtype
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each operand's share of the gradient: 0 where it loses, 1/2 on a tie, else 1 (so 1 for both where a NaN
    makes every comparison false)."""
    tie = np.where(ties, 0.5, 1.0)
    return np.where(a_loses, 0.0, tie).astype(dtype), np.where(b_loses, 0.0, tie).astype(dtype)


class Where(Function, on_arrays=True):
    """z = condition ? a : b;  the gradient goes to a where the condition holds, to b elsewhere.

    The condition is saved (a boolean Tensor changed in place before backward is refused, as any saved tensor)."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved_tensors
        return None, dual.where(condition, grad, 0), dual.where(condition, 0, grad)


class Cast(Function, on_arrays=True):
    """y = x as another dtype;  dy/dx = 1 (the engine casts the gradient back to x's dtype)."""

    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Clone(Function, on_arrays=True):
    """y = a copy of x (its own memory);  dy/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Fill(Function, on_arrays=True):
    """y = value everywhere, x's shape;  dy/dx = 0."""

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class Neg(Function, on_arrays=True):
    """y = -x;  dy/dx = -1."""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


def scaled(b: Any, alpha: Any, op: str) -> Any:
    """alpha * b, the second operand of add and sub (b itself when alpha is 1)."""
    if type(alpha) is int and alpha == 1 or as_number(alpha, "alpha", op) == 1:  # the default, checked cheaply first
        return b
    return b * alpha if isinstance(b, Tensor) else as_number(b, "other", op) * alpha


def add(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a + alpha * b."""
    return broadcasting(Add, a, scaled(b, alpha, "add"), "add")


def sub(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
    """a - alpha * b."""
    return broadcasting(Sub, a, scaled(b, alpha, "sub"), "sub")


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
    return Neg.apply(x)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Elements of a where `condition` is true, of b elsewhere (all three broadcast together)."""
    cond = np.asarray(condition._data if isinstance(condition, Tensor) else condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}")
    a, b = coerce(a, b, "where") if isinstance(a, Tensor) or isinstance(b, Tensor) else (Tensor(a), Tensor(b))
    broadcast_shapes("where", cond.shape, np.shape(a), np.shape(b))
    return Where.apply(condition if isinstance(condition, Tensor) else cond, a, b)


def cast(x: Tensor, dtype: Any) -> Tensor:
    return Cast.apply(x, np.dtype(dtype))


def clone(x: Tensor) -> Tensor:
    return Clone.apply(x)


def fill(x: Tensor, value: Any) -> Tensor:
    return Fill.apply(x, scalar_array(value, x))
