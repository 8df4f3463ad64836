"""Drawing categories from weights: `multinomial`, as PyTorch's torch.multinomial."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from autograd.random import numpy_rng
from autograd.tensor_class import Tensor


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Indices of categories drawn with probability proportional to their weights (int64).

    `input` is a row of non-negative weights (1-d, giving num_samples indices) or one row per distribution
    (2-d, giving a row of num_samples indices for each); weights need not sum to 1. With replacement every draw
    sees all the weights (inverse of the cumulative sum); without it, a drawn category leaves the row, so no
    index repeats and num_samples may not exceed the number of non-zero weights. Draws without replacement rank
    the categories by w_i / E_i with E_i ~ Exp(1): the largest is category i with probability w_i / sum(w), and
    by memorylessness the rest follow in the order of successive draws without replacement.
    """
    weights, num_samples = _checked_weights(input, num_samples, replacement)
    rows, categories = weights.shape
    rng = numpy_rng(generator, "multinomial")
    if replacement:
        cumulative = np.cumsum(weights, axis=1)
        targets = rng.random((rows, num_samples)) * cumulative[:, -1:]
        last_nonzero = categories - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)  # rounding can not go past it
        drawn = np.stack([np.searchsorted(c, t, side="right") for c, t in zip(cumulative, targets)])
        drawn = np.minimum(drawn, last_nonzero[:, None])
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = weights / rng.standard_exponential(weights.shape)  # zero weights give 0 (or nan): ranked last
        drawn = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    return Tensor._wrap(drawn.astype(np.int64).reshape(input.shape[:-1] + (num_samples,)))


def _checked_weights(input: Tensor, num_samples: Any, replacement: bool) -> tuple[np.ndarray, int]:
    """The weights as float64 rows and num_samples as an int, once the rows are known to be distributions that
    num_samples can be drawn from."""
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial: expected a Tensor of weights, got {type(input).__name__}")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: weights must be 1-d or 2-d, got shape {input.shape}")
    if input.dtype.kind != "f":
        raise RuntimeError(f"multinomial: only supports floating-point dtypes for the weights, got {input.dtype}")
    try:
        num_samples = operator.index(num_samples)
    except TypeError:
        raise TypeError(f"multinomial: num_samples must be an integer, got {num_samples!r}") from None
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample num_samples <= 0 samples (got {num_samples})")
    weights = input._data.astype(np.float64).reshape(-1, input.shape[-1])
    if weights.shape[1] == 0:
        raise RuntimeError("multinomial: the weights have no categories (the last dimension is empty)")
    if not replacement and num_samples > weights.shape[1]:
        raise RuntimeError(f"multinomial: cannot sample {num_samples} samples without replacement from "
                           f"{weights.shape[1]} categories")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise RuntimeError("multinomial: probability tensor contains either inf, nan or element < 0")
    if np.any(weights.sum(axis=1) <= 0):
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement:
        nonzero = np.count_nonzero(weights, axis=1)
        if np.any(nonzero < num_samples):
            raise RuntimeError(f"multinomial: invalid multinomial distribution (with replacement=False, not enough "
                               f"categories of non-zero weight to sample {num_samples}: a row has only "
                               f"{nonzero.min()})")
    return weights, num_samples
