"""Max-pooling as one graph node, through the windows of nn.im2col's Geometry, with the winners it saves.

    MaxPool        y[n, c, i, j] = the largest element of window (i, j) of x padded with -inf;
                   the winner, which offset k = p*kw + q of the window it is at (the first one on a tie, in
                   row-major order, as PyTorch), is kept for backward;
                   dL/dx = WindowScatter(G): each window's gradient goes to its winner.
    WindowScatter  dx = zeros with G[n, c, i, j] added at the winner of window (i, j) (windows may overlap);
                   its derivative takes the gradient back from the winners: MaxPool with the winners given.

Both loop over the kh*kw kernel offsets (never over pixels), each a strided slice of the whole batch.
"""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from nn.im2col import Geometry, padded


class MaxPool(Function, on_arrays=True):
    """y = the max of each window (or, with `winners` given, the element at each window's winner);
    dL/dx = WindowScatter(G) to the winners."""

    @staticmethod
    def forward(ctx, x, geometry: Geometry, count: tuple[int, int], winners: np.ndarray | None):
        if winners is None:
            out, winners = largest(x, geometry, count)
        else:
            out = picked(x, geometry, winners)
        ctx.geometry, ctx.count, ctx.winners, ctx.input_shape = geometry, count, winners, x.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        return dual.apply(WindowScatter, grad, ctx.geometry, ctx.winners, ctx.input_shape), None, None, None


class WindowScatter(Function, on_arrays=True):
    """dx = zeros with each window's G added at its winner;  dL/dG = the gradient at the winners (MaxPool with
    the winners given)."""

    @staticmethod
    def forward(ctx, grad, geometry: Geometry, winners: np.ndarray, input_shape: tuple):
        (n, c, h, w), (top, bottom, left, right) = input_shape, geometry.padding
        image = np.zeros((n, c, h + top + bottom, w + left + right), dtype=grad.dtype)
        spans = (d * (k - 1) + 1 for k, d in zip(geometry.kernel, geometry.dilation))
        apart = all(s >= span or count == 1 for s, span, count in zip(geometry.stride, spans, grad.shape[2:]))
        finite = bool(np.isfinite(grad).all())  # then a product with the mask is exact (else inf * 0 is nan)
        for k, (_, _, window) in enumerate(geometry.offsets(grad.shape[2:])):
            target, chosen = image[(slice(None), slice(None)) + window], winners == k
            if apart and finite:  # no two windows share an element: each place gets one value
                np.multiply(grad, chosen, out=target)
            else:
                target += grad * chosen if finite else np.where(chosen, grad, 0)
        ctx.geometry, ctx.winners, ctx.count = geometry, winners, grad.shape[2:]
        return image[:, :, top:top + h, left:left + w]

    @staticmethod
    def backward(ctx, outer):
        return dual.apply(MaxPool, outer, ctx.geometry, ctx.count, ctx.winners), None, None, None


def largest(x: np.ndarray, geometry: Geometry, count: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The largest element of each window of x (N, C, H, W) padded with -inf, and its offset in the window (the
    first, in row-major order, on a tie): the maximum over the offsets' slices, then, per window, how many
    offsets come before the first that reaches it."""
    image = padded(x, geometry.padding, -np.inf)
    slices = [image[(slice(None), slice(None)) + window] for _, _, window in geometry.offsets(count)]
    out = slices[0].copy()
    for values in slices[1:]:
        np.maximum(out, values, out=out)
    winners = np.zeros(out.shape, dtype=np.min_scalar_type(len(slices)))
    found = slices[0] == out
    for values in slices[1:]:
        winners += ~found
        found |= values == out
    return out, winners


def picked(x: np.ndarray, geometry: Geometry, winners: np.ndarray) -> np.ndarray:
    """The element of each window of x (N, C, H, W) at its winner."""
    image = padded(x, geometry.padding)
    out = np.zeros(winners.shape, dtype=x.dtype)
    for k, (_, _, window) in enumerate(geometry.offsets(winners.shape[2:])):
        np.copyto(out, image[(slice(None), slice(None)) + window], where=winners == k)
    return out


def winner_indices(winners: np.ndarray, geometry: Geometry, width: int) -> np.ndarray:
    """Where each window's winner is, as the int64 index h*W + w into its (unpadded) input plane."""
    (_, kw), (sh, sw), (dh, dw) = geometry.kernel, geometry.stride, geometry.dilation
    top, _, left, _ = geometry.padding
    oh, ow = winners.shape[-2:]
    offsets = winners.astype(np.int64)
    rows = np.arange(oh)[:, None] * sh + offsets // kw * dh - top
    cols = np.arange(ow) * sw + offsets % kw * dw - left
    return rows * width + cols
