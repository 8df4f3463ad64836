"""Collation: a list of samples becomes one batch, stacking each field along a new first dimension."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

import autograd
from autograd import Tensor


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, field by field, as PyTorch's default_collate.

    Tensors (and numpy arrays) are stacked into a Tensor of shape (batch, *sample_shape); Python numbers
    become a 1-d Tensor (ints int64, floats float32); tuples, lists and dicts are collated per field.
    """
    if not samples:
        raise ValueError("default_collate: no samples to collate")
    first = samples[0]
    if isinstance(first, Tensor):
        shapes = {s.shape for s in samples}
        if len(shapes) > 1:
            raise RuntimeError(f"default_collate: samples of different shapes cannot be stacked: {sorted(shapes)}")
        return autograd.stack(list(samples))
    if isinstance(first, np.ndarray):
        return default_collate([Tensor(s) for s in samples])
    if isinstance(first, (bool, int, float, np.number, np.bool_)):
        return autograd.tensor(list(samples))
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        if len({len(s) for s in samples}) > 1:
            raise RuntimeError("default_collate: samples have different numbers of fields")
        return type(first)(default_collate(list(field)) for field in zip(*samples))
    raise TypeError(f"default_collate: can not collate samples of type {type(first).__name__}")
