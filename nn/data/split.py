"""Splitting a dataset at random: by lengths or fractions, and into train / validation / test."""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from autograd.random import Generator, numpy_rng
from nn.data.dataset import Dataset, Subset


def split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """The sizes of the parts: `lengths` as given if they are counts summing to n, or as fractions summing to 1.

    Fractions give floor(n * f) samples each, and the samples left over go one by one to the first parts
    (PyTorch's rule), so the sizes always sum to n.
    """
    lengths = list(lengths)
    if not lengths or any(x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative and not empty, got {lengths}")
    if all(isinstance(x, (int, np.integer)) for x in lengths):
        if sum(lengths) != n:
            raise ValueError(f"random_split: the lengths {lengths} sum to {sum(lengths)}, "
                             f"not to the dataset's {n} samples")
        return [int(x) for x in lengths]
    if not math.isclose(sum(lengths), 1.0, abs_tol=1e-9):
        raise ValueError(f"random_split: fractions must sum to 1, got {lengths} (sum {sum(lengths)})")
    sizes = [math.floor(n * f) for f in lengths]
    for i in range(n - sum(sizes)):
        sizes[i % len(sizes)] += 1
    return sizes


def random_split(dataset: Dataset, lengths: Sequence[float],
                 generator: Generator | np.random.Generator | None = None) -> list[Subset]:
    """Non-overlapping random Subsets of the given lengths (or fractions), covering the whole dataset, in an
    order drawn from `generator` (an autograd.Generator or a numpy Generator; by default autograd's default one)."""
    rng = numpy_rng(generator, "random_split")
    sizes = split_lengths(len(dataset), lengths)
    order = rng.permutation(len(dataset))
    ends = np.cumsum(sizes)
    return [Subset(dataset, order[end - size:end]) for size, end in zip(sizes, ends)]


def train_val_test_split(dataset: Dataset, fractions: Sequence[float] = (0.7, 0.15, 0.15),
                         generator: Generator | np.random.Generator | None = None) -> tuple[Subset, Subset, Subset]:
    """Three disjoint random Subsets (train, validation, test) with the given fractions of the samples."""
    if len(fractions) != 3:
        raise ValueError(f"train_val_test_split: expected three fractions (train, validation, test), got {fractions}")
    train, validation, test = random_split(dataset, [float(f) for f in fractions], generator)
    return train, validation, test
