"""DataLoader: a dataset served in (shuffled) mini-batches, one pass over it per `for batch in loader`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd.random import Generator, numpy_rng
from nn.data.collate import default_collate
from nn.data.dataset import Dataset


class DataLoader:
    """Batches of `batch_size` samples collated into Tensors; each iteration is one epoch.

    With `shuffle=True` every epoch visits the samples in a fresh random order drawn from `generator`
    (an autograd.Generator, or a numpy Generator; by default autograd's default generator, the one that
    `autograd.manual_seed` seeds, looked up when the epoch starts), so a seed fixes the whole sequence of
    epochs. Every sample appears exactly once per epoch; the last batch is smaller unless `drop_last=True` drops it.
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 collate_fn: Callable[[list], Any] | None = None,
                 generator: Generator | np.random.Generator | None = None) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size should be a positive integer, got {batch_size!r}")
        numpy_rng(generator, "DataLoader")  # a generator of the wrong type is refused now, not at the first epoch
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.collate_fn = collate_fn or default_collate
        self.generator = generator

    def batch_indices(self) -> Iterator[np.ndarray]:
        """The indices of each batch of one epoch (a new permutation per call when shuffling)."""
        n = len(self.dataset)
        if self.shuffle:
            order = numpy_rng(self.generator, "DataLoader").permutation(n)
        else:
            order = np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            yield order[start:start + self.batch_size]

    def __iter__(self) -> Iterator[Any]:
        for indices in self.batch_indices():
            yield self.collate_fn([self.dataset[int(i)] for i in indices])

    def __len__(self) -> int:
        """The number of batches per epoch."""
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
