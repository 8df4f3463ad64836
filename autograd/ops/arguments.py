"""Checking the arguments of ops before anything is computed: integers, sizes, flags, numbers, Tensors and shapes
that broadcast, each refused with an error naming the op and the argument (never one from deep inside numpy)."""
from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import numpy as np

from autograd.tensor_class import Tensor


def as_int(value: Any, name: str, op: str) -> int:
    """An integer argument (a Python or numpy int, or a one-element integer Tensor); bools and floats are refused,
    as PyTorch refuses them."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}: {name} must be an int, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an int, got {type(value).__name__} {value!r}") from None


def as_ints(values: Any, name: str, op: str) -> tuple[int, ...]:
    """Sizes given as separate ints, f(2, 3), or as one sequence, f((2, 3)), as PyTorch accepts both."""
    if len(values) == 1 and isinstance(values[0], (tuple, list)):
        values = values[0]
    elif not isinstance(values, (tuple, list)):
        raise TypeError(f"{op}: {name} must be a sequence of ints, got {type(values).__name__} {values!r}")
    return tuple(as_int(v, name, op) for v in values)


def as_flag(value: Any, name: str, op: str) -> bool:
    """A boolean argument (keepdim, descending, ...): a bool (or a numpy bool)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)


def as_number(value: Any, name: str, op: str) -> int | float:
    """A real number (a Python or numpy number, or a one-element Tensor), as a Python number."""
    if isinstance(value, Tensor):
        if value._data.size != 1:
            raise TypeError(f"{op}: {name} must be a number, got a tensor of shape {value.shape}")
        value = value._data.reshape(()).item()
    if not isinstance(value, (numbers.Real, np.bool_)):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__} {value!r}")
    return value.item() if isinstance(value, np.generic) else value


def as_tensor_argument(value: Any, name: str, op: str) -> Tensor:
    """An argument that must be a Tensor (the `other` of view_as, type_as, ...)."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(value).__name__}")
    return value


def broadcast_shapes(op: str, *shapes: tuple) -> tuple[int, ...]:
    """The shape that `shapes` broadcast to, or PyTorch's error naming the first dimension that does not fit."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        pass
    for first, second in zip(shapes, shapes[1:]):
        for back in range(1, min(len(first), len(second)) + 1):
            a, b = first[-back], second[-back]
            if a != b and a != 1 and b != 1:
                raise RuntimeError(f"{op}: the size of tensor a ({a}) must match the size of tensor b ({b}) at "
                                   f"non-singleton dimension {max(len(first), len(second)) - back} (shapes "
                                   f"{', '.join(map(str, shapes))})")
    raise RuntimeError(f"{op}: shapes {', '.join(map(str, shapes))} can not be broadcast together")


def as_optional_tensor(value: Any, name: str, op: str) -> Tensor | None:
    """An argument that must be a Tensor or None (a bias, a weight, a running statistic, ...)."""
    if value is None or type(value) is Tensor or isinstance(value, Tensor):
        return value
    raise TypeError(f"{op}: {name} must be a Tensor or None, got {type(value).__name__}")


def as_probability(value: Any, name: str, op: str) -> float:
    """A probability (dropout's p, ...): a real number in [0, 1] (a ValueError outside it, NaN included)."""
    p = as_number(value, name, op)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{op}: {name} must be a probability between 0 and 1, but got {p}")
    return float(p)


def check_allocatable(shape: tuple[int, ...], op: str) -> tuple[int, ...]:
    """A shape whose elements numpy can count (its product, and each size, fits an index): else a RuntimeError
    naming the op, before numpy's "Maximum allowed size (or dimension) exceeded" (an empty shape counts too)."""
    limit = np.iinfo(np.intp).max // 8
    if math.prod(shape) > limit or any(n > limit for n in shape):
        raise RuntimeError(f"{op}: a tensor of shape {shape} is too large to allocate")
    return shape
