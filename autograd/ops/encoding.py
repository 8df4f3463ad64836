"""one_hot: class indices as rows of zeros with a one at the index (int64, outside the graph)."""
from __future__ import annotations

import numpy as np

from autograd.ops.arguments import as_int
from autograd.tensor_class import Tensor


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """y[..., c] = 1 where tensor[...] == c, else 0, for c < num_classes (-1: one more than the largest index),
    as torch.nn.functional.one_hot."""
    if not isinstance(tensor, Tensor) or tensor.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensors (int64), got "
                           + (f"dtype {tensor.dtype}" if isinstance(tensor, Tensor) else type(tensor).__name__))
    index, num_classes = tensor._data, as_int(num_classes, "num_classes", "one_hot")
    if index.size and index.min() < 0:
        raise RuntimeError(f"one_hot: class values must be non-negative, got {int(index.min())}")
    if num_classes == -1:
        if not index.size:
            raise RuntimeError("one_hot: can not infer the total number of classes from an empty tensor")
        num_classes = int(index.max()) + 1
    elif index.size and index.max() >= num_classes:
        raise RuntimeError(f"one_hot: class values must be smaller than num_classes ({num_classes}), got "
                           f"{int(index.max())}")
    return Tensor._wrap((index[..., None] == np.arange(num_classes)).astype(np.int64))
