"""safetensors files: the flat dict of named tensors that PyTorch and the Hugging Face tools share (no pickle).

The file: 8 bytes giving the header's length N (little-endian), N bytes of JSON header
{name: {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}},
then the data, the tensors' little-endian bytes packed one after another. Files are written through
safetensors.numpy, with the metadata {"format": "pt"} that PyTorch's own tools write, so that
safetensors.torch.load_file reads them. Reading checks the whole header here first (dtypes, shapes, offsets
inside the file, neither overlapping nor leaving gaps), so that any damage is a CheckpointError naming the file
and the problem, and then takes the data through safetensors.deserialize (numpy has no bfloat16).
float16 and bfloat16 tensors are converted to float32, with a warning.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import safetensors
import safetensors.numpy

from autograd.tensor_class import Tensor
from nn import bounded_json
from nn.atomic_write import write_atomically
from nn.checkpoint_error import CheckpointError

SUFFIX = ".safetensors"
METADATA = {"format": "pt"}
METADATA_KEY = "__metadata__"
HEADER_LIMIT = 100_000_000  # bytes, the safetensors package's own limit
DTYPES = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2"),
          "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
          "U64": np.dtype("<u8"), "U32": np.dtype("<u4"), "U16": np.dtype("<u2"), "U8": np.dtype("u1"),
          "BOOL": np.dtype("?")}  # bfloat16: the upper half of a float32's bits
_WRITABLE = set(DTYPES.values())
_ENTRY_FIELDS = {"dtype", "shape", "data_offsets"}


def _writable_array(value: Any, name: str) -> np.ndarray:
    if not isinstance(value, (Tensor, np.ndarray, np.generic)):
        raise TypeError(f"nn.save: a {SUFFIX} file holds one flat dict of named tensors (a model's state_dict), "
                        f"but obj[{name!r}] is a {type(value).__name__}; save whole checkpoints (optimizer and "
                        "scheduler state) to an .npz file")
    array = np.asarray(value._data if isinstance(value, Tensor) else value)
    if array.dtype.newbyteorder("<") not in _WRITABLE:
        raise TypeError(f"nn.save: obj[{name!r}] has the dtype {array.dtype}; a {SUFFIX} file holds booleans, "
                        "integers of 8 to 64 bits and floating point numbers of 16, 32 or 64 bits")
    return array if array.flags.c_contiguous else array.copy(order="C")  # safetensors.numpy copies raw memory


def save_safetensors(state_dict: Mapping[str, Any], path: str) -> None:
    """Write a flat dict of named Tensors or arrays to `path` as a .safetensors file, atomically."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"nn.save: a {SUFFIX} file holds one flat dict of named tensors (a model's state_dict), "
                        f"not a {type(state_dict).__name__}")
    for name in state_dict:
        if type(name) is not str or name == METADATA_KEY:
            raise TypeError(f"nn.save: a {SUFFIX} file names its tensors with str keys other than "
                            f"{METADATA_KEY!r}, but obj has the key {name!r}")
    arrays = {name: _writable_array(value, name) for name, value in state_dict.items()}
    data = safetensors.numpy.save(arrays, metadata=METADATA)
    write_atomically(path, lambda file: file.write(data))


