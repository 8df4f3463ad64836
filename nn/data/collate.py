"""Collation: a list of samples becomes one batch, stacking each field along a new first dimension."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import autograd
from autograd import Tensor


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, field by field, as PyTorch's default_collate does.

    By the type of the first sample:
      Tensor, numpy array    stacked into a Tensor (batch, *sample_shape), dtype kept (float64 arrays stay float64)
      numpy scalar           a 1-d Tensor of its dtype (np.float64 -> float64, np.float32 -> float32)
      Python float           a 1-d float64 Tensor, as in PyTorch (its float32 default is for torch.tensor, not
                             for collation): return np.float32 values from the dataset for a float32 batch
      Python int / bool      a 1-d int64 / bool Tensor
      str                    the list of strings, unchanged
      dict                   a dict of batches, key by key
      namedtuple             the same namedtuple of per-field batches
      tuple or list          a list of per-field batches (x, y = batch unpacks it)
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
    if isinstance(first, (np.number, np.bool_)):
        return Tensor(np.asarray(samples))
    if isinstance(first, float):
        return Tensor(np.asarray(samples, dtype=np.float64))
    if isinstance(first, (bool, int)):
        return autograd.tensor(list(samples))
    if isinstance(first, str):
        return list(samples)
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        if len({len(s) for s in samples}) > 1:
            raise RuntimeError("default_collate: each sample in the batch should have the same number of fields")
        fields = [default_collate(list(field)) for field in zip(*samples)]
        return type(first)(*fields) if hasattr(first, "_fields") else fields
    raise TypeError(f"default_collate: can not collate samples of type {type(first).__name__}")
