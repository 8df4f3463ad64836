"""Dropout (Srivastava et al., 2014): while training, zero each element with probability p and scale the
others by 1/(1-p), so that the expected output equals the input; in evaluation mode, do nothing.

    y = x * m / (1-p),  m_i ~ Bernoulli(1-p);   dy/dx = m / (1-p)  (the same mask)
"""
from __future__ import annotations

import numpy as np

from autograd.ops.arguments import as_flag, as_probability, as_tensor_argument
from autograd.random import numpy_rng
from autograd.tensor_class import Tensor
from nn.module import Module


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """The input with elements zeroed with probability p and the rest scaled by 1/(1-p) (when training).

    inplace=True (as PyTorch) writes the result into the input and returns it, its version bumped (through
    Tensor._inplace: refused on a leaf that requires grad). When nothing changes (not training, or p = 0) the input
    itself is returned either way, unchanged.
    """
    as_tensor_argument(input, "input", "dropout")
    p, training = as_probability(p, "p", "dropout"), as_flag(training, "training", "dropout")
    if not training or p == 0.0:
        return input
    keep = numpy_rng(None, "dropout").random(input.shape) >= p
    scale = np.zeros((), input.dtype) if p == 1.0 else np.asarray(1.0 / (1.0 - p), dtype=input.dtype)
    mask = Tensor._wrap(keep * scale)
    if inplace:
        return input._inplace(Tensor.__mul__, mask, "dropout_")
    return input * mask


class Dropout(Module):
    """Randomly zeroes elements with probability p during training (scaling the rest by 1/(1-p))."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        self.p = as_probability(p, "p", "Dropout")
        self.inplace = as_flag(inplace, "inplace", "Dropout")

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"  # as PyTorch: Dropout(p=0.5, inplace=False)
