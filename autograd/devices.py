"""Devices: the library runs on the CPU only, and says so clearly when asked for another device.

`device("cpu")`, `device("cpu:0")`, `device("cpu", 0)` and `device(type="cpu", index=0)` are accepted wherever
PyTorch takes a device (also as a plain string); "cuda", "cuda:0", "mps", a bare GPU number and anything else
raise a RuntimeError naming the device asked for.
"""
from __future__ import annotations

from typing import Any


def unavailable(asked: str) -> RuntimeError:
    """The error for a device other than the CPU, naming the device asked for."""
    return RuntimeError(f"device {asked!r} is not available: autograd runs on the CPU only "
                        "(use device='cpu', or leave the device out)")


class device:
    """A device, as PyTorch's torch.device: `.type` ('cpu') and `.index` (None or 0); equal when both are."""

    __slots__ = ("_index",)

    def __init__(self, type: Any, index: int | None = None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if isinstance(type, int) and not isinstance(type, bool):
            raise unavailable(f"cuda:{type}")  # PyTorch reads a bare number as a GPU index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', got {type!r}")
        name, _, suffix = type.partition(":")
        if name != "cpu":
            raise unavailable(type if index is None else f"{type}:{index}")
        if suffix:
            if index is not None:
                raise RuntimeError(f"device: the index is given twice, in {type!r} and as index={index}")
            if not suffix.isdigit():
                raise RuntimeError(f"device: invalid device string {type!r}")
            index = int(suffix)
        if index is not None and index != 0:
            raise unavailable(f"cpu:{index}")
        self._index = index

    @property
    def type(self) -> str:
        return "cpu"

    @property
    def index(self) -> int | None:
        return self._index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return self._index == other._index

    def __hash__(self) -> int:
        return hash(("cpu", self._index))

    def __repr__(self) -> str:
        return "device(type='cpu')" if self._index is None else f"device(type='cpu', index={self._index})"

    def __str__(self) -> str:
        return "cpu" if self._index is None else f"cpu:{self._index}"


CPU = device("cpu")


def check_device(spec: Any, who: str) -> None:
    """Accept `spec` (None, a device, a string or a number) only if it names the CPU; `who` names the caller."""
    if spec is None or isinstance(spec, device):
        return
    try:
        device(spec)
    except TypeError:
        raise TypeError(f"{who}: device should be a device or a string such as 'cpu', got {spec!r}") from None


def set_default_device(spec: Any) -> None:
    """Make `spec` the device that factories use: only the CPU (or None) is accepted, as there is no other."""
    check_device(spec, "set_default_device")


def get_default_device() -> device:
    """The device that factories make tensors on: always the CPU."""
    return CPU
