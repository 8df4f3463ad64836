"""Backends, as PyTorch's torch.backends sees them on a machine without a GPU: `mps` (Apple's GPUs) is not
available, and `cudnn`'s switches are plain settings that change nothing (there is no cuDNN here)."""
from autograd.backends import cudnn, mps

__all__ = ["cudnn", "mps"]
