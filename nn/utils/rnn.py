"""Sequences of different lengths for the recurrent layers (as torch.nn.utils.rnn).

A batch of sequences is either padded to the longest, (T, B, *) (or (B, T, *) with batch_first), or packed:
the elements of every time step one after the other, time step t holding the batch_sizes[t] sequences that are
still running (the sequences sorted from the longest down). A recurrent layer given a PackedSequence computes
nothing on the padding and takes each sequence's final state at its own length.

    pad_sequence          list of (L_i, *) -> (T, B, *) padded
    pack_padded_sequence  padded + lengths -> PackedSequence
    pad_packed_sequence   PackedSequence -> (padded, lengths)
    pack_sequence         list of (L_i, *) -> PackedSequence
    unpad_sequence, unpack_sequence: back to the list of sequences
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from autograd.ops.indexing import index_put
from autograd.ops.joining import cat
from autograd.tensor_class import Tensor


class PackedSequence(NamedTuple):
    """data (sum of the lengths, *): the elements of time step 0 of every sequence, then of step 1, ...;
    batch_sizes (T,): how many sequences run at each step (int64, non-increasing); sorted_indices: the batch
    position of each packed sequence (None when the batch was given sorted); unsorted_indices: its inverse."""

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


def _integers(values: Any) -> np.ndarray:
    return np.asarray(values._data if isinstance(values, Tensor) else values).astype(np.int64, copy=False)


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Sequences of shapes (L_i, *) stacked into (T, B, *) (or (B, T, *)), T the longest L_i, the rest filled
    with padding_value after each sequence (or before it, padding_side='left'). Differentiable."""
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'left' or 'right', got {padding_side!r}")
    sequences = list(sequences)
    if not sequences:
        raise ValueError("pad_sequence: received an empty list of sequences")
    rest = sequences[0].shape[1:]
    for i, s in enumerate(sequences):
        if s.ndim == 0 or s.shape[1:] != rest:
            raise ValueError(f"pad_sequence: every sequence must have shape (L, *{rest}) like sequence 0, but "
                             f"sequence {i} has shape {s.shape}")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        filler = Tensor._wrap(np.full((longest - s.shape[0], *rest), padding_value, dtype=s.dtype))
        padded.append(cat([s, filler] if padding_side == "right" else [filler, s]).unsqueeze(0))
    batch = cat(padded)  # (B, T, *)
    return batch if batch_first else batch.transpose(0, 1)


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Packs a padded batch (T, B, *) (or (B, T, *)) of sequences of the given lengths (B of them, in 1..T).
    With enforce_sorted the lengths must be non-increasing; otherwise the batch is sorted here and the
    PackedSequence remembers the order (the layers give their outputs and states back in the caller's order)."""
    lengths = _integers(lengths)
    if input.ndim < 2:
        raise ValueError(f"pack_padded_sequence: input must have at least 2 dimensions (T, B, *), got shape "
                         f"{input.shape}")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[:2]
    if lengths.shape != (batch,):
        raise ValueError(f"pack_padded_sequence: expected {batch} lengths (one per sequence of the batch, input "
                         f"shape {input.shape}), got lengths of shape {lengths.shape}")
    if batch and (lengths.min() <= 0 or lengths.max() > steps):
        raise ValueError(f"pack_padded_sequence: every length must be in 1..{steps} (the padded length), got "
                         f"{lengths.tolist()}")
    sorted_indices = unsorted_indices = None
    if enforce_sorted:
        if (np.diff(lengths) > 0).any():
            raise RuntimeError(
                f"pack_padded_sequence: `lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                f"True, got {lengths.tolist()}. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement.")
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_indices = Tensor._wrap(order)
        unsorted_indices = Tensor._wrap(np.argsort(order).astype(np.int64))
        lengths = lengths[order]
        input = input[:, order]
    batch_sizes = (lengths[None, :] > np.arange(steps)[:, None]).sum(axis=1)
    times = np.repeat(np.arange(steps), batch_sizes)
    rows = np.concatenate([np.arange(n) for n in batch_sizes]) if steps else np.zeros(0, np.int64)
    return PackedSequence(input[times, rows], Tensor._wrap(batch_sizes.astype(np.int64)), sorted_indices,
                          unsorted_indices)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The inverse of pack_padded_sequence: (padded (T, B, *) or (B, T, *), lengths (B,) int64), in the order
    of the batch that was packed; T is total_length when given (at least the longest length)."""
    data, batch_sizes = sequence.data, _integers(sequence.batch_sizes)
    steps = len(batch_sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"pad_packed_sequence: Expected total_length to be at least the length of the longest "
                             f"sequence ({steps}), but got total_length={total_length}")
        steps = total_length
    batch = int(batch_sizes[0]) if len(batch_sizes) else 0
    times = np.repeat(np.arange(len(batch_sizes)), batch_sizes)
    rows = np.concatenate([np.arange(n) for n in batch_sizes]) if len(batch_sizes) else np.zeros(0, np.int64)
    blank = Tensor._wrap(np.full((steps, batch, *data.shape[1:]), padding_value, dtype=data.dtype))
    padded = index_put(blank, (times, rows), data)
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(axis=1)
    if sequence.unsorted_indices is not None:
        order = _integers(sequence.unsorted_indices)
        padded, lengths = padded[:, order], lengths[order]
    return (padded.transpose(0, 1) if batch_first else padded), Tensor._wrap(lengths.astype(np.int64))


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Sequences of shapes (L_i, *) packed (sorted from the longest down unless enforce_sorted=False)."""
    sequences = list(sequences)
    return pack_padded_sequence(pad_sequence(sequences), [s.shape[0] for s in sequences],
                                enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    """The sequences of a padded batch (T, B, *) (or (B, T, *)), each cut to its length: a list of (L_i, *)."""
    batch = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    lengths = _integers(lengths)
    if lengths.shape != (batch.shape[0],) or (lengths > batch.shape[1]).any() or (lengths < 0).any():
        raise ValueError(f"unpad_sequence: expected {batch.shape[0]} lengths in 0..{batch.shape[1]} for padded "
                         f"sequences of shape {padded_sequences.shape}, got {lengths.tolist()}")
    return [batch[b, :n] for b, n in enumerate(lengths.tolist())]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The sequences of a PackedSequence, in the order they were packed from: a list of (L_i, *)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
