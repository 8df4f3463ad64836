"""What derivative formulas use beyond operators: functions that work on numpy arrays and on Tensors alike.

A built-in op (`class Op(Function, on_arrays=True)`) writes its derivative once; the engine runs it on arrays
when no graph of the backward pass is wanted, and on Tensors (so that it is recorded) when it is. Operators,
`.reshape`, `.sum(axis=, keepdims=)`, `.mean(axis=, keepdims=)` and indexing read the same on both forms;
these functions are the rest. On Tensors each is the differentiable op of the same name.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd import ops
from autograd.ops.broadcast import broadcast_to
from autograd.tensor_class import Tensor

Either = Any  # a numpy array or a Tensor

__all__ = ["apply", "broadcast_to", "cat", "cos", "einsum", "exp", "index_add", "log", "matrix_transpose", "maximum",
           "permute", "sigmoid", "sin", "tanh", "where"]


def values(x: Any) -> np.ndarray:
    """The numpy values of either form: for the constants of a formula (masks), which are not differentiated."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def apply(op: type, x: Either, *args: Any) -> Either:
    """An op (on_arrays) on either form: applied, and so recorded, to a Tensor; its forward alone on an array."""
    return op.apply(x, *args) if isinstance(x, Tensor) else op.forward(op(), x, *args)


def exp(x: Either) -> Either:
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def log(x: Either) -> Either:
    return x.log() if isinstance(x, Tensor) else np.log(x)


def sin(x: Either) -> Either:
    return x.sin() if isinstance(x, Tensor) else np.sin(x)


def cos(x: Either) -> Either:
    return x.cos() if isinstance(x, Tensor) else np.cos(x)


def tanh(x: Either) -> Either:
    return x.tanh() if isinstance(x, Tensor) else np.tanh(x)


def cat(parts: list, axis: int) -> Either:
    """The parts joined along `axis`: a Tensor (recorded) when one of them is a Tensor."""
    if any(isinstance(p, Tensor) for p in parts):
        return ops.joining.cat(parts, axis)
    return np.concatenate(parts, axis=axis)


def sigmoid(x: Either) -> Either:
    """The overflow-free sigmoid of ops.unary, on either form."""
    return apply(ops.unary.Sigmoid, x)


def where(condition: np.ndarray, a: Any, b: Any) -> Either:
    """a where condition holds, else b (numbers welcome); a Tensor when a or b is one."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return ops.arithmetic.where(condition, a, b)
    return np.where(condition, a, b)


def maximum(a: Either, b: Any) -> Either:
    return ops.arithmetic.maximum(a, b) if isinstance(a, Tensor) else np.maximum(a, b)


def permute(x: Either, axes: tuple) -> Either:
    return x.permute(*axes) if isinstance(x, Tensor) else x.transpose(axes)


def einsum(equation: str, *operands: Either) -> Either:
    """numpy's einsum (no temporary array for a sum of products) on arrays; the differentiable einsum on Tensors."""
    if isinstance(operands[0], Tensor):
        return ops.einsum.einsum(equation, *operands)
    return np.einsum(equation, *operands)


def matrix_transpose(x: Either) -> Either:
    """The last two dimensions swapped (each matrix of a batch transposed)."""
    return x.transpose(-1, -2) if isinstance(x, Tensor) else x.swapaxes(-1, -2)


def matmul_like(a: Either, b: Either, like: Any) -> Either:
    """a @ b, laid out in memory as the matrix `like`: when `like` is a transposed view (as `w.T` is), the
    product is computed transposed, (b^T a^T)^T, so that the gradient reaching `w` is contiguous, as w is."""
    if type(like) is np.ndarray and like.ndim == a.ndim == b.ndim == 2:
        flags = like.flags  # (made anew at each access)
        if flags.f_contiguous and not flags.c_contiguous:
            return (b.T @ a.T).T
    return a @ b


def index_add(grad: Either, shape: tuple, index: tuple, advanced: bool) -> Either:
    """zeros(shape) with grad added at [index] (repeated places of an advanced index add up)."""
    return apply(ops.indexing.IndexAdd, grad, shape, index, advanced)
