"""Batch normalisation as one graph node, with its closed-form backward.

Per channel c (dimension 1), over the m values of the channel in the batch and its spatial dimensions:

    y = (x - mean) * invstd * w + b,   invstd = 1 / sqrt(var + eps)

training (mean and the biased var are the batch's, functions of x), with xhat = (x - mean) * invstd:

    dL/dx = w invstd (G - mean(G) - xhat mean(G xhat)),   dL/dw = sum(G xhat),   dL/db = sum(G)

evaluation (the running statistics, constants): dL/dx = w invstd G, dL/dw and dL/db the same.
Backward keeps x and the per-channel statistics, not xhat; in the recorded form (create_graph) the statistics are
computed again from x with Tensor ops, so that the gradient can be differentiated again.
"""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.tensor_class import Tensor


def channel_shape(x_ndim: int, channels: int) -> tuple[int, ...]:
    """(1, C, 1, ...): a per-channel array broadcast over an input with x_ndim dimensions."""
    return (1, channels) + (1,) * (x_ndim - 2)


def reduced_dims(x_ndim: int) -> tuple[int, ...]:
    """Every dimension but the channels' (1)."""
    return (0, *range(2, x_ndim))


class BatchNorm(Function, on_arrays=True):
    """y = (x - mean) invstd w + b per channel;  dL/dx = w invstd (G - mean(G) - xhat mean(G xhat)) when the
    statistics are the batch's (w invstd G otherwise), dL/dw = sum(G xhat), dL/db = sum(G)."""

    @staticmethod
    def forward(ctx, x, weight, bias, mean: np.ndarray, invstd: np.ndarray, training: bool, eps: float):
        shape = channel_shape(x.ndim, x.shape[1])
        scale = invstd if weight is None else invstd * weight
        shift = -mean * scale if bias is None else bias - mean * scale
        out = x * scale.reshape(shape)
        out += shift.reshape(shape)
        ctx.save_for_backward(x, weight)
        ctx.mean, ctx.invstd, ctx.training, ctx.eps = mean.reshape(shape), invstd.reshape(shape), training, eps
        ctx.count = x.size // max(x.shape[1], 1)  # values per channel
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        dims = reduced_dims(x.ndim)
        if ctx.training and isinstance(x, Tensor):  # recorded: the batch statistics as functions of x
            mean = x.mean(dims, keepdim=True)
            invstd = (x.var(dims, unbiased=False, keepdim=True) + ctx.eps) ** -0.5
        else:
            mean, invstd = ctx.mean, ctx.invstd
        dx, dw, db = ctx.needs_input_grad[:3]
        centered = x - mean
        grad_sum = grad.sum(axis=dims, keepdims=True)
        n, c = x.shape[:2]
        grad_dot = dual.einsum("ncl,ncl->c", grad.reshape(n, c, -1), centered.reshape(n, c, -1))  # sum(G xhat)
        grad_dot = grad_dot.reshape(ctx.mean.shape) * invstd
        grad_x = None
        if dx:
            scale = invstd if weight is None else invstd * weight.reshape(ctx.mean.shape)
            if ctx.training:  # the per-channel factors first, so that few full-size arrays are made
                grad_x = (grad - centered * (invstd * grad_dot / ctx.count) - grad_sum / ctx.count) * scale
            else:
                grad_x = grad * scale
        return (grad_x, grad_dot.reshape(-1) if dw else None, grad_sum.reshape(-1) if db else None,
                None, None, None, None)
