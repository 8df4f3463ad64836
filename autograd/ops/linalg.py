"""Matrix multiplication, with numpy's rules: 1-D operands are vectors, batch dimensions broadcast."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arithmetic import coerce
from autograd.tensor_class import Tensor


class MatMul(Function, on_arrays=True):
    """C = A @ B for operands of 2 or more dimensions;  dL/dA = G @ B^T, dL/dB = A^T @ G (the engine sums
    them over broadcast batch dimensions)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        da, db = ctx.needs_input_grad
        return (grad @ dual.matrix_transpose(b) if da else None,
                dual.matrix_transpose(a) @ grad if db else None)


def matmul(a: Any, b: Any) -> Tensor:
    """a @ b. A 1-D a is a row vector and a 1-D b a column vector; the added dimension is removed after."""
    a, b = coerce(a, b, "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"matmul: both operands need at least one dimension, got shapes {a.shape} and {b.shape}")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise RuntimeError(f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
                           f"({a.shape[-1]} columns against {b.shape[-2 if b.ndim > 1 else 0]} rows)")
    if a.ndim == 2 and b.ndim == 2:
        return MatMul.apply(a, b)
    if a.ndim == 1 and b.ndim == 1:
        return MatMul.apply(a.unsqueeze(0), b.unsqueeze(1)).reshape(())
    if a.ndim == 1:
        return MatMul.apply(a.unsqueeze(0), b).squeeze(-2)
    if b.ndim == 1:
        return MatMul.apply(a, b.unsqueeze(1)).squeeze(-1)
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError(f"matmul: batch dimensions of {a.shape} and {b.shape} can not be broadcast") from None
    return MatMul.apply(a, b)

