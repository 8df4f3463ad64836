"""dtypes: reading a dtype argument, and the default floating-point dtype.

The default dtype is what Python floats and the float factories become: float32 at start, as in PyTorch;
`set_default_dtype(float64)` makes `tensor(1.5)`, `zeros(3)`, `rand(3)`, `arange(0.5, 2)` ... float64.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_DEFAULT_CHOICES = (np.dtype(np.float32), np.dtype(np.float64))


class _Default:
    dtype = _DEFAULT_CHOICES[0]  # one setting for the whole process (not per thread), as in PyTorch


_default = _Default()


def as_dtype(dtype: Any, who: str) -> np.dtype:
    """`dtype` (a numpy dtype, a numpy scalar type, or float / int / bool) as a numpy dtype that tensors can
    hold: boolean, integer or floating point. `who` names the function in the error."""
    if dtype is None or isinstance(dtype, str):  # np.dtype(None) is float64; strings are devices in to()
        raise TypeError(f"{who}: {dtype!r} is not a dtype (use float32, float64, int64, int32, bool_, ...)")
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{who}: {dtype!r} is not a dtype (use float32, float64, int64, int32, bool_, ...)") from None
    if result.kind not in "biuf":
        raise TypeError(f"{who}: dtype {result} is not supported (tensors are boolean, integer or floating point)")
    return result


def get_default_dtype() -> np.dtype:
    """The dtype that Python floats and the float factories (zeros, ones, rand, randn, arange, ...) produce."""
    return _default.dtype


def set_default_dtype(dtype: Any) -> None:
    """Make `dtype` the default floating-point dtype: float32 or float64 (anything else is a TypeError)."""
    chosen = as_dtype(dtype, "set_default_dtype")
    if chosen not in _DEFAULT_CHOICES:
        raise TypeError(f"set_default_dtype: only floating-point types are supported as the default type, "
                        f"float32 or float64 (got {chosen})")
    _default.dtype = chosen
