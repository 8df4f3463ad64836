"""`MultiheadAttention`: attention in num_heads subspaces at once, as torch.nn.MultiheadAttention.

    Q = query W_q^T + b_q,  K = key W_k^T + b_k,  V = value W_v^T + b_v    (each split into num_heads heads of
    head_dim = embed_dim / num_heads features)
    head_h = softmax(Q_h K_h^T / sqrt(head_dim) + M) V_h,   out = concat(head_1..head_H) W_o^T + b_o

W_q, W_k, W_v are the rows of in_proj_weight (3E, E) (or q_proj_weight, k_proj_weight, v_proj_weight when
kdim or vdim differ from embed_dim), b_q, b_k, b_v those of in_proj_bias, and W_o, b_o are out_proj's, so that
a PyTorch state_dict loads as it is. M merges attn_mask and key_padding_mask (True = may NOT attend, the
opposite of scaled_dot_product_attention's boolean masks, as in PyTorch).

As in PyTorch, need_weights=True (the default) computes the weights with the elementary ops (softmax, dropout,
product) and returns them; need_weights=False calls scaled_dot_product_attention (one graph node). A query
that may attend to no key gets NaN in the first case and zeros in the second, as in PyTorch.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.arguments import as_tensor_argument
from autograd.ops.joining import cat
from autograd.tensor_class import Tensor
from nn import init
from nn.attention import additive_mask, scaled_dot_product_attention
from nn.dropout import dropout
from nn.linear import Linear, linear
from nn.module import Module
from nn.parameter import Parameter

NAME = "MultiheadAttention"


class MultiheadAttention(Module):
    """Multi-head attention with PyTorch's parameters, options, initialisation and return values."""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"{NAME}: embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                             f"and num_heads={num_heads}")
        if embed_dim % num_heads:
            raise ValueError(f"{NAME}: embed_dim must be divisible by num_heads, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads}")
        self.embed_dim, self.num_heads, self.head_dim = embed_dim, num_heads, embed_dim // num_heads
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.dropout, self.batch_first, self.add_zero_attn = dropout, batch_first, add_zero_attn
        dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.register_parameter("in_proj_weight", None)
            self.q_proj_weight = Parameter(np.empty((embed_dim, embed_dim), dtype))
            self.k_proj_weight = Parameter(np.empty((embed_dim, self.kdim), dtype))
            self.v_proj_weight = Parameter(np.empty((embed_dim, self.vdim), dtype))
        if bias:
            self.in_proj_bias = Parameter(np.empty(3 * embed_dim, dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias).to(dtype)
        if add_bias_kv:
            self.bias_k = Parameter(np.empty((1, 1, embed_dim), dtype))
            self.bias_v = Parameter(np.empty((1, 1, embed_dim), dtype))
        else:
            self.bias_k = self.bias_v = None
        self._reset_parameters()
        if device is not None:
            self.to(device)

    def _reset_parameters(self) -> None:
        """As PyTorch: xavier_uniform_ on the in-projections, zero biases, xavier_normal_ on bias_k and bias_v
        (out_proj.weight keeps Linear's initialisation)."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """query (L, N, E), key (S, N, kdim), value (S, N, vdim) ((N, L, E) ... with batch_first; (L, E) ...
        unbatched) -> (output like query, weights (N, L, S) averaged over heads, (N, H, L, S) if not
        average_attn_weights, or None when not need_weights).

        key_padding_mask (N, S): True (or -inf) marks keys to ignore; attn_mask (L, S) or (N * num_heads, L, S):
        True (or -inf) where a query may not attend; is_causal: a hint that attn_mask is the causal mask (it
        must be given, as in PyTorch).
        """
        batched = self._check_inputs(query, key, value)
        query, key, value = (self._batch_first(t, batched) for t in (query, key, value))
        n, length, _ = query.shape
        source = key.shape[1]
        mask = self._merged_mask(query, key_padding_mask, attn_mask, batched, (n, length, source))
        if is_causal and attn_mask is None:
            raise RuntimeError(f"{NAME}: is_causal=True needs attn_mask (the causal mask, which "
                               "Transformer.generate_square_subsequent_mask makes)")
        q, k, v = self._project(query, key, value)
        if self.bias_k is not None:
            k = cat([k, self.bias_k.expand(n, 1, self.embed_dim)], 1)
            v = cat([v, self.bias_v.expand(n, 1, self.embed_dim)], 1)
            mask = _pad_key(mask)
        q, k, v = (self._split_heads(t) for t in (q, k, v))
        if self.add_zero_attn:
            zeros = Tensor._wrap(np.zeros((n, self.num_heads, 1, self.head_dim), q.dtype))
            k, v = cat([k, zeros], 2), cat([v, zeros], 2)
            mask = _pad_key(mask)
        p = self.dropout if self.training else 0.0
        if need_weights:
            scores = q * math.sqrt(1.0 / self.head_dim) @ k.transpose(-1, -2)
            weights = dropout((scores if mask is None else scores + mask).softmax(-1), p)
            heads = weights @ v
            weights = weights.mean(1) if average_attn_weights else weights
        else:
            causal_hint = is_causal and key_padding_mask is None  # PyTorch then ignores attn_mask
            heads = scaled_dot_product_attention(q, k, v, None if causal_hint else mask, p, causal_hint)
            weights = None
        out = linear(heads.permute(0, 2, 1, 3).reshape(n, length, self.embed_dim), self.out_proj.weight,
                     self.out_proj.bias)
        if not batched:
            return out.squeeze(0), None if weights is None else weights.squeeze(0)
        return (out if self.batch_first else out.transpose(0, 1)), weights

    def _check_inputs(self, query: Tensor, key: Tensor, value: Tensor) -> bool:
        """Whether the inputs are batched (3-D); their sizes must fit the module's."""
        for name, t in (("query", query), ("key", key), ("value", value)):
            as_tensor_argument(t, name, NAME)
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ValueError(f"{NAME}: query, key and value must all be 3-D (batched) or all 2-D (unbatched), got "
                             f"shapes {query.shape}, {key.shape} and {value.shape}")
        layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
        sizes = (("query", query, self.embed_dim), ("key", key, self.kdim), ("value", value, self.vdim))
        for name, t, size in sizes:
            if t.shape[-1] != size:
                raise ValueError(f"{NAME}: expected {name} of shape {layout} with E = {size}, got {t.shape}")
        batch = 0 if self.batch_first else 1
        if key.shape[:-1] != value.shape[:-1] or (query.ndim == 3 and query.shape[batch] != key.shape[batch]):
            raise ValueError(f"{NAME}: query {query.shape}, key {key.shape} and value {value.shape} must have one "
                             f"batch size and key and value one sequence length (layout {layout})")
        return query.ndim == 3

    def _batch_first(self, t: Tensor, batched: bool) -> Tensor:
        if not batched:
            return t.unsqueeze(0)
        return t if self.batch_first else t.transpose(0, 1)

    def _merged_mask(self, query: Tensor, key_padding_mask: Any, attn_mask: Any, batched: bool,
                     sizes: tuple[int, int, int]) -> Any:
        """attn_mask and key_padding_mask as one additive mask of shape (N or 1, H or 1, L, S), or None."""
        n, length, source = sizes
        heads = self.num_heads
        mask = additive_mask(NAME, attn_mask, query.dtype, False)
        if mask is not None:
            shapes = {2: (length, source), 3: ((n if batched else 1) * heads, length, source)}
            if mask.ndim not in shapes or tuple(mask.shape) != shapes[mask.ndim]:
                raise ValueError(f"{NAME}: attn_mask must have shape {shapes[2]} or {shapes[3]}, got "
                                 f"{tuple(mask.shape)}")
            mask = mask.reshape(1, 1, length, source) if mask.ndim == 2 else mask.reshape(n, heads, length, source)
        padding = additive_mask(NAME, key_padding_mask, query.dtype, False)
        if padding is not None:
            expected = (n, source) if batched else (source,)
            if tuple(padding.shape) != expected:
                raise ValueError(f"{NAME}: key_padding_mask must have shape {expected} (one entry per key), got "
                                 f"{tuple(padding.shape)}")
            padding = padding.reshape(n, 1, 1, source)
            mask = padding if mask is None else mask + padding
        return mask

    def _project(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """The in-projections of query, key and value (N, *, E): the rows of in_proj_weight or the q/k/v weights."""
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            weights = [self.in_proj_weight[i * e:(i + 1) * e] for i in range(3)]
        else:
            weights = [self.q_proj_weight, self.k_proj_weight, self.v_proj_weight]
        bias = self.in_proj_bias
        biases = [None] * 3 if bias is None else [bias[i * e:(i + 1) * e] for i in range(3)]
        return tuple(linear(t, w, b) for t, w, b in zip((query, key, value), weights, biases))

    def _split_heads(self, t: Tensor) -> Tensor:
        """(N, L, E) -> (N, H, L, head_dim)."""
        n, length, _ = t.shape
        return t.reshape(n, length, self.num_heads, self.head_dim).permute(0, 2, 1, 3)

    def extra_repr(self) -> str:
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
                f"batch_first={self.batch_first}")


def _pad_key(mask: Any) -> Any:
    """The mask with one more key (the added bias or zero key) that every query may attend to."""
    if mask is None:
        return None
    if isinstance(mask, Tensor):
        return cat([mask, Tensor._wrap(np.zeros(mask.shape[:-1] + (1,), mask.dtype))], -1)
    return np.concatenate([mask, np.zeros(mask.shape[:-1] + (1,), mask.dtype)], -1)
