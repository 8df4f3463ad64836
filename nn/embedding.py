"""Embeddings: `embedding` / `Embedding`, a lookup table of learned vectors indexed by integers (token ids).

    y[..., :] = weight[index[...], :];   dL/dweight[k] = sum of dL/dy over the places where index == k
    (the row padding_idx, if given, never gets a gradient)
"""
from __future__ import annotations

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.arithmetic import where
from autograd.ops.indexing import check_index_range
from autograd.tensor_class import Tensor
from nn import init
from nn.module import Module
from nn.parameter import Parameter


def _padding_row(padding_idx: int, num_embeddings: int, op: str) -> int:
    """padding_idx as a row index (negative counts from the end); it must be in [-num_embeddings, num_embeddings)."""
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"{op}: padding_idx must be within num_embeddings={num_embeddings}, got {padding_idx}")
    return padding_idx % num_embeddings


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Rows of weight (num_embeddings, embedding_dim) picked by the integer tensor input: shape (*input, dim)."""
    indices = np.asarray(input._data if isinstance(input, Tensor) else input)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be an integer tensor, got dtype {indices.dtype}")
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        raise ValueError(f"embedding: weight must be a Tensor of shape (num_embeddings, embedding_dim), got "
                         f"{getattr(weight, 'shape', type(weight).__name__)}")
    count = weight.shape[0]
    if padding_idx is not None:
        padding_idx = _padding_row(padding_idx, count, "embedding")
    check_index_range(indices, count, "embedding: index", f"{count} embeddings (0 to {count - 1})")
    rows = weight[input if isinstance(input, Tensor) else indices]  # a Tensor is saved: checked for changes
    if padding_idx is None:
        return rows
    # The padding row's value is used, but no gradient flows to it (as PyTorch).
    return where((indices != padding_idx)[..., None], rows, rows.detach())


class Embedding(Module):
    """A table of num_embeddings vectors of size embedding_dim, initialised N(0, 1) (the padding row zero)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = None if padding_idx is None else _padding_row(padding_idx, num_embeddings, "Embedding")
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=get_default_dtype()))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0
            self.weight.bump_version()

    def forward(self, input: Tensor) -> Tensor:
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else text + f", padding_idx={self.padding_idx}"
