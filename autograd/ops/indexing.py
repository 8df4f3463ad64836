"""x[index] with numpy's rules: ints, slices with steps, None, Ellipsis, integer arrays and boolean masks.

The adjoint of taking elements is adding the gradient back into a zero tensor at the same places; with
integer arrays an element taken twice gets both gradients (np.add.at accumulates repeated indices).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.tensor import Tensor


def _plain(item: Any) -> Any:
    """One index item as numpy takes it: Tensors and lists become arrays."""
    if isinstance(item, Tensor):
        return item.data
    if isinstance(item, list):
        return np.asarray(item)
    return item


def normalize_index(index: Any) -> tuple[Any, bool]:
    """The index as a tuple numpy accepts, and whether it is advanced (contains an array)."""
    items = []
    for item in map(_plain, index if isinstance(index, tuple) else (index,)):
        if isinstance(item, np.ndarray) and item.dtype == np.bool_ and item.ndim > 0:
            items.extend(np.nonzero(item))  # a mask is the integer arrays of its true places
        else:
            items.append(item)
    return tuple(items), any(isinstance(i, np.ndarray) for i in items)


class GetItem(Function):
    """y = x[index];  dL/dx = zeros of x's shape with dL/dy added at the indexed places."""

    @staticmethod
    def forward(ctx, x: Tensor, index: tuple, advanced: bool) -> np.ndarray:
        ctx.shape, ctx.index, ctx.advanced = x.shape, index, advanced
        return x.data[index]

    @staticmethod
    def backward(ctx, grad: Tensor):
        return IndexAdd.apply(grad, ctx.shape, ctx.index, ctx.advanced), None, None


class IndexAdd(Function):
    """y = zeros(shape) with g added at x[index];  dL/dg = dL/dy[index]."""

    @staticmethod
    def forward(ctx, g: Tensor, shape: tuple, index: tuple, advanced: bool) -> np.ndarray:
        ctx.index, ctx.advanced = index, advanced
        out = np.zeros(shape, dtype=g.dtype)
        if advanced:
            np.add.at(out, index, g.data)
        else:
            out[index] = g.data
        return out

    @staticmethod
    def backward(ctx, grad: Tensor):
        return GetItem.apply(grad, ctx.index, ctx.advanced), None, None, None


def getitem(x: Tensor, index: Any) -> Tensor:
    items, advanced = normalize_index(index)
    try:
        return GetItem.apply(x, items, advanced)
    except IndexError as error:
        raise IndexError(f"index {index!r} does not fit a tensor of shape {x.shape}: {error}") from None
