"""Checkpoints: `save(obj, path)` and `load(path)`, in the format the file's suffix names.

- `.safetensors`: a flat dict of named tensors (a model's state_dict), the file PyTorch reads with
  safetensors.torch.load_file and writes with save_file (nn.safetensors_format);
- any other suffix: an .npz checkpoint of nested dicts, lists and tuples of arrays, Tensors and numbers, for
  whole training states with optimizer and scheduler (nn.npz_checkpoint).

Both are written atomically (nn.atomic_write: a crash mid-write leaves any previous file whole) and read
without pickle, so loading a file runs no code. A file that is not a checkpoint, or a damaged one, raises
CheckpointError naming the file and the problem, before anything large is allocated.
"""
from __future__ import annotations

import os
from typing import Any

from nn.checkpoint_error import CheckpointError
from nn.npz_checkpoint import load_npz, save_npz
from nn.safetensors_format import SUFFIX, load_safetensors, save_safetensors

__all__ = ["CheckpointError", "load", "save"]


def _is_safetensors(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


def save(obj: Any, path: str | os.PathLike) -> None:
    """Write obj to `path` atomically, exactly there (no suffix is added), in the format its suffix names.

    Nothing is written when obj holds something the format can not store: the TypeError names where it is.
    """
    path = os.fspath(path)
    (save_safetensors if _is_safetensors(path) else save_npz)(obj, path)


def load(path: str | os.PathLike) -> Any:
    """Read a checkpoint written by `save` (or a .safetensors file from PyTorch); Tensors come back as plain Tensors."""
    path = os.fspath(path)
    return (load_safetensors if _is_safetensors(path) else load_npz)(path)
