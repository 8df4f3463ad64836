"""Class-index targets for nll_loss and cross_entropy: checked once, and handed to the loss nodes as one record.

For an input (N, C) (or (C,), or (N, C, d1, ...)) the class dimension is 1 (0 for a 1-d input), and the target
holds one class index per sample: an integer tensor of the input's shape without the class dimension. A target
may be `ignore_index`: that sample adds nothing to the loss, nor to 'mean''s divisor.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd.tensor_class import Tensor


class ClassTargets(NamedTuple):
    """What the loss nodes need of checked targets."""

    positions: tuple  # the index that picks input[i, y_i] (input[i, y_i, j, ...]) for every sample at once
    weights: np.ndarray | None  # w[y_i] per sample, 0 where ignored; None when every sample weighs 1
    ignored: np.ndarray | None  # where the target is ignore_index; None when no target is
    dim: int  # the class dimension
    reduction: str


def class_dim(input: Tensor, op: str) -> int:
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have a class dimension: (C,), (N, C) or (N, C, d1, ...); got a 0-d input")
    return 0 if input.ndim == 1 else 1


def class_weights(weight: Any, classes: int, like: Tensor, op: str) -> np.ndarray | None:
    """The per-class weights as an array of the input's dtype (None when not given), one per class."""
    if weight is None:
        return None
    weights = np.asarray(weight._data if isinstance(weight, Tensor) else weight, dtype=like.dtype)
    if weights.shape != (classes,):
        raise ValueError(f"{op}: weight must have one entry per class, shape ({classes},), got {weights.shape}")
    return weights


def along_class_dim(values: np.ndarray, input: Tensor) -> np.ndarray:
    """A per-class vector shaped to broadcast against input along its class dimension."""
    return values.reshape((-1,) + (1,) * (input.ndim - class_dim(input, "") - 1))


def check_indices(input: Tensor, target: Any, dim: int, ignore_index: int, op: str
                  ) -> tuple[np.ndarray, np.ndarray | None]:
    """The target as an integer array of the input's shape without the class dimension `dim`, every index in
    range or ignore_index; and where it is ignore_index (None where no target is)."""
    indices = np.asarray(target._data if isinstance(target, Tensor) else target)
    classes = input.shape[dim]
    expected = input.shape[:dim] + input.shape[dim + 1:]
    if indices.dtype.kind == "f" and indices.shape == expected:
        raise TypeError(f"{op}: got float class indices (dtype {indices.dtype}); class indices must be an integer "
                        "tensor (use target.long())")
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must hold class indices (an integer dtype) of shape {expected}, got dtype "
                        f"{indices.dtype} and shape {indices.shape}")
    if indices.shape != expected:
        raise ValueError(f"{op}: target shape {indices.shape} does not match input shape {input.shape}: class "
                         f"indices need shape {expected} (the input's shape without its class dimension {dim})")
    in_range = indices.size == 0 or (np.minimum.reduce(indices, None) >= 0
                                     and np.maximum.reduce(indices, None) < classes)
    if in_range and not 0 <= ignore_index < classes:  # the usual case: every class in range, none ignored
        return indices, None
    ignored = indices == ignore_index
    bad = ~ignored & ((indices < 0) | (indices >= classes))
    if bad.any():
        raise IndexError(f"{op}: target {indices[bad].flat[0]} is out of bounds for {classes} classes (class "
                         f"indices go from 0 to {classes - 1}; ignore_index is {ignore_index})")
    return indices, ignored if ignored.any() else None


def class_targets(indices: np.ndarray, ignored: np.ndarray | None, weights: np.ndarray | None, dim: int,
                  reduction: str, dtype: np.dtype) -> ClassTargets:
    """The record of checked targets (`check_indices`) and class weights (`class_weights`)."""
    if ignored is None:
        safe, sample_weights = indices, None if weights is None else weights[indices]
    else:
        safe = np.where(ignored, 0, indices)  # any valid class: its weight is 0
        sample_weights = sample_weights_of(safe, ~ignored, weights, dtype)
    return ClassTargets(_positions(safe, dim), sample_weights, ignored, dim, reduction)


def sample_weights_of(indices: np.ndarray, kept: np.ndarray, weights: np.ndarray | None, dtype: np.dtype
                      ) -> np.ndarray:
    """w[y_i] for every sample (1 without class weights), 0 where `kept` is False; 'mean' divides by their sum."""
    return (kept if weights is None else weights[indices] * kept).astype(dtype)


def _positions(indices: np.ndarray, dim: int) -> tuple:
    """The sample's own position in every dimension but the class dimension `dim`, which gets its target."""
    positions = [np.arange(n).reshape((-1,) + (1,) * (indices.ndim - k - 1)) for k, n in enumerate(indices.shape)]
    return (*positions[:dim], indices, *positions[dim:])
