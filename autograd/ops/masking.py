"""masked_fill: a value put where a boolean mask is true. The gradient goes to the input where the mask is
false, and to the value (summed) where it is true."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.arguments import as_number
from autograd.ops.arithmetic import where
from autograd.tensor_class import Tensor


def masked_fill(x: Tensor, mask: Any, value: Any) -> Tensor:
    """x with `value` (a number or a 0-d tensor, taken in x's dtype) where `mask` is true; mask broadcasts."""
    condition = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if condition.dtype != np.bool_:
        raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with dtype {condition.dtype}")
    try:
        np.broadcast_shapes(condition.shape, x.shape)
    except ValueError:
        raise RuntimeError(f"masked_fill: the mask of shape {condition.shape} does not broadcast with the input's "
                           f"shape {x.shape}") from None
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"masked_fill only supports a 0-dimensional value tensor, but got a tensor of shape "
                               f"{value.shape}")
        value = value if value.dtype == x.dtype else value.to(x.dtype)
    else:
        value = np.asarray(as_number(value, "value", "masked_fill")).astype(x.dtype)
    return where(mask if isinstance(mask, Tensor) else condition, value, x)  # a Tensor mask is saved, checked
