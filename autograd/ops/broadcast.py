"""Broadcasting and its adjoint: expand copies along new or size-1 dimensions, sum_to_shape adds them back."""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.tensor import Tensor, shape_of


def _summed_axes(from_shape: tuple, to_shape: tuple) -> tuple[int, ...]:
    """Axes of `from_shape` that broadcasting to it from `to_shape` created or stretched."""
    lead = len(from_shape) - len(to_shape)
    stretched = tuple(lead + i for i, n in enumerate(to_shape) if n == 1 and from_shape[lead + i] != 1)
    return tuple(range(lead)) + stretched


class SumToShape(Function):
    """y = x summed down to `shape` (the adjoint of broadcasting);  dy/dx: broadcast the gradient back."""

    @staticmethod
    def forward(ctx, x: Tensor, shape: tuple) -> np.ndarray:
        ctx.shape = x.shape
        return x.data.sum(axis=_summed_axes(x.shape, shape)).reshape(shape)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return expand(grad, ctx.shape), None


class Expand(Function):
    """y = x broadcast to `shape` (a read-only view);  dy/dx: sum the gradient back to x's shape."""

    @staticmethod
    def forward(ctx, x: Tensor, shape: tuple) -> np.ndarray:
        ctx.shape = x.shape
        return np.broadcast_to(x.data, shape)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return sum_to_shape(grad, ctx.shape), None


def sum_to_shape(x: Tensor, shape: tuple) -> Tensor:
    """x summed over the dimensions that broadcasting added to `shape`; x itself when the shapes agree."""
    return x if x.shape == shape else SumToShape.apply(x, tuple(shape))


def expand(x: Tensor, *shape) -> Tensor:
    """x broadcast to `shape`; -1 keeps a dimension's size. Errors name both shapes."""
    shape = shape_of(shape)
    lead = len(shape) - x.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the target shape {shape} has fewer dimensions than the tensor's {x.shape}")
    shape = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
    try:
        fits = np.broadcast_shapes(x.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"expand: the tensor's shape {x.shape} can not be expanded to {shape}")
    return x if x.shape == shape else Expand.apply(x, shape)
