"""Losses that measure how far an input is from a target: mse_loss, l1_loss, huber_loss, smooth_l1_loss,
and cosine_embedding_loss. The formulas are per element (d = input - target); `reduction` then takes the
mean (default), the sum, or keeps them ('none').

Input and target must have the same shape: a broadcast (say (N, 1) against (N,)) is an error here, not the
silent (N, N) that PyTorch only warns about.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.ops.arguments import as_number, as_tensor_argument
from autograd.ops.arithmetic import where
from autograd.tensor_class import Tensor
from nn.reduction import check_reduction, reduce


def _difference(input: Tensor, target: Any, op: str) -> Tensor:
    as_tensor_argument(input, "input", op)
    target = target if isinstance(target, Tensor) else Tensor(target, dtype=input.dtype)
    if target.shape != input.shape:
        raise ValueError(f"{op}: target shape {target.shape} does not match input shape {input.shape}")
    return input - target


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """(x - y)^2;  d/dx = 2 (x - y)."""
    check_reduction(reduction)
    d = _difference(input, target, "mse_loss")
    return reduce(d * d, reduction)


def l1_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """|x - y|;  d/dx = sign(x - y) (0 where x = y)."""
    check_reduction(reduction)
    return reduce(_difference(input, target, "l1_loss").abs(), reduction)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta);  d/dx = d, else delta sign(d)."""
    check_reduction(reduction)
    if not as_number(delta, "delta", "huber_loss") > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    d = _difference(input, target, "huber_loss")
    size = d.abs()
    return reduce(where(size._data < delta, 0.5 * d * d, delta * (size - 0.5 * delta)), reduction)


def smooth_l1_loss(input: Tensor, target: Any, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (= huber_loss / beta; l1_loss when beta = 0);
    d/dx = d / beta, else sign(d)."""
    check_reduction(reduction)
    if not as_number(beta, "beta", "smooth_l1_loss") >= 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    d = _difference(input, target, "smooth_l1_loss")
    size = d.abs()
    if beta == 0:
        return reduce(size, reduction)
    return reduce(where(size._data < beta, 0.5 * d * d / beta, size - 0.5 * beta), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0.0,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, per sample (rows of (N, D)),

    with cos = x1.x2 / sqrt((|x1|^2 + 1e-12) (|x2|^2 + 1e-12)) (the 1e-12 keeps zero vectors finite).
    """
    check_reduction(reduction)
    op = "cosine_embedding_loss"
    as_tensor_argument(input1, "input1", op)
    as_tensor_argument(input2, "input2", op)
    margin = as_number(margin, "margin", op)
    if input1.shape != input2.shape or input1.ndim not in (1, 2):
        raise ValueError(f"cosine_embedding_loss: input1 and input2 must have one shape (N, D) or (D,), got "
                         f"{input1.shape} and {input2.shape}")
    labels = np.asarray(target._data if isinstance(target, Tensor) else target)
    if labels.shape != input1.shape[:-1]:
        raise ValueError(f"cosine_embedding_loss: target must have shape {input1.shape[:-1]} (one label per "
                         f"pair), got {labels.shape}")
    if not np.all((labels == 1) | (labels == -1)):
        raise ValueError(f"cosine_embedding_loss: target labels must be 1 (similar) or -1 (dissimilar), got "
                         f"{np.unique(labels).tolist()}")
    dot = (input1 * input2).sum(-1)
    norms = (((input1 * input1).sum(-1) + 1e-12) * ((input2 * input2).sum(-1) + 1e-12)).sqrt()
    cos = dot / norms
    return reduce(where(labels == 1, 1 - cos, (cos - margin).clamp(min=0)), reduction)
