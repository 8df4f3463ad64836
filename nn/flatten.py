"""`Flatten`: merge dimensions start_dim..end_dim into one, e.g. images (N, C, H, W) into rows (N, C*H*W); and
its inverse `Unflatten`: split one dimension into several, e.g. rows (N, C*H*W) back into images (N, C, H, W)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd.tensor_class import Tensor
from nn.module import Module


class Flatten(Module):
    """x.flatten(start_dim, end_dim); start_dim=1 by default keeps the batch dimension."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """`input` with dimension `dim` split into `sizes` (one of them may be -1: whatever is left), as
    Tensor.unflatten in PyTorch."""
    if not -input.ndim <= dim < input.ndim:
        raise IndexError(f"unflatten: dim {dim} is out of range for a tensor of shape {input.shape}")
    dim %= input.ndim
    sizes, size = [int(n) for n in sizes], input.shape[dim]
    known = int(np.prod([n for n in sizes if n != -1]))
    if not sizes or sizes.count(-1) > 1 or any(n < -1 for n in sizes) \
            or (known != size if -1 not in sizes else known == 0 or size % known):
        raise ValueError(f"unflatten: provided sizes {sizes} don't multiply up to the size of dim {dim} ({size}) "
                         f"in the input tensor of shape {input.shape}")
    return input.reshape(*input.shape[:dim], *sizes, *input.shape[dim + 1:])


class Unflatten(Module):
    """input.unflatten(dim, unflattened_size): dimension `dim` split into the sizes of unflattened_size."""

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        for i, n in enumerate(unflattened_size):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
                raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, but found element of type "
                                f"{type(n).__name__} at pos {i}")
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