def _checked_header(path: str, content: bytes) -> dict[str, dict[str, Any]]:
    """The tensor entries of the file's header in the order of their data, once every claim is checked."""
    def damaged(problem: str) -> CheckpointError:
        return CheckpointError(f"{path} is not a valid {SUFFIX} file: {problem}")

    if len(content) < 8:
        raise damaged(f"it has {len(content)} bytes, fewer than the 8 that give the header's length")
    length = int.from_bytes(content[:8], "little")
    if length > len(content) - 8:
        raise damaged(f"the header's length is given as {length} bytes, but only {len(content) - 8} bytes follow "
                      "(is the file truncated?)")
    if length > HEADER_LIMIT:
        raise damaged(f"the header's length is given as {length} bytes, more than the {HEADER_LIMIT} allowed")
    try:
        header = bounded_json.loads(content[8:8 + length].decode("utf-8"), max_depth=3)
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError too
        raise damaged(f"its header is not valid JSON ({error})") from error
    if type(header) is not dict:
        raise damaged(f"its header is a JSON {type(header).__name__} instead of an object")
    metadata = header.pop(METADATA_KEY, {})
    if type(metadata) is not dict or not all(type(value) is str for value in metadata.values()):
        raise damaged(f"its {METADATA_KEY!r} is not an object of str values")
    for name, entry in header.items():
        _check_entry(name, entry, damaged)
    header = dict(sorted(header.items(), key=lambda item: item[1]["data_offsets"]))
    data_size, end, previous = len(content) - 8 - length, 0, None
    for name, entry in header.items():
        begin, stop = entry["data_offsets"]
        if stop > data_size:
            raise damaged(f"the tensor {name!r} takes bytes {begin} to {stop} of the data, but the data has only "
                          f"{data_size} bytes (is the file truncated?)")
        if begin < end:
            raise damaged(f"the tensors {previous!r} and {name!r} overlap (bytes {begin} to {end} of the data)")
        if begin > end:
            raise damaged(f"bytes {end} to {begin} of the data belong to no tensor")
        end, previous = stop, name
    if end != data_size:
        raise damaged(f"the last {data_size - end} bytes of the file belong to no tensor")
    return header


def _check_entry(name: str, entry: Any, damaged: Callable[[str], CheckpointError]) -> None:
    if type(entry) is not dict or set(entry) != _ENTRY_FIELDS:
        raise damaged(f"the entry of {name!r} is {entry!r:.80} instead of an object with the fields "
                      "dtype, shape and data_offsets")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype not in DTYPES:
        raise damaged(f"the tensor {name!r} has the dtype {dtype!r:.40}, which nn.load does not read (it reads "
                      f"{', '.join(DTYPES)})")
    if type(shape) is not list or not all(type(side) is int and side >= 0 for side in shape):
        raise damaged(f"the tensor {name!r} has the shape {shape!r:.80} instead of a list of sizes")
    if type(offsets) is not list or len(offsets) != 2 or not all(type(n) is int for n in offsets) \
            or not 0 <= offsets[0] <= offsets[1]:
        raise damaged(f"the tensor {name!r} has the data_offsets {offsets!r:.80} instead of [begin, end]")
    nbytes = math.prod(shape) * DTYPES[dtype].itemsize
    if offsets[1] - offsets[0] != nbytes:
        raise damaged(f"the tensor {name!r} of dtype {dtype} and shape {shape} needs {nbytes} bytes, but its "
                      f"data_offsets {offsets} give {offsets[1] - offsets[0]}")


def _array(data: bytearray, dtype: str, shape: list[int]) -> np.ndarray:
    array = np.frombuffer(data, DTYPES[dtype]).reshape(shape)
    if dtype == "BF16":
        return (array.astype(np.uint32) << 16).view(np.float32)
    return array.astype(np.float32) if dtype == "F16" else array


def load_safetensors(path: str) -> dict[str, Tensor]:
    """The named tensors of a .safetensors file, as Tensors that do not require grad."""
    with open(path, "rb") as file:
        content = file.read()
    header = _checked_header(path, content)
    try:
        entries = safetensors.deserialize(content)
    except safetensors.SafetensorError as error:
        raise CheckpointError(f"{path} is not a valid {SUFFIX} file: {error}") from error
    converted = sorted(name for name, entry in header.items() if entry["dtype"] in ("F16", "BF16"))
    if converted:
        warnings.warn(f"nn.load: {path} holds float16 or bfloat16 tensors, converted to float32: "
                      f"{', '.join(converted)}", stacklevel=3)
    arrays = {name: _array(entry["data"], entry["dtype"], entry["shape"]) for name, entry in entries}
    return {name: Tensor._wrap(arrays[name]) for name in header}  # in the file's order, as PyTorch gives them
