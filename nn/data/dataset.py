"""Datasets: anything with `len(ds)` and `ds[i]`; tensors side by side; a subset seen through a list of indices."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import Tensor


class Dataset:
    """A map-style dataset: subclasses give `__len__` and `__getitem__(i)` returning one sample."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")


class TensorDataset(Dataset):
    """Sample i is `(t[i] for t in tensors)`: inputs and targets of equal length, indexed together."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        tensors = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
        if any(t.ndim == 0 for t in tensors):
            raise ValueError("TensorDataset: every tensor needs a first (sample) dimension, got a 0-d tensor")
        sizes = [len(t) for t in tensors]
        if len(set(sizes)) > 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors, first dimensions are {sizes}")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order (what random_split returns)."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = [int(i) for i in indices]
        n = len(dataset)
        bad = [i for i in self.indices if not -n <= i < n]
        if bad:
            raise IndexError(f"Subset: indices {bad[:5]} are out of range for a dataset of {n} samples")

    def __getitem__(self, index: int) -> Any:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


class TransformedDataset(Dataset):
    """`dataset` with `transform` applied to each sample's input and `target_transform` to its target.

    Wrap the training subset (after splitting) so that augmentation touches training samples only.
    A sample is `(input, target, ...)`; a sample that is not a tuple is an input alone.
    """

    def __init__(self, dataset: Dataset, transform: Callable | None = None,
                 target_transform: Callable | None = None) -> None:
        self.dataset = dataset
        self.transform = transform
        self.target_transform = target_transform

    def __getitem__(self, index: int) -> Any:
        sample = self.dataset[index]
        if not isinstance(sample, tuple):
            return self.transform(sample) if self.transform else sample
        x, *rest = sample
        if self.transform:
            x = self.transform(x)
        if rest and self.target_transform:
            rest[0] = self.target_transform(rest[0])
        return (x, *rest)

    def __len__(self) -> int:
        return len(self.dataset)
