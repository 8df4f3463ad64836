"""The .npz checkpoint: nested containers of arrays, Tensors and numbers, stored without pickle.

The file is a zip of .npy entries as numpy.savez writes it: every array under the names "0", "1", ... and one
JSON manifest (under "__checkpoint__") that describes the nested structure, with references to the arrays.
What round-trips, types included:

    dict (str or int keys) and OrderedDict, list, tuple, None, bool, int, float, str,
    numpy arrays of any shape (0-d too) and numeric, bool or string dtype, numpy scalars,
    Tensors (loaded as Tensors that do not require grad: a Parameter comes back as a plain Tensor),

nested at most NESTING_LIMIT containers deep. Loading checks everything (the arrays through nn.npz_reader, the
manifest's types, that it refers to each array exactly once) and raises CheckpointError for any damage.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import numpy as np

from autograd.tensor_class import Tensor
from nn import bounded_json
from nn.atomic_write import write_atomically
from nn.checkpoint_error import CheckpointError
from nn.npz_reader import READABLE_KINDS, read_npz

MANIFEST = "__checkpoint__"
FORMAT = "nn-checkpoint"
VERSION = 1
NESTING_LIMIT = 100  # containers within containers
# the manifest's JSON nests one level for the manifest, then per container up to three ({"dict": [[key, ...
MANIFEST_DEPTH_LIMIT = 3 * NESTING_LIMIT + 2
TENSOR_KINDS = "biuf"


def _encode(obj: Any, arrays: list[np.ndarray], where: str, depth: int = 0) -> Any:
    """The JSON description of obj; arrays are appended to `arrays` and referred to by position."""
    if isinstance(obj, (Tensor, np.ndarray, np.generic)):  # first: numpy's float64 is a Python float too
        kind = "tensor" if isinstance(obj, Tensor) else "scalar" if isinstance(obj, np.generic) else "array"
        array = np.asarray(obj._data if isinstance(obj, Tensor) else obj)
        if array.dtype.hasobject:
            raise TypeError(f"nn.save: {where} is an array of Python objects, which can not be stored without pickle")
        kinds = TENSOR_KINDS if kind == "tensor" else READABLE_KINDS
        if array.dtype.kind not in kinds or array.dtype.fields is not None:
            raise TypeError(f"nn.save: {where} is an array of dtype {array.dtype}; a checkpoint holds arrays of "
                            "booleans, numbers, bytes and str (Tensors: booleans, integers and floats)")
        arrays.append(array)
        return {kind: len(arrays) - 1}
    kind = type(obj)  # exact types only: a subclass (a NamedTuple, an IntEnum) could not come back as itself
    if obj is None or kind in (bool, str):
        return obj
    if kind is int:
        return {"int": obj}  # tagged, so that an int never comes back as a float or a bool
    if kind is float:
        return {"float": obj}
    if kind in (list, tuple, dict, OrderedDict) and depth == NESTING_LIMIT:
        raise ValueError(f"nn.save: {where} is nested more than {NESTING_LIMIT} containers deep, deeper than a "
                         "checkpoint holds")
    if kind in (list, tuple):
        return {kind.__name__: [_encode(item, arrays, f"{where}[{i}]", depth + 1) for i, item in enumerate(obj)]}
    if kind in (dict, OrderedDict):
        items = []
        for key, value in obj.items():
            if type(key) not in (str, int):
                raise TypeError(f"nn.save: {where} has a key {key!r} of type {type(key).__name__}; "
                                "only str and int keys can be stored")
            items.append([key, _encode(value, arrays, f"{where}[{key!r}]", depth + 1)])
        return {"dict" if kind is dict else "odict": items}
    hint = "; save its state_dict() instead" if hasattr(obj, "state_dict") else ""
    raise TypeError(f"nn.save: {where} is a {type(obj).__name__}, which a checkpoint can not hold (it holds dicts, "
                    f"lists, tuples, None, bool, int, float, str, numpy arrays and Tensors){hint}")


class _ManifestDecoder:
    """Rebuilds the saved object from the manifest, checking every entry's type and each array's use."""

    def __init__(self, path: str, arrays: dict[str, np.ndarray]) -> None:
        self.path, self.arrays, self.used = path, arrays, set()

    def damaged(self, where: str, problem: str) -> CheckpointError:
        return CheckpointError(f"damaged checkpoint {self.path}: in its manifest, {where} {problem}")

    def decode(self, node: Any, where: str = "obj") -> Any:
        if node is None or type(node) in (bool, str):
            return node
        if type(node) is not dict or len(node) != 1:
            raise self.damaged(where, f"is the unexpected entry {node!r:.80}")
        ((kind, value),) = node.items()
        expected = {"int": int, "float": float, "array": int, "tensor": int, "scalar": int,
                    "list": list, "tuple": list, "dict": list, "odict": list}.get(kind)
        if expected is None:
            raise self.damaged(where, f"has the unknown kind {kind!r:.80}")
        if type(value) is not expected:
            raise self.damaged(where, f"is a {kind!r} entry whose value is a {type(value).__name__}, not a "
                                     f"{expected.__name__}")
        if kind in ("int", "float"):
            return value
        if kind in ("array", "tensor", "scalar"):
            return self.array(kind, value, where)
        if kind in ("list", "tuple"):
            items = [self.decode(item, f"{where}[{i}]") for i, item in enumerate(value)]
            return items if kind == "list" else tuple(items)
        pairs = [self.pair(item, where) for item in value]
        result = dict(pairs) if kind == "dict" else OrderedDict(pairs)
        if len(result) != len(pairs):
            raise self.damaged(where, "has a key twice")
        return result

    def pair(self, item: Any, where: str) -> tuple[Any, Any]:
        if type(item) is not list or len(item) != 2 or type(item[0]) not in (str, int):
            raise self.damaged(where, f"has the entry {item!r:.80} where a [key, value] pair belongs")
        return item[0], self.decode(item[1], f"{where}[{item[0]!r}]")

    def array(self, kind: str, number: int, where: str) -> Any:
        key = str(number)
        if key not in self.arrays:
            raise self.damaged(where, f"refers to array {key}, which the file lacks")
        if key in self.used:
            raise self.damaged(where, f"refers to array {key} a second time")
        self.used.add(key)
        array = self.arrays[key]
        if kind == "scalar" and array.ndim != 0:
            raise self.damaged(where, f"is a scalar, but array {key} has the shape {array.shape}")
        if kind == "tensor" and array.dtype.kind not in TENSOR_KINDS:
            raise self.damaged(where, f"is a Tensor, but array {key} has the dtype {array.dtype}")
        return Tensor._wrap(array) if kind == "tensor" else array[()] if kind == "scalar" else array


def save_npz(obj: Any, path: str) -> None:
    """Write obj to `path` as an .npz checkpoint, atomically; nothing is written if obj can not be stored."""
    arrays: list[np.ndarray] = []
    manifest = {"format": FORMAT, "version": VERSION, "root": _encode(obj, arrays, "obj")}
    contents = {str(i): array for i, array in enumerate(arrays)}
    contents[MANIFEST] = np.array(json.dumps(manifest))
    write_atomically(path, lambda file: np.savez(file, **contents))


def load_npz(path: str) -> Any:
    """Read an .npz checkpoint written by save_npz (never unpickling anything)."""
    arrays = read_npz(path)
    if MANIFEST not in arrays:
        raise CheckpointError(f"{path} is an .npz archive but not a checkpoint written by nn.save "
                              f"(it has no {MANIFEST!r} entry)")
    text = arrays.pop(MANIFEST)
    if text.dtype.kind != "U" or text.ndim != 0:
        raise CheckpointError(f"damaged checkpoint {path}: its manifest is an array of dtype {text.dtype} and shape "
                              f"{text.shape} instead of one str")
    try:
        manifest = bounded_json.loads(str(text), MANIFEST_DEPTH_LIMIT)
    except ValueError as error:
        raise CheckpointError(f"damaged checkpoint {path}: its manifest is not valid JSON ({error})") from error
    if type(manifest) is not dict or manifest.get("format") != FORMAT or "root" not in manifest:
        raise CheckpointError(f"{path} is an .npz archive but not a checkpoint written by nn.save")
    if type(manifest.get("version")) is not int or manifest["version"] != VERSION:
        raise CheckpointError(f"{path} is a checkpoint of format version {manifest.get('version')!r:.40}, "
                              f"but this nn reads version {VERSION}")
    decoder = _ManifestDecoder(path, arrays)
    result = decoder.decode(manifest["root"])
    unused = sorted(set(arrays) - decoder.used)
    if unused:
        raise CheckpointError(f"damaged checkpoint {path}: it holds arrays its manifest never refers to: "
                              f"{', '.join(unused[:10])}")
    return result
