"""Naming dimensions: `dim` arguments (an int, a tuple, or None) as sorted tuples of non-negative axes."""
from __future__ import annotations

from typing import Any

import numpy as np


def normalize_dims(dim: Any, ndim: int, op: str) -> tuple[int, ...]:
    """`dim` as a sorted tuple of non-negative axes; None means every axis. A 0-d tensor accepts 0 and -1."""
    if dim is None:
        return tuple(range(ndim))
    if type(dim) is int and 0 <= dim < ndim:  # the common case, quickly
        return (dim,)
    dims = (dim,) if _is_int(dim) else tuple(dim) if isinstance(dim, (tuple, list, range)) else None
    if dims is None or not all(map(_is_int, dims)):
        raise TypeError(f"{op}: dim must be an int or a tuple of ints, got {dim!r}")
    size = max(ndim, 1)
    for d in dims:
        if not -size <= d < size:
            raise IndexError(f"{op}: dimension out of range (expected to be in range of [{-size}, {size - 1}], "
                             f"but got {d})")
    axes = tuple(sorted({d % size for d in dims})) if ndim else ()
    if len(axes) != len(dims) and ndim:
        raise RuntimeError(f"{op}: dim {dims} names a dimension twice")
    return axes


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
