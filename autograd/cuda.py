"""CUDA, as PyTorch's torch.cuda sees it on a machine without a GPU: none is available (autograd runs on the CPU
only), so `device = "cuda" if autograd.cuda.is_available() else "cpu"` chooses the CPU."""
from __future__ import annotations


def is_available() -> bool:
    """False: there is no GPU here."""
    return False


def device_count() -> int:
    """0: there is no GPU here."""
    return 0


def manual_seed(seed: int) -> None:
    """Does nothing, as PyTorch's does without a GPU: there is no CUDA generator to seed."""


def manual_seed_all(seed: int) -> None:
    """Does nothing, as PyTorch's does without a GPU: there are no CUDA generators to seed."""
