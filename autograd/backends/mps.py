"""Apple's Metal GPUs (PyTorch's torch.backends.mps): not available, autograd runs on the CPU only."""
from __future__ import annotations


def is_available() -> bool:
    """False: autograd runs on the CPU only."""
    return False


def is_built() -> bool:
    """False: autograd has no Metal backend."""
    return False
