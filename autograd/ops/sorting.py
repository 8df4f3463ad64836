"""Sorting along a dimension: sort, argsort and topk. The order is found on the array, outside the graph; the
values are gathered at it, so that each gradient goes back to the element it came from.

The order is always stable (equal elements keep their order), which PyTorch's stable=False allows too; NaN is
sorted above every number, as in PyTorch.
"""
from __future__ import annotations

import numpy as np

from autograd.ops.aliases import numpy_names
from autograd.ops.arguments import as_int
from autograd.ops.dims import normalize_dims
from autograd.ops.indexing import gather
from autograd.ops.reduction import ValuesIndices
from autograd.tensor_class import Tensor


def _order(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sorting indices along `axis`. Descending: the ascending order of the reversed array, reversed
    back, so that equal elements still come in their original order."""
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    n = data.shape[axis]
    reversed_order = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return np.flip(n - 1 - reversed_order, axis)


def _sorted(x: Tensor, dim: int, descending: bool, k: int | None, op: str) -> ValuesIndices:
    axes = normalize_dims(dim, x.ndim, op)
    if not axes:  # a 0-d tensor is sorted already
        count = 1 if k is None else k
        return ValuesIndices(x if count else x.reshape(1)[:0],
                             Tensor._wrap(np.zeros(() if count else (0,), dtype=np.int64)))
    (axis,) = axes
    order = _order(x._data, axis, descending)
    if k is not None:
        order = order[(slice(None),) * axis + (slice(0, k),)]
    order = order.astype(np.int64)
    return ValuesIndices(gather(x, axis, order), Tensor._wrap(order))


@numpy_names
def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> ValuesIndices:
    """(values, indices): x sorted along `dim`, and where each value was;  the gradient of values goes back to
    the element it came from."""
    return _sorted(x, dim, descending, None, "sort")


@numpy_names
def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort x along `dim` (int64, outside the graph)."""
    return _sorted(x.detach(), dim, descending, None, "argsort").indices


@numpy_names
def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
    """(values, indices) of the k largest (or, largest=False, smallest) elements along `dim`, largest first
    (smallest first); the gradient goes to the chosen elements. With sorted=False the order is the same."""
    size = x.shape[normalize_dims(as_int(dim, "dim", "topk"), x.ndim, "topk")[0]] if x.ndim else 1
    k = as_int(k, "k", "topk")
    if not 0 <= k <= size:
        raise RuntimeError(f"topk: k ({k}) is out of range for a dimension of size {size} (tensor of shape "
                           f"{x.shape}, dim {dim})")
    return _sorted(x, dim, largest, k, "topk")
