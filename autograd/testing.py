"""Hypothesis strategies for testing ops: tensors of a dtype and shape, and tuples of broadcastable tensors.

    @given(x=tensors(), pair=broadcastable_tensors(2))
    def test_my_op(x, pair): assert gradcheck(my_op, (x,))
"""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.tensor_class import Tensor


def floats(low: float = -10.0, high: float = 10.0, dtype: Any = np.float64) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], exactly representable in `dtype`."""
    width = np.dtype(dtype).itemsize * 8
    return st.floats(low, high, allow_nan=False, allow_infinity=False, width=width)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy:
    """Array shapes, 0-d included by default."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


@st.composite
def tensors(draw: Any, dtype: Any = np.float64, shape: Any = None, elements: Any = None,
            requires_grad: bool = True) -> Tensor:
    """A leaf Tensor of `dtype` whose shape is drawn from `shape` (a strategy or a tuple)."""
    shape = shapes() if shape is None else shape
    data = draw(hnp.arrays(dtype, shape, elements=elements if elements is not None else floats(dtype=dtype)))
    return Tensor(data, requires_grad=requires_grad and np.dtype(dtype).kind == "f")


@st.composite
def broadcastable_tensors(draw: Any, num: int = 2, dtype: Any = np.float64, elements: Any = None,
                          min_dims: int = 0, max_dims: int = 4, max_side: int = 4,
                          requires_grad: bool = True) -> tuple[Tensor, ...]:
    """`num` leaf Tensors whose shapes broadcast together (drawn by mutually_broadcastable_shapes)."""
    drawn = draw(hnp.mutually_broadcastable_shapes(num_shapes=num, min_dims=min_dims, max_dims=max_dims,
                                                   max_side=max_side))
    return tuple(draw(tensors(dtype, s, elements, requires_grad)) for s in drawn.input_shapes)
