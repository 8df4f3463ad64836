"""Scaled dot-product attention (Vaswani et al., 2017), the core of every Transformer, as one graph node:

    S = Q K^T * scale + M,   P = softmax(S) (along the keys),   W = P * F,   out = W V

with Q (..., L, E), K (..., S, E), V (..., S, Ev); M an additive mask (0 where a query may look at a key,
-inf where it may not) and F a constant factor (the dropout mask scaled by 1/(1-p)). Its derivative, with
G = dL/dout:

    dL/dV = W^T G,   dL/dW = G V^T,   dL/dS = P * (dL/dW * F - sum_j P_j (dL/dW * F)_j),
    dL/dQ = dL/dS K * scale,   dL/dK = (dL/dS)^T Q * scale,   dL/dM = dL/dS

Dropout lives inside the node (as the saved factor F), because it acts between the softmax and the product
with V: outside, the node would have to hand out P and the fusion would be lost.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_flag, as_number, as_probability, as_tensor_argument
from autograd.ops.arithmetic import where
from autograd.random import numpy_rng
from autograd.tensor_class import Tensor


class ScaledDotProductAttention(Function, on_arrays=True):
    """out = (softmax(Q K^T * scale + M) * F) V in one node; the derivative is in the module's docstring.

    The attention weights P are the one thing the two forms of backward get differently: the array form
    reuses forward's, the Tensor form recomputes them from Q and K, so that they are differentiable again.
    """

    @staticmethod
    def forward(ctx, q, k, v, mask, factor, scale: float):
        scores = q @ np.swapaxes(k, -1, -2)
        scores *= scale
        if mask is not None:
            if np.broadcast_shapes(scores.shape, mask.shape) == scores.shape:
                scores += mask
            else:
                scores = scores + mask
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores, out=scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        ctx.scale, ctx.factor = scale, factor
        ctx.save_for_backward(q, k, v, mask, probs)
        return (probs if factor is None else probs * factor) @ v

    @staticmethod
    def backward(ctx, grad):
        q, k, v, mask, probs = ctx.saved_tensors
        if isinstance(q, Tensor):
            probs = attention_weights(q, k, mask, ctx.scale)
        factor, scale = ctx.factor, ctx.scale
        dq, dk, dv, dm = ctx.needs_input_grad[:4]
        weights = probs if factor is None else probs * factor
        d_weights = grad @ dual.matrix_transpose(v)
        if factor is not None:
            d_weights = d_weights * factor
        d_scores = probs * (d_weights - (d_weights * probs).sum(axis=-1, keepdims=True))
        return (d_scores @ k * scale if dq else None,
                dual.matrix_transpose(d_scores) @ q * scale if dk else None,
                dual.matrix_transpose(weights) @ grad if dv else None,
                d_scores if dm else None, None, None)


def attention_weights(q: Tensor, k: Tensor, mask: Any, scale: float) -> Tensor:
    """softmax(Q K^T * scale + M) along the keys, with the engine's elementary ops."""
    scores = q @ k.transpose(-1, -2) * scale
    if mask is not None:
        scores = scores + mask
    return scores.softmax(-1)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q K^T * scale + M) V over the last two dimensions: query (..., L, E), key (..., S, E),
    value (..., S, Ev) -> (..., L, Ev), as torch.nn.functional.scaled_dot_product_attention.

    attn_mask: boolean (True where a query may attend to a key) or additive float, broadcastable to (..., L, S);
    is_causal: query i attends to keys j <= i (the lower triangle of an L x S matrix; not with attn_mask);
    scale: 1/sqrt(E) by default; dropout_p: dropout on the attention weights (applied whenever > 0, as PyTorch);
    enable_gqa: key and value may have fewer heads (dimension -3) than query, each shared by a group of heads.
    A query that may attend to no key at all gets zeros (and zero gradients), as PyTorch's safe softmax gives.
    """
    op = "scaled_dot_product_attention"
    dropout_p, is_causal = as_probability(dropout_p, "dropout_p", op), as_flag(is_causal, "is_causal", op)
    scale = None if scale is None else as_number(scale, "scale", op)
    key, value = _check_qkv(op, query, key, value, as_flag(enable_gqa, "enable_gqa", op))
    if is_causal and attn_mask is not None:
        raise ValueError(f"{op}: give either attn_mask or is_causal=True, not both")
    target = query.shape[-2], key.shape[-2]
    dtype = query.dtype
    if is_causal:
        mask = causal_mask(*target, dtype)
    else:
        mask = additive_mask(op, attn_mask, dtype, True)
    weights_shape = np.broadcast_shapes(query.shape[:-2], key.shape[:-2]) + target
    if mask is not None and not _broadcasts(tuple(mask.shape), weights_shape):
        raise ValueError(f"{op}: attn_mask of shape {tuple(mask.shape)} does not broadcast to the attention "
                         f"weights' shape (..., L, S) = {weights_shape}")
    factor = None
    if mask is not None:
        dead = np.all((mask._data if isinstance(mask, Tensor) else mask) == -np.inf, axis=-1, keepdims=True)
        if dead.any():  # no key left for these queries: zeros, not the 0/0 of softmax
            mask = where(dead, 0.0, mask) if isinstance(mask, Tensor) else np.where(dead, 0, mask).astype(dtype)
            factor = (~dead).astype(dtype)
    if dropout_p > 0:
        keep = numpy_rng(None, op).random(weights_shape) >= dropout_p
        kept = keep * np.asarray(0.0 if dropout_p == 1 else 1 / (1 - dropout_p), dtype)
        factor = kept if factor is None else factor * kept
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    return ScaledDotProductAttention.apply(query, key, value, mask, factor, scale)


def _check_qkv(op: str, query: Tensor, key: Tensor, value: Tensor, enable_gqa: bool) -> tuple[Tensor, Tensor]:
    """Shapes and dtypes that fit; with enable_gqa, key and value repeated to the query's number of heads."""
    named = (("query", query), ("key", key), ("value", value))
    for name, t in named:
        as_tensor_argument(t, name, op)
    for name, t in named:
        if t.ndim < 2:
            raise ValueError(f"{op}: {name} must be a Tensor of shape (..., sequence, features), got {t.shape}")
        if t.dtype != query.dtype or t.dtype.kind != "f":
            raise TypeError(f"{op}: query, key and value must have one floating dtype, got {query.dtype}, "
                            f"{key.dtype} and {value.dtype}")
    if key.shape[-1] != query.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"{op}: expected query (..., L, E), key (..., S, E) and value (..., S, Ev), got "
                         f"{query.shape}, {key.shape} and {value.shape}")
    if enable_gqa and query.ndim >= 3 and key.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        heads, kv_heads = query.shape[-3], key.shape[-3]
        if kv_heads != value.shape[-3] or heads % kv_heads:
            raise ValueError(f"{op}: with enable_gqa the query's {heads} heads must be a multiple of the key's and "
                             f"value's (got key {key.shape}, value {value.shape})")
        key, value = (_repeat_heads(t, heads // kv_heads) for t in (key, value))
    try:
        np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except ValueError:
        raise ValueError(f"{op}: the batch dimensions of query {query.shape}, key {key.shape} and value "
                         f"{value.shape} do not broadcast") from None
    return key, value


def _repeat_heads(x: Tensor, groups: int) -> Tensor:
    """(..., H, S, E) -> (..., H * groups, S, E), each head repeated `groups` times in place (repeat_interleave)."""
    *batch, heads, length, features = x.shape
    repeated = x.unsqueeze(-3).expand(*batch, heads, groups, length, features)
    return repeated.reshape(*batch, heads * groups, length, features)


def causal_mask(queries: int, keys: int, dtype: Any) -> np.ndarray:
    """0 on and below the diagonal of a (queries, keys) matrix, -inf above: query i sees keys 0..i."""
    return np.triu(np.full((queries, keys), -np.inf, dtype=dtype), 1)


def additive_mask(op: str, mask: Any, dtype: Any, true_allows: bool) -> Any:
    """A boolean or float mask as the additive mask M: an array, or the Tensor itself when it requires grad.

    A boolean mask becomes 0 where a query may attend and -inf where not; `true_allows` says which of True or
    False allows (True in scaled_dot_product_attention, False in MultiheadAttention). A float mask must have
    the query's dtype.
    """
    if mask is None:
        return None
    array = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if array.dtype == np.bool_:
        additive = np.where(array if true_allows else ~array, 0, -np.inf).astype(dtype)
    elif array.dtype == dtype:
        additive = mask if isinstance(mask, Tensor) and mask.requires_grad else array
    else:
        raise TypeError(f"{op}: a mask must be boolean or of the query's dtype {dtype}, got {array.dtype}")
    return additive


def _broadcasts(shape: tuple, target: tuple) -> bool:
    """Whether `shape` broadcasts to (..., *target) without changing target's dimensions."""
    try:
        return np.broadcast_shapes(shape, target)[-len(target):] == target
    except ValueError:
        return False
