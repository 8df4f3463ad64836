"""Layer normalisation as one graph node (nn.LayerNorm and F.layer_norm use it): over the last dimensions D
(n elements per sample),

    mu = mean(x),  var = mean((x - mu)^2),  r = 1 / sqrt(var + eps),  x^ = (x - mu) r,  y = x^ w + b

and its derivative, with G = dL/dy and g = G w:

    dL/dx = r (g - mean(g) - x^ mean(g x^)),   dL/dw = G x^,   dL/db = G     (summed over the other dimensions)
"""
from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.tensor_class import Tensor


class _LayerNorm(Function, on_arrays=True):
    """y = (x - mean) / sqrt(var + eps) * w + b over the dimensions `dims`; the derivative is in the module's
    docstring. x^ and r are the two things the forms of backward get differently: the array form reuses
    forward's, the Tensor form recomputes them from x, so that they are differentiable again."""

    @staticmethod
    def forward(ctx, x, weight, bias, dims: tuple[int, ...], eps: float):
        centered = x - x.mean(axis=dims, keepdims=True)
        rstd = 1 / np.sqrt((centered * centered).mean(axis=dims, keepdims=True) + eps)
        normalized = centered * rstd
        ctx.dims, ctx.eps = dims, eps
        ctx.save_for_backward(x, weight, normalized, rstd)
        out = normalized if weight is None else normalized * weight
        return out if bias is None else out + bias

    @staticmethod
    def backward(ctx, grad):
        x, weight, normalized, rstd = ctx.saved_tensors
        if isinstance(x, Tensor):
            normalized, rstd = _normalized(x, ctx.dims, ctx.eps)
        dx, dw, db = ctx.needs_input_grad[:3]
        dims = ctx.dims
        g = grad if weight is None else grad * weight
        return (rstd * (g - g.mean(axis=dims, keepdims=True)
                        - normalized * (g * normalized).mean(axis=dims, keepdims=True)) if dx else None,
                grad * normalized if dw else None,
                grad if db else None, None, None)


def _normalized(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor]:
    """x^ and r of the module's docstring, with the engine's elementary ops."""
    centered = x - x.mean(dims, keepdim=True)
    rstd = 1 / ((centered * centered).mean(dims, keepdim=True) + eps).sqrt()
    return centered * rstd, rstd


def fused_layer_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, dims: tuple[int, ...],
                     eps: float) -> Tensor:
    """Layer normalisation of `input` over `dims` (its last dimensions), in one node; weight and bias have the
    shape of those dimensions (shapes are checked by the caller, nn.normalization.layer_norm)."""
    return _LayerNorm.apply(input, weight, bias, dims, eps)
