"""cross_entropy's usual case in one cheap node: logits (N, C) and one class index per row, every index in range,
no class weights, no ignored target, no label smoothing (what a classifier's training step calls).

Each row's log-probabilities are x - max x - log sum e^(x - max x), and the loss picks one of them per row
through indices into the flattened logits (row * C + class: one numpy lookup, where a pair of index arrays
costs several).
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.softmax import LogSoftmax
from autograd.tensor_class import Tensor


class IndexCrossEntropy(Function, on_arrays=True):
    """l_i = log sum_c e^(x_ic) - x_iy_i (= -log softmax(x_i)[y_i]);  dl_i/dx_i = softmax(x_i) - onehot(y_i).

    'mean' divides the sum of the l_i by N (and the gradient is multiplied by 1/N); 'none' keeps the l_i. Values
    and gradients are those of log_softmax then nll_loss, bit for bit.
    """

    @staticmethod
    def forward(ctx, x, target, flat, reduction: str):
        shifted = x - np.maximum.reduce(x, axis=1, keepdims=True)
        log_sums = np.log(np.add.reduce(np.exp(shifted), axis=1, keepdims=True))
        losses = log_sums[:, 0] - shifted.take(flat)
        ctx.shifted, ctx.log_sums, ctx.flat, ctx.reduction = shifted, log_sums, flat, reduction
        ctx.save_for_backward(x, target)  # the target as given: refused if changed in place before backward
        if reduction == "none":
            return losses
        total = np.add.reduce(losses, None)
        return total / x.dtype.type(len(losses)) if reduction == "mean" else total

    @staticmethod
    def backward(ctx, grad):
        x, _ = ctx.saved_tensors  # reading the target checks that it is unchanged
        if ctx.reduction == "none":
            scale = grad.reshape(-1, 1)
        elif ctx.reduction == "mean":
            scale = grad * x.dtype.type(1 / len(ctx.flat))  # (1/N rounded once: as dividing in x's dtype)
        else:
            scale = grad
        if isinstance(x, Tensor):  # recorded: the log-probabilities as a function of x, to be differentiated again
            one_hot = np.zeros(x.shape, x.dtype)
            one_hot.reshape(-1)[ctx.flat] = 1
            return LogSoftmax.apply(x, 1).exp() * scale - one_hot * scale, None, None, None
        grad_x = np.exp(ctx.shifted - ctx.log_sums)  # softmax, as e^(log softmax): the bits of the chained losses
        grad_x *= scale
        grad_x.reshape(-1)[ctx.flat] -= scale.reshape(-1)  # minus the one-hot target, times the same scale
        return grad_x, None, None, None


def flat_class_indices(input: Tensor, target: Any, ignore_index: int) -> np.ndarray | None:
    """Where each row's target sits in the flattened logits (row * C + class), if IndexCrossEntropy can take
    them: a 1-d integer target of one index per row, each in [0, C) and none ignore_index. Else None, and the
    general path checks the target (and names what is wrong with it)."""
    rows, classes = input._data.shape
    indices = target._data if isinstance(target, Tensor) else target
    if type(indices) is not np.ndarray or indices.shape != (rows,) or indices.dtype.kind not in "iu" or not rows \
            or not classes:
        return None
    try:
        counts = np.bincount(indices, minlength=classes)  # refuses negative indices (and uint64's cast)
    except (ValueError, TypeError):
        return None
    if len(counts) > classes or (0 <= ignore_index < classes and counts[ignore_index]):
        return None
    return indices + _row_starts(rows, classes)


@functools.lru_cache(maxsize=32)
def _row_starts(rows: int, classes: int) -> np.ndarray:
    """0, C, 2C, ...: the flat index of each row's first logit (read-only, as it is shared)."""
    starts = np.arange(0, rows * classes, classes)
    starts.flags.writeable = False
    return starts
