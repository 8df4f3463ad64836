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


_TYPE_NAMES = {np.dtype(t): f"torch.{name}Tensor" for t, name in (
    (np.float32, "Float"), (np.float64, "Double"), (np.float16, "Half"), (np.int64, "Long"), (np.int32, "Int"),
    (np.int16, "Short"), (np.int8, "Char"), (np.uint8, "Byte"), (np.bool_, "Bool"))}


def type_name(dtype: np.dtype) -> str:
    """PyTorch's name of the tensor type of a dtype, as `x.type()` gives it ('torch.FloatTensor', ...)."""
    return _TYPE_NAMES[np.dtype(dtype)]


def from_type_name(name: Any, who: str) -> np.dtype:
    """The dtype that `x.type(...)` asks for: a dtype, or one of PyTorch's type names ('torch.LongTensor')."""
    if isinstance(name, str):
        for dtype, known in _TYPE_NAMES.items():
            if name == known:
                return dtype
        raise ValueError(f"{who}: invalid type {name!r} (use a dtype, or a name such as 'torch.FloatTensor'; "
                         "tensors are on the CPU)")
    return as_dtype(name, who)


def require_floating(x: Any, op: str) -> None:
    """Refuse an integer or boolean input to an op defined on floating point only (softmax, log_softmax, the
    class losses), naming the op and the dtype, as PyTorch does (its kernels are "not implemented for 'Long'")."""
    if x.dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for dtype {x.dtype} (it needs a floating-point input; "
                                  "convert it with .float())")


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
