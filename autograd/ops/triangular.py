"""The lower and upper triangles of matrices (of the last two dimensions): tril and triu. The rest is set to
zero, so the gradient passes inside the triangle and is zero outside it."""
from __future__ import annotations

import numpy as np

from autograd.ops.arguments import as_int
from autograd.ops.arithmetic import where
from autograd.tensor_class import Tensor


def _matrices(x: Tensor, op: str) -> tuple[int, int]:
    if x.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions, got shape {x.shape}")
    return x.shape[-2], x.shape[-1]


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    """x[..., i, j] where j <= i + diagonal, else 0 (diagonal > 0 keeps diagonals above the main one)."""
    rows, columns = _matrices(x, "tril")
    return where(np.tri(rows, columns, k=as_int(diagonal, "diagonal", "tril"), dtype=bool), x, 0)


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    """x[..., i, j] where j >= i + diagonal, else 0 (diagonal < 0 keeps diagonals below the main one)."""
    rows, columns = _matrices(x, "triu")
    return where(~np.tri(rows, columns, k=as_int(diagonal, "diagonal", "triu") - 1, dtype=bool), x, 0)
