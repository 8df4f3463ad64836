"""The `reduction` argument of every loss: 'none' (one loss per element or sample), 'mean' or 'sum'."""
from __future__ import annotations

from autograd.tensor_class import Tensor

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: str) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction!r} is not a valid value for reduction (use 'none', 'mean' or 'sum')")
    return reduction


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """The per-element losses as they are ('none'), averaged ('mean') or added up ('sum')."""
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
