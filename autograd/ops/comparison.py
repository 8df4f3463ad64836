"""Comparisons and tests of values: eq, ne, lt, le, gt, ge (elementwise, broadcasting), isnan, isinf, isfinite,
isclose, and the Python booleans allclose and equal. Their results are boolean, outside the graph."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.arguments import as_flag, as_number, broadcast_shapes
from autograd.ops.out_argument import with_out
from autograd.tensor_class import Tensor


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    return _tensor(input, "numel")._data.size


def logical_and(input: Tensor, other: Any) -> Tensor:
    return _tensor(input, "logical_and").logical_and(other)


def logical_or(input: Tensor, other: Any) -> Tensor:
    return _tensor(input, "logical_or").logical_or(other)


def logical_not(input: Tensor) -> Tensor:
    return _tensor(input, "logical_not").logical_not()


def _tensor(x: Any, op: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be a Tensor, got {type(x).__name__}")
    return x


@with_out
def eq(input: Tensor, other: Any) -> Tensor:
    """input == other, elementwise."""
    return _tensor(input, "eq") == other


@with_out
def ne(input: Tensor, other: Any) -> Tensor:
    """input != other, elementwise."""
    return _tensor(input, "ne") != other


@with_out
def lt(input: Tensor, other: Any) -> Tensor:
    """input < other, elementwise."""
    return _tensor(input, "lt") < other


@with_out
def le(input: Tensor, other: Any) -> Tensor:
    """input <= other, elementwise."""
    return _tensor(input, "le") <= other


@with_out
def gt(input: Tensor, other: Any) -> Tensor:
    """input > other, elementwise."""
    return _tensor(input, "gt") > other


@with_out
def ge(input: Tensor, other: Any) -> Tensor:
    """input >= other, elementwise."""
    return _tensor(input, "ge") >= other


def isnan(input: Tensor) -> Tensor:
    return Tensor._wrap(np.isnan(_tensor(input, "isnan")._data))


def isinf(input: Tensor) -> Tensor:
    """True at +inf and -inf."""
    return Tensor._wrap(np.isinf(_tensor(input, "isinf")._data))


def isfinite(input: Tensor) -> Tensor:
    """True where neither NaN nor infinite."""
    return Tensor._wrap(np.isfinite(_tensor(input, "isfinite")._data))


def _arrays(input: Tensor, other: Any, op: str) -> tuple[np.ndarray, np.ndarray]:
    a = _tensor(input, op)._data
    b = other._data if isinstance(other, Tensor) else np.asarray(as_number(other, "other", op))
    broadcast_shapes(op, a.shape, b.shape)
    return a, b


def _tolerances(rtol: Any, atol: Any, equal_nan: Any, op: str) -> tuple[float, float, bool]:
    return as_number(rtol, "rtol", op), as_number(atol, "atol", op), as_flag(equal_nan, "equal_nan", op)


def isclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|input - other| <= atol + rtol |other|, elementwise (NaN equal to NaN only with equal_nan)."""
    a, b = _arrays(input, other, "isclose")
    rtol, atol, equal_nan = _tolerances(rtol, atol, equal_nan, "isclose")
    return Tensor._wrap(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Whether isclose holds everywhere."""
    a, b = _arrays(input, other, "allclose")
    rtol, atol, equal_nan = _tolerances(rtol, atol, equal_nan, "allclose")
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape and the same elements."""
    return _tensor(input, "equal").shape == _tensor(other, "equal").shape and bool(
        np.array_equal(input._data, other._data))
