"""Making tensors: from data (copied, or sharing a numpy array's memory), filled, ranges, and the `*_like` forms.

Every factory takes PyTorch's call forms: sizes as separate numbers or one sequence (`zeros(2, 3)`,
`zeros((2, 3))`, `zeros([2, 3])`, `zeros(size=(2, 3))`) and the keywords `dtype=`, `device=` (the CPU only)
and `requires_grad=`. Float factories make the default dtype (`set_default_dtype`). The random factories are
in `autograd.sampling`.
"""
from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from autograd.devices import check_device
from autograd.dtypes import as_dtype, get_default_dtype
from autograd.ops.arguments import as_number, check_allocatable
from autograd.tensor_class import Tensor, to_array


def size_from(shape: tuple, size: Any, who: str) -> tuple[int, ...]:
    """The size given as separate numbers, f(2, 3), one sequence, f((2, 3)) or f([2, 3]), or f(size=(2, 3)); one
    numpy can count (check_allocatable)."""
    if size is not None:
        if shape:
            raise TypeError(f"{who}: the size is given twice, as {shape} and as size={size}")
        shape = (size,)
    if not shape:
        raise TypeError(f"{who}: missing the size (give it as {who}(2, 3) or {who}((2, 3)))")
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        dims = tuple(operator.index(n) for n in shape)
    except TypeError:
        raise TypeError(f"{who}: the size must be integers, got {shape}") from None
    if any(n < 0 for n in dims):
        raise RuntimeError(f"{who}: trying to create a tensor with a negative dimension: {dims}")
    return check_allocatable(dims, who)


def checked_dtype(dtype: Any, device: Any, requires_grad: bool, who: str, default: Any = None) -> np.dtype:
    """The dtype to make (`default`, else the default dtype, when None), once the device is known to be the CPU
    and requires_grad to fit the dtype: checked before anything is computed or drawn."""
    check_device(device, who)
    if dtype is not None:
        chosen = as_dtype(dtype, who)
    else:
        chosen = get_default_dtype() if default is None else np.dtype(default)
    if requires_grad and chosen.kind != "f":
        raise RuntimeError(f"{who}: only Tensors of floating point dtype can require gradients (asked for {chosen})")
    return chosen


def made(data: np.ndarray, requires_grad: bool) -> Tensor:
    """A new leaf around `data` (no copy; a numpy scalar, as numpy's draws of size () are, becomes a 0-d array)."""
    t = Tensor._wrap(np.asarray(data))
    return t.requires_grad_() if requires_grad else t


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of `data` (numbers, nested lists, arrays or tensors); Python floats
    become the default dtype, Python ints int64, arrays keep their dtype."""
    check_device(device, "tensor")
    return Tensor(data, dtype=None if dtype is None else as_dtype(dtype, "tensor"), requires_grad=requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that SHARES `array`'s memory and dtype: a change to either shows in the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: can't convert an array of dtype {array.dtype}; tensors are boolean, "
                        "integer or floating point")
    return Tensor._wrap(array)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a tensor, without a copy when possible (as PyTorch): a tensor of the asked dtype is returned
    itself, a numpy array of that dtype is shared (as from_numpy); anything else is converted into a new tensor
    (a tensor changing dtype stays in the graph, as with .to(dtype))."""
    check_device(device, "as_tensor")
    dtype = None if dtype is None else as_dtype(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype == data.dtype):
        return from_numpy(data)
    return Tensor(data, dtype=dtype)


def zeros(*shape: Any, size: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, "zeros")
    return made(np.zeros(size_from(shape, size, "zeros"), dtype), requires_grad)


def ones(*shape: Any, size: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, "ones")
    return made(np.ones(size_from(shape, size, "ones"), dtype), requires_grad)


def empty(*shape: Any, size: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor whose values are whatever its new memory held (fill it before reading it)."""
    dtype = checked_dtype(dtype, device, requires_grad, "empty")
    return made(np.empty(size_from(shape, size, "empty"), dtype), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of `size` filled with `fill_value`; its dtype follows the value (a float: the default dtype,
    an int: int64, a bool: bool), as in PyTorch, unless `dtype` is given."""
    number = as_number(fill_value, "fill_value", "full")
    value = to_array(number) if dtype is None else np.asarray(number)
    dtype = checked_dtype(dtype, device, requires_grad, "full", default=value.dtype)
    shape = size_from((size,), None, "full") if isinstance(size, (int, np.integer)) else size_from((), size, "full")
    return made(np.full(shape, value, dtype=dtype), requires_grad)


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, "zeros_like", default=input.dtype)
    return made(np.zeros(input.shape, dtype), requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, "ones_like", default=input.dtype)
    return made(np.ones(input.shape, dtype), requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, "empty_like", default=input.dtype)
    return made(np.empty(input.shape, dtype), requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """A tensor of input's shape and dtype (unless `dtype` is given) filled with `fill_value`."""
    dtype = checked_dtype(dtype, device, requires_grad, "full_like", default=input.dtype)
    return made(np.full(input.shape, as_number(fill_value, "fill_value", "full_like"), dtype), requires_grad)


def arange(start: Any = None, end: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """start, start+step, ... up to end (excluded): arange(end), arange(start, end), arange(start, end, step).

    ceil((end - start) / step) values; int64 when start, end and step are all integers, else the default dtype.
    """
    if end is None:
        start, end = 0, start
    if end is None:
        raise TypeError("arange: missing the end (arange(end), arange(start, end) or arange(start, end, step))")
    if start is None:  # arange(end=5)
        start = 0
    start, end, step = (_number(v, "arange") for v in (start, end, step))
    integral = all(isinstance(v, int) for v in (start, end, step))
    dtype = checked_dtype(dtype, device, requires_grad, "arange", default=np.int64 if integral else None)
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if not all(math.isfinite(v) for v in (start, end, step)):
        raise RuntimeError(f"arange: start, end and step must be finite, got {start}, {end}, {step}")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange: upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    return made(np.arange(start, end, step).astype(dtype), requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end, both included."""
    dtype = checked_dtype(dtype, device, requires_grad, "linspace")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise RuntimeError(f"linspace: number of steps must be a non-negative integer, got {steps!r}")
    return made(np.linspace(_number(start, "linspace"), _number(end, "linspace"), steps).astype(dtype), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """The n x m matrix (n x n when m is omitted) with ones on the diagonal."""
    dtype = checked_dtype(dtype, device, requires_grad, "eye")
    return made(np.eye(*size_from((n, n if m is None else m), None, "eye"), dtype=dtype), requires_grad)


def _number(value: Any, who: str) -> int | float:
    """A Python int or float from a number, a numpy scalar or a one-element tensor."""
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: expected a number, got {value!r}")
    return int(value) if isinstance(value, (int, np.integer)) else float(value)
