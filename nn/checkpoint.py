"""Checkpoints: `save(obj, path)` and `load(path)` for state dicts and nested containers of arrays and numbers.

The file is one `.npz` archive, read back with numpy's `allow_pickle=False`, so loading a file runs no code.
It holds every array under the names "0", "1", ... and one JSON manifest (under "__checkpoint__") that
describes the nested structure, with references to the arrays. What round-trips, types included:

    dict (str or int keys) and OrderedDict, list, tuple, None, bool, int, float, str,
    numpy arrays of any shape (0-d too) and numeric, bool or string dtype, numpy scalars,
    Tensors (loaded as Tensors that do not require grad: a Parameter comes back as a plain Tensor).

The archive is written to a temporary file in the target's folder and renamed over the target only when
complete (os.replace), so a crash mid-write leaves any previous checkpoint whole.
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections import OrderedDict
from typing import Any

import numpy as np

from autograd.tensor_class import Tensor

MANIFEST = "__checkpoint__"
FORMAT = "nn-checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """A file that is not a checkpoint written by nn.save, or one that is damaged."""


def _encode(obj: Any, arrays: list[np.ndarray], where: str) -> Any:
    """The JSON description of obj; arrays are appended to `arrays` and referred to by position."""
    if isinstance(obj, (Tensor, np.ndarray, np.generic)):  # first: numpy's float64 is a Python float too
        kind = "tensor" if isinstance(obj, Tensor) else "scalar" if isinstance(obj, np.generic) else "array"
        array = np.asarray(obj._data if isinstance(obj, Tensor) else obj)
        if array.dtype.hasobject:
            raise TypeError(f"nn.save: {where} is an array of Python objects, which can not be stored without pickle")
        arrays.append(array)
        return {kind: len(arrays) - 1}
    kind = type(obj)  # exact types only: a subclass (a NamedTuple, an IntEnum) could not come back as itself
    if obj is None or kind in (bool, str):
        return obj
    if kind is int:
        return {"int": obj}  # tagged, so that an int never comes back as a float or a bool
    if kind is float:
        return {"float": obj}
    if kind in (list, tuple):
        return {kind.__name__: [_encode(item, arrays, f"{where}[{i}]") for i, item in enumerate(obj)]}
    if kind in (dict, OrderedDict):
        items = []
        for key, value in obj.items():
            if type(key) not in (str, int):
                raise TypeError(f"nn.save: {where} has a key {key!r} of type {type(key).__name__}; "
                                "only str and int keys can be stored")
            items.append([key, _encode(value, arrays, f"{where}[{key!r}]")])
        return {"dict" if kind is dict else "odict": items}
    hint = "; save its state_dict() instead" if hasattr(obj, "state_dict") else ""
    raise TypeError(f"nn.save: {where} is a {type(obj).__name__}, which a checkpoint can not hold (it holds dicts, "
                    f"lists, tuples, None, bool, int, float, str, numpy arrays and Tensors){hint}")


def _decode(node: Any, arrays: dict[str, np.ndarray]) -> Any:
    if node is None or isinstance(node, (bool, str)):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        raise CheckpointError(f"damaged checkpoint manifest: unexpected entry {node!r}")
    ((kind, value),) = node.items()
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind in ("array", "tensor", "scalar"):
        key = str(value)
        if key not in arrays:
            raise CheckpointError(f"damaged checkpoint: the manifest refers to array {key}, which the file lacks")
        array = arrays[key]
        return Tensor._wrap(array) if kind == "tensor" else array[()] if kind == "scalar" else array
    if kind in ("list", "tuple"):
        items = [_decode(item, arrays) for item in value]
        return items if kind == "list" else tuple(items)
    if kind in ("dict", "odict"):
        pairs = [(key, _decode(item, arrays)) for key, item in value]
        return dict(pairs) if kind == "dict" else OrderedDict(pairs)
    raise CheckpointError(f"damaged checkpoint manifest: unknown entry kind {kind!r}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(obj: Any, path: str | os.PathLike) -> None:
    """Write obj (a state dict, or nested dicts/lists/tuples of arrays, Tensors and numbers) to `path` atomically.

    The file is written exactly at `path` (no suffix is added). Nothing is written when obj holds something a
    checkpoint can not store: the TypeError names where it is.
    """
    arrays: list[np.ndarray] = []
    manifest = {"format": FORMAT, "version": VERSION, "root": _encode(obj, arrays, "obj")}
    contents = {str(i): array for i, array in enumerate(arrays)}
    contents[MANIFEST] = np.array(json.dumps(manifest))
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; give it a normal file's mode
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **contents)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path: str | os.PathLike) -> Any:
    """Read a checkpoint written by `save` (never unpickling anything); Tensors come back as plain Tensors."""
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise CheckpointError(f"{path} is not a checkpoint written by nn.save (numpy could not read it as an .npz "
                              f"archive: {error})") from error
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise CheckpointError(f"{path} is a single .npy array, not a checkpoint written by nn.save")
    with archive:
        if MANIFEST not in archive.files:
            raise CheckpointError(f"{path} is an .npz archive but not a checkpoint written by nn.save "
                                  f"(it has no {MANIFEST!r} entry)")
        arrays = {name: archive[name] for name in archive.files}
    try:
        manifest = json.loads(str(arrays.pop(MANIFEST)))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"damaged checkpoint {path}: its manifest is not valid JSON ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CheckpointError(f"{path} is an .npz archive but not a checkpoint written by nn.save")
    if manifest.get("version") != VERSION:
        raise CheckpointError(f"{path} is a checkpoint of format version {manifest.get('version')}, "
                              f"but this nn reads version {VERSION}")
    return _decode(manifest.get("root"), arrays)
