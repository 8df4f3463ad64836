"""Reading an .npz archive without trusting it: one reader for every entry, which checks each claim first.

The zip directory is checked before any entry is read: entries are stored uncompressed (as numpy.savez writes
them), distinct, and together no larger than the file. Each entry is then read whole (the zip's CRC-32 is
checked at its end) and its .npy header parsed and checked: the shape and dtype must need exactly the bytes
the entry holds, and the array is a view of them. So a damaged or hostile file can not make the reader
allocate more than the file's own size, and every problem (a flipped byte caught by the CRC-32, a truncation,
a bad header, an array of Python objects) is a CheckpointError naming the file, the entry and the problem.
"""
from __future__ import annotations

import collections
import io
import math
import os
import struct
import tokenize
import zipfile

import numpy as np

from nn.checkpoint_error import CheckpointError

READABLE_KINDS = "biufcSU"  # booleans, numbers, bytes and str: what a checkpoint holds without pickle
NPY_MAGIC = b"\x93NUMPY"
# what the zipfile module raises on damaged archives: BadZipFile mostly (bad CRC, bad headers), EOFError and
# OSError when an offset points outside the file, struct.error and UnicodeDecodeError (a ValueError) on
# garbled records, NotImplementedError for an unknown compression flag
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error,
               NotImplementedError)
# what numpy's .npy header parser (ast.literal_eval, tokenize, descr_to_dtype) raises on malformed text
_HEADER_ERRORS = (ValueError, TypeError, SyntaxError, tokenize.TokenError, KeyError, IndexError, struct.error)
_HEADER_SPAN = 16384  # bytes enough for any header numpy reads (it refuses those over 10000)
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def read_npz(path: str) -> dict[str, np.ndarray]:
    """Every array of the .npz archive at `path`, by entry name without ".npy"; CheckpointError if damaged."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if file.read(len(NPY_MAGIC)) == NPY_MAGIC:
            raise CheckpointError(f"{path} is a single .npy array, not a checkpoint written by nn.save")
        try:
            archive = zipfile.ZipFile(file)
        except _ZIP_ERRORS as error:
            raise CheckpointError(f"{path} is not a checkpoint written by nn.save (it is not a readable zip "
                                  f"archive: {error})") from error
        with archive:
            entries = _checked_directory(path, archive.infolist(), size)
            return {entry.filename[:-len(".npy")]: _read_entry(path, archive, entry) for entry in entries}


def _checked_directory(path: str, entries: list[zipfile.ZipInfo], size: int) -> list[zipfile.ZipInfo]:
    """The archive's entries, once checked to be distinct, uncompressed .npy entries that fit in the file."""
    def damaged(problem: str) -> CheckpointError:
        return CheckpointError(f"damaged checkpoint {path}: {problem}")

    counts = collections.Counter(entry.filename for entry in entries)
    for entry in entries:
        if counts[entry.filename] > 1:
            raise damaged(f"the entry {entry.filename!r} appears twice in the zip directory")
        if not entry.filename.endswith(".npy"):
            raise damaged(f"the entry {entry.filename!r} is not an .npy array")
        if entry.flag_bits & 0x1:
            raise damaged(f"the entry {entry.filename!r} is marked as encrypted")
        if entry.compress_type != zipfile.ZIP_STORED or entry.compress_size != entry.file_size:
            raise damaged(f"the entry {entry.filename!r} is compressed (method {entry.compress_type}), but nn.save "
                          "stores entries uncompressed")
    if len({entry.header_offset for entry in entries}) != len(entries):
        raise damaged("two entries of the zip directory start at the same place")
    claimed = sum(entry.file_size for entry in entries)
    if claimed > size:
        raise damaged(f"its zip directory claims {claimed} bytes of entries, but the file has only {size} bytes")
    return entries


def _read_entry(path: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> np.ndarray:
    """One entry's array: the entry is read whole (which checks its CRC-32), then its header is checked."""
    def damaged(problem: str) -> CheckpointError:
        return CheckpointError(f"damaged checkpoint {path}: the entry {entry.filename!r} {problem}")

    content = bytearray(entry.file_size)  # no more than the file holds: _checked_directory saw to it
    try:
        with archive.open(entry) as stream:
            if stream.readinto(content) != entry.file_size or stream.read(1):  # to the end: checks the CRC-32
                raise damaged("ends before its data")
    except CheckpointError:
        raise
    except _ZIP_ERRORS as error:
        raise damaged(f"can not be read: {str(error) or type(error).__name__}") from error
    header = io.BytesIO(content[:_HEADER_SPAN])
    try:
        version = np.lib.format.read_magic(header)
        fields = _HEADER_READERS[version](header) if version in _HEADER_READERS else None
    except _HEADER_ERRORS as error:
        raise damaged(f"has a damaged .npy header ({error})") from error
    if fields is None:
        raise damaged(f"has .npy format version {version}, which nn.load does not read")
    shape, fortran_order, dtype = fields
    if dtype.hasobject:
        raise damaged("holds an array of Python objects, which can not be read without pickle")
    if dtype.kind not in READABLE_KINDS or dtype.itemsize == 0 or dtype.fields is not None:
        raise damaged(f"holds an array of dtype {dtype}, which a checkpoint does not hold")
    if any(side < 0 for side in shape):
        raise damaged(f"claims the shape {shape}")
    count = math.prod(shape)
    held = len(content) - header.tell()
    if count * dtype.itemsize != held:
        raise damaged(f"claims an array of shape {shape} and dtype {dtype} ({count * dtype.itemsize} bytes), but "
                      f"it holds {held} bytes of data")
    array = np.frombuffer(content, dtype, count=count, offset=header.tell())
    return array.reshape(shape, order="F" if fortran_order else "C")
