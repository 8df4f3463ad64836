"""`Parameter`: a Tensor that a Module learns. Assigning one to a Module attribute registers it."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.tensor_class import Tensor, to_array


class Parameter(Tensor):
    """A leaf Tensor that requires grad by default and is registered by the Module that holds it.

    Its dtype is float32 unless `data` has another floating dtype (float64 data stays float64). A Tensor given
    as `data` is shared, not copied (as in PyTorch); numbers, lists and arrays are copied.
    """

    __slots__ = ()

    def __new__(cls, data: Any = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            array = np.empty(0, dtype=get_default_dtype())
        else:
            array = data._data if isinstance(data, Tensor) else to_array(data)
            if array.dtype.kind != "f":
                array = array.astype(get_default_dtype())
        param = cls._wrap(array)
        param.requires_grad_(requires_grad)
        return param

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        """Everything happens in __new__ (so that Tensor.__init__ does not copy the data again)."""

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
