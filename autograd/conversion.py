"""The arguments of `Tensor.to`, in PyTorch's call forms (the device is always the CPU):

    x.to(float64)    x.to("cpu")    x.to(device("cpu"), float64)    x.to(other_tensor)
    x.to(dtype=float64, device="cpu", copy=True, non_blocking=False)
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.devices import check_device, device
from autograd.dtypes import as_dtype


def to_arguments(*args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
                 copy: bool = False) -> tuple[np.dtype | None, bool]:
    """The dtype asked for (None: keep it) and whether to copy. A device other than the CPU is an error;
    `non_blocking` has no effect. (Tensor.to turns a tensor argument into its dtype before calling this.)"""
    args = list(args)
    asked_dtype, asked_device = None, None
    if args and _is_device(args[0]):
        asked_device = args.pop(0)
        if args and not isinstance(args[0], bool):
            asked_dtype = args.pop(0)
    elif args:
        asked_dtype = args.pop(0)
    if len(args) > 2:
        raise TypeError(f"to: too many positional arguments, {tuple(args)!r} after the dtype and device")
    if len(args) == 2:  # after the dtype or device, PyTorch's positional order is non_blocking, copy
        copy = args[1]
    if dtype is not None and asked_dtype is not None:
        raise TypeError("to: the dtype is given twice (as an argument and as dtype=)")
    if device is not None and asked_device is not None:
        raise TypeError("to: the device is given twice (as an argument and as device=)")
    check_device(device if asked_device is None else asked_device, "to")
    wanted = dtype if asked_dtype is None else asked_dtype
    return (None if wanted is None else as_dtype(wanted, "to")), bool(copy)


def _is_device(value: Any) -> bool:
    return isinstance(value, (str, device)) or (isinstance(value, int) and not isinstance(value, bool))
