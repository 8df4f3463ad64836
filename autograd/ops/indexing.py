"""x[index] with numpy's rules: ints, slices with steps, None, Ellipsis, integer arrays and boolean masks.

The adjoint of taking elements is adding the gradient back into a zero tensor at the same places; with
integer arrays an element taken twice gets both gradients (np.add.at accumulates repeated indices).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.dims import normalize_dims
from autograd.tensor_class import Tensor, scalar_array


def _plain(item: Any) -> Any:
    """One index item as numpy takes it: Tensors and lists become arrays."""
    if isinstance(item, Tensor):
        return item._data
    if isinstance(item, list):
        return np.asarray(item)
    return item


def index_tensors(index: Any) -> tuple[Tensor, ...]:
    """The Tensors in an index: passed to the op as inputs and saved, so that backward refuses them if they
    were changed in place since forward (as every saved tensor)."""
    return tuple(item for item in (index if isinstance(index, tuple) else (index,)) if isinstance(item, Tensor))


def _nones(saved: tuple) -> tuple[None, ...]:
    """No gradient for each of the saved index tensors (integer or boolean: never differentiable)."""
    return (None,) * len(saved)


def normalize_index(index: Any) -> tuple[Any, bool]:
    """The index as a tuple numpy accepts, and whether it is advanced (contains an array)."""
    items = []
    for item in map(_plain, index if isinstance(index, tuple) else (index,)):
        if isinstance(item, np.ndarray) and item.dtype == np.bool_ and item.ndim > 0:
            items.extend(np.nonzero(item))  # a mask is the integer arrays of its true places
        else:
            items.append(item)
    return tuple(items), any(isinstance(i, np.ndarray) for i in items)


class GetItem(Function, on_arrays=True):
    """y = x[index];  dL/dx = zeros of x's shape with dL/dy added at the indexed places.

    The index's Tensors come after it as inputs of their own (`index_tensors`), saved for their version check."""

    @staticmethod
    def forward(ctx, x, index: tuple, advanced: bool, *index_arrays):
        ctx.shape, ctx.index, ctx.advanced = x.shape, index, advanced
        ctx.save_for_backward(*index_arrays)
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        # None for the index and `advanced`, and one per saved index Tensor (reading them checks they are unchanged)
        return dual.index_add(grad, ctx.shape, ctx.index, ctx.advanced), None, None, *_nones(ctx.saved_tensors)


class IndexAdd(Function, on_arrays=True):
    """y = zeros(shape) with g added at y[index];  dL/dg = dL/dy[index]."""

    @staticmethod
    def forward(ctx, g, shape: tuple, index: tuple, advanced: bool):
        ctx.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if advanced:
            np.add.at(out, index, g)  # repeated places add up
        else:
            out[index] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None, None


class IndexPut(Function, on_arrays=True):
    """y = x with y[index] = v;  dL/dx = dL/dy with zeros at the index, dL/dv = dL/dy[index].

    The index's Tensors come after it as inputs of their own, saved for their version check."""

    @staticmethod
    def forward(ctx, x, v, index: tuple, *index_arrays):
        ctx.index = index
        ctx.save_for_backward(*index_arrays)
        out = x.copy()
        out[index] = v
        overwritten = np.zeros(x.shape, dtype=bool)
        overwritten[index] = True
        ctx.overwritten = overwritten
        return out

    @staticmethod
    def backward(ctx, grad):
        # None for the index, and one per saved index Tensor (reading them checks they are unchanged)
        return dual.where(ctx.overwritten, 0, grad), grad[ctx.index], None, *_nones(ctx.saved_tensors)


def index_put(x: Tensor, index: Any, value: Any) -> Tensor:
    """A copy of x with x[index] = value (value broadcast to the indexed shape)."""
    items, _ = normalize_index(index)
    value = value if isinstance(value, Tensor) else Tensor._wrap(scalar_array(value, x))
    try:
        return IndexPut.apply(x, value, items, *index_tensors(index))
    except (IndexError, ValueError) as error:
        raise type(error)(f"x[{index!r}] = value: value of shape {value.shape} does not fit a tensor of shape "
                          f"{x.shape}: {error}") from None


def check_index_range(index: np.ndarray, size: int, what: str, where: str) -> None:
    """Every entry of an integer index in [0, size): a negative one does not count from the end (as in PyTorch's
    gather and embedding), and one out of range is an IndexError naming it, `what` it is and `where`."""
    if index.size and (np.minimum.reduce(index, None) < 0 or np.maximum.reduce(index, None) >= size):
        bad = index[(index < 0) | (index >= size)].flat[0]
        raise IndexError(f"{what} {bad} is out of range for {where}")


def _full_index(index: np.ndarray, dim: int) -> tuple:
    """The numpy index that `index` means along `dim` (every other dimension taken position by position)."""
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


class Gather(Function, on_arrays=True):
    """y = x gathered along dim (for dim 1: y[i, j] = x[i, index[i, j]]);  dL/dx = dL/dy added back at the index."""

    @staticmethod
    def forward(ctx, x, dim: int, index: np.ndarray):
        ctx.shape, ctx.index = x.shape, _full_index(index, dim)
        ctx.save_for_backward(index)
        return x[ctx.index]

    @staticmethod
    def backward(ctx, grad):
        # None for dim, and for the saved index (reading it checks that it is unchanged)
        return dual.index_add(grad, ctx.shape, ctx.index, True), None, *_nones(ctx.saved_tensors)


def gather(x: Tensor, dim: int, index: Any) -> Tensor:
    """Values of x along `dim` at `index` (an integer tensor with x's number of dimensions), as torch.gather."""
    given, index = index, np.asarray(index._data if isinstance(index, Tensor) else index)
    if index.dtype.kind not in "iu" or index.ndim != x.ndim:
        raise ValueError(f"gather: index must be an integer tensor with {x.ndim} dimensions like the input "
                         f"{x.shape}, got dtype {index.dtype} and shape {index.shape}")
    (axis,) = normalize_dims(dim, x.ndim, "gather")
    check_index_range(index, x.shape[axis], "gather: index", f"dimension {dim} with size {x.shape[axis]}")
    try:
        return Gather.apply(x, axis, given if isinstance(given, Tensor) else index)
    except IndexError as error:
        raise IndexError(f"gather: index {index.shape} does not fit the input {x.shape} along dim {dim}: "
                         f"{error}") from None


def getitem(x: Tensor, index: Any) -> Tensor:
    items, advanced = normalize_index(index)
    try:
        return GetItem.apply(x, items, advanced, *index_tensors(index))
    except IndexError as error:
        raise IndexError(f"index {index!r} does not fit a tensor of shape {x.shape}: {error}") from None
