"""Matrix multiplication, with numpy's rules: 1-D operands are vectors, batch dimensions broadcast; and PyTorch's
narrower products, which check their shapes: mm (matrices), bmm (batches of matrices, equal batch), mv, dot,
outer, and t (the transpose of a matrix)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_tensor_argument
from autograd.ops.arithmetic import coerce, mul
from autograd.ops.out_argument import with_out
from autograd.ops.shape import transpose
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
        to_a, to_b = ctx.parents  # None where no gradient is wanted
        return (dual.matmul_like(grad, dual.matrix_transpose(b), a) if to_a is not None else None,
                dual.matmul_like(dual.matrix_transpose(a), grad, b) if to_b is not None else None)


@with_out
def matmul(a: Any, b: Any) -> Tensor:
    """a @ b. A 1-D a is a row vector and a 1-D b a column vector; the added dimension is removed after."""
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        for name, operand in (("input", a), ("other", b)):
            as_tensor_argument(operand, name, "matmul")
    x, y = a._data, b._data
    if x.dtype is y.dtype and x.ndim == 2 and y.ndim == 2 and x.shape[1] == y.shape[0]:  # the usual call, first
        return MatMul.apply(a, b)
    if x.dtype is not y.dtype:
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



def _same_dtype(op: str, a: Tensor, b: Tensor) -> None:
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"{op}: expected two Tensors, got {type(a).__name__} and {type(b).__name__}")
    if a.dtype != b.dtype:
        raise RuntimeError(f"{op}: expected both operands to have the same dtype, but got {a.dtype} and {b.dtype}")


def _dims(op: str, names: tuple[str, str], tensors: tuple[Tensor, Tensor], ndims: tuple[int, int]) -> None:
    for name, t, n in zip(names, tensors, ndims):
        if t.ndim != n:
            raise RuntimeError(f"{op}: {name} must be a {n}-D tensor, but got a {t.ndim}-D tensor of shape {t.shape}")


@with_out
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """The product of two matrices, (n, k) @ (k, m) -> (n, m);  dL/dA = G B^T, dL/dB = A^T G."""
    _same_dtype("mm", input, mat2)
    _dims("mm", ("input", "mat2"), (input, mat2), (2, 2))
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mm: mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x{input.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    return MatMul.apply(input, mat2)


@with_out
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched products of matrices, (b, n, k) @ (b, k, m) -> (b, n, m): the batch sizes must be equal."""
    _same_dtype("bmm", input, mat2)
    _dims("bmm", ("input", "mat2"), (input, mat2), (3, 3))
    if mat2.shape[:2] != (input.shape[0], input.shape[2]):
        raise RuntimeError(f"bmm: expected size for first two dimensions of mat2 to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]")
    return MatMul.apply(input, mat2)


@with_out
def mv(input: Tensor, vec: Tensor) -> Tensor:
    """A matrix times a vector, (n, k) @ (k,) -> (n,)."""
    _same_dtype("mv", input, vec)
    _dims("mv", ("input", "vec"), (input, vec), (2, 1))
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"mv: size mismatch, got matrix {input.shape[0]}x{input.shape[1]} and vector "
                           f"{vec.shape[0]}")
    return matmul(input, vec)


@with_out
def dot(input: Tensor, other: Tensor) -> Tensor:
    """The inner product of two vectors of one size, sum_i a_i b_i (0-d)."""
    _same_dtype("dot", input, other)
    _dims("dot", ("input", "other"), (input, other), (1, 1))
    if input.shape != other.shape:
        raise RuntimeError(f"dot: inconsistent tensor size, expected tensors of the same number of elements, "
                           f"but got {input.shape[0]} and {other.shape[0]}")
    return matmul(input, other)


@with_out
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two vectors, y_ij = a_i b_j;  dL/da_i = sum_j G_ij b_j, dL/db_j = sum_i G_ij a_i."""
    for name, v in (("input", input), ("vec2", vec2)):
        if not isinstance(v, Tensor) or v.ndim != 1:
            raise RuntimeError(f"outer: expected {name} to be a 1-D tensor, got "
                               f"{v.shape if isinstance(v, Tensor) else type(v).__name__}")
    return mul(input.unsqueeze(1), vec2.unsqueeze(0))


def t(input: Tensor) -> Tensor:
    """The transpose of a matrix; a tensor of 0 or 1 dimension is returned as it is."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but the input has {input.ndim} "
                           f"(shape {input.shape}); use transpose(dim0, dim1) or mT")
    return transpose(input, 0, 1) if input.ndim == 2 else input
