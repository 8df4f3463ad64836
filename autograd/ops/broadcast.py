"""Broadcasting and its adjoint: expand copies along new or size-1 dimensions, sum_to_shape adds them back.

The engine sums every gradient back to its input's shape (with `sum_to_shape` when the backward pass is
recorded), so that no op's backward has to undo broadcasting itself.
"""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.arguments import as_ints
from autograd.tensor_class import Tensor


def summed_axes(from_shape: tuple, to_shape: tuple) -> tuple[int, ...] | None:
    """Axes of `from_shape` that broadcasting `to_shape` to it created or stretched (None: it can't)."""
    lead = len(from_shape) - len(to_shape)
    if lead < 0:
        return None
    axes = list(range(lead))  # the new leading axes, then the stretched ones (one loop: this runs for every bias)
    for i, n in enumerate(to_shape, lead):
        if n != from_shape[i]:
            if n != 1:
                return None
            axes.append(i)
    return tuple(axes)


class SumToShape(Function, on_arrays=True):
    """y = x summed down to `shape` (the adjoint of broadcasting);  dy/dx = 1: the gradient broadcasts back."""

    @staticmethod
    def forward(ctx, x: np.ndarray, shape: tuple) -> np.ndarray:
        ctx.shape = x.shape
        return x.sum(axis=summed_axes(x.shape, shape)).reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return broadcast_to(grad, ctx.shape), None


class Expand(Function, on_arrays=True):
    """y = x broadcast to `shape` (a read-only view);  dy/dx = 1 (the engine sums the gradient back)."""

    @staticmethod
    def forward(ctx, x: np.ndarray, shape: tuple) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def broadcast_to(x: Tensor | np.ndarray, shape: tuple) -> Tensor | np.ndarray:
    """x broadcast to `shape`, an array or a Tensor as x is (for derivative formulas, see ops.dual)."""
    return Expand.apply(x, shape) if isinstance(x, Tensor) else np.broadcast_to(x, shape)


def sum_to_shape(x: Tensor, shape: tuple) -> Tensor:
    """x summed over the dimensions that broadcasting added to `shape`; x itself when the shapes agree."""
    return x if x.shape == shape else SumToShape.apply(x, tuple(shape))


def expand(x: Tensor, *shape) -> Tensor:
    """x broadcast to `shape`; -1 keeps a dimension's size. Errors name both shapes."""
    shape = as_ints(shape, "size", "expand")
    lead = len(shape) - x.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the target shape {shape} has fewer dimensions than the tensor's {x.shape}")
    shape = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
    if any(n < 0 for n in shape):
        raise RuntimeError(f"expand: the target shape {shape} has a negative size (only -1, for the dimensions "
                           f"the tensor {x.shape} has, keeps a size)")
    if summed_axes(shape, x.shape) is None:
        raise RuntimeError(f"expand: the tensor's shape {x.shape} can not be expanded to {shape}")
    return x if x.shape == shape else Expand.apply(x, shape)
