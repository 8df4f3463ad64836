"""The Transformer (Vaswani et al., 2017) as torch.nn builds it: encoder and decoder layers, their stacks, and
the whole encoder-decoder model, with PyTorch's names, options and state_dict keys.

    encoder layer, post-norm (norm_first=False):  x = norm1(x + sa(x));  x = norm2(x + ff(x))
    encoder layer, pre-norm (norm_first=True):    x = x + sa(norm1(x));  x = x + ff(norm2(x))
    decoder layer: the same with cross-attention to the encoder's output (memory) between the two:
                   x = norm2(x + mha(x, memory)) (post-norm) or x = x + mha(norm2(x), memory) (pre-norm)

sa is self-attention (MultiheadAttention with need_weights=False) followed by dropout, ff is
linear2(dropout(activation(linear1(x)))) followed by dropout.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.factories import as_tensor
from autograd.tensor_class import Tensor
from nn import init
from nn.activation_functions import gelu, relu
from nn.attention import causal_mask
from nn.containers import ModuleList
from nn.dropout import Dropout
from nn.linear import Linear
from nn.module import Module
from nn.multihead_attention import MultiheadAttention
from nn.normalization import LayerNorm

ACTIVATIONS = {"relu": relu, "gelu": gelu}


def _activation(activation: str | Callable, owner: str) -> Callable:
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise RuntimeError(f"{owner}: activation should be relu/gelu or a callable, not {activation!r}")
        return ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"{owner}: activation should be relu/gelu or a callable, got {type(activation).__name__}")
    return activation


def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The (sz, sz) causal mask: 0 on and below the diagonal, -inf above (position i sees positions 0..i)."""
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    return as_tensor(causal_mask(sz, sz, dtype), device=device)


def _is_causal(mask: Any, is_causal: bool | None, size: int) -> bool:
    """PyTorch's reading of the is_causal hint: given, it is taken as it is; None means 'whether mask is the
    causal mask of this size'."""
    if is_causal is not None:
        return is_causal
    if mask is None or tuple(mask.shape) != (size, size):
        return False
    array = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    additive = np.where(array, -np.inf, 0.0) if array.dtype == np.bool_ else array  # True = may not attend
    return bool(np.array_equal(additive, causal_mask(size, size, np.float64)))


class _TransformerLayer(Module):
    """What the encoder and decoder layers share, under PyTorch's names and in its order: self-attention, the
    cross-attention of a decoder layer (multihead_attn), the feed-forward block and a LayerNorm and a dropout for
    each of these blocks."""

    _cross_attention = False

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = "relu", layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            dtype=dtype)
        if self._cross_attention:
            self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                     batch_first=batch_first, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        if self._cross_attention:
            self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias)
        self.dropout1, self.dropout2 = Dropout(dropout), Dropout(dropout)
        if self._cross_attention:
            self.dropout3 = Dropout(dropout)
        self.activation = _activation(activation, type(self).__name__)
        self.batch_first = batch_first
        if dtype is not None or device is not None:
            self.to(device=device, dtype=dtype)

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False,
                           is_causal=is_causal)[0]
        return self.dropout1(x)


class TransformerEncoderLayer(_TransformerLayer):
    """Self-attention and a feed-forward block, each with a residual connection, dropout and LayerNorm."""

    def forward(self, src: Tensor, src_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool = False) -> Tensor:
        """src (S, N, E) ((N, S, E) with batch_first, (S, E) unbatched); src_mask (S, S) or (N * nhead, S, S)
        and src_key_padding_mask (N, S) as MultiheadAttention's attn_mask and key_padding_mask."""
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoderLayer(_TransformerLayer):
    """Self-attention, cross-attention to the encoder's output (memory) and a feed-forward block, each with a
    residual connection, dropout and LayerNorm."""

    _cross_attention = True

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, tgt_key_padding_mask: Tensor | None = None,
                memory_key_padding_mask: Tensor | None = None, tgt_is_causal: bool = False,
                memory_is_causal: bool = False) -> Tensor:
        """tgt (T, N, E) and memory (S, N, E) ((N, T, E), (N, S, E) with batch_first); tgt_mask (T, T) and
        memory_mask (T, S) as attn_mask, the key padding masks (N, T) and (N, S)."""
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
        x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
        return self.norm3(x + self._ff_block(x))

    def _mha_block(self, x: Tensor, memory: Tensor, attn_mask: Any, key_padding_mask: Any,
                   is_causal: bool) -> Tensor:
        x = self.multihead_attn(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                need_weights=False, is_causal=is_causal)[0]
        return self.dropout2(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def _clones(layer: Module, num_layers: int) -> ModuleList:
    """num_layers independent copies of a layer (as PyTorch's stacks make: deep copies, same initial values)."""
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


def _sequence_length(x: Tensor, batch_first: bool) -> int:
    return x.shape[0] if x.ndim == 2 or not batch_first else x.shape[1]


class TransformerEncoder(Module):
    """num_layers copies of an encoder layer applied in turn, then an optional final norm.

    enable_nested_tensor and mask_check are accepted for PyTorch's signature; they choose PyTorch's inference fast
    path (eval mode without grad, batch_first, a key padding mask), which returns 0 at padded positions. Here
    those positions are always computed as in training; every other position agrees.
    """

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers, self.norm = num_layers, norm

    def forward(self, src: Tensor, mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                is_causal: bool | None = None) -> Tensor:
        batch_first = getattr(self.layers[0], "batch_first", False) if self.num_layers else False
        is_causal = _is_causal(mask, is_causal, _sequence_length(src, batch_first))
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal)
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    """num_layers copies of a decoder layer applied in turn (each attending to the same memory), then an
    optional final norm."""

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers, self.norm = num_layers, norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, tgt_key_padding_mask: Tensor | None = None,
                memory_key_padding_mask: Tensor | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        batch_first = getattr(self.layers[0], "batch_first", False) if self.num_layers else False
        tgt_is_causal = _is_causal(tgt_mask, tgt_is_causal, _sequence_length(tgt, batch_first))
        x = tgt
        for layer in self.layers:
            x = layer(x, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                      tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask,
                      tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)
        return x if self.norm is None else self.norm(x)


class Transformer(Module):
    """The encoder-decoder Transformer: an encoder of num_encoder_layers layers and a decoder of
    num_decoder_layers layers, each stack ending in a LayerNorm; every weight matrix xavier_uniform_."""

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6,
                 num_decoder_layers: int = 6, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = "relu", custom_encoder: Module | None = None,
                 custom_decoder: Module | None = None, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        options = dict(dim_feedforward=dim_feedforward, dropout=dropout, activation=activation,
                       layer_norm_eps=layer_norm_eps, batch_first=batch_first, norm_first=norm_first, bias=bias)
        if custom_encoder is None:
            layer = TransformerEncoderLayer(d_model, nhead, **options)
            custom_encoder = TransformerEncoder(layer, num_encoder_layers,
                                                LayerNorm(d_model, eps=layer_norm_eps, bias=bias))
        if custom_decoder is None:
            layer = TransformerDecoderLayer(d_model, nhead, **options)
            custom_decoder = TransformerDecoder(layer, num_decoder_layers,
                                                LayerNorm(d_model, eps=layer_norm_eps, bias=bias))
        self.encoder, self.decoder = custom_encoder, custom_decoder
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
        if dtype is not None or device is not None:
            self.to(device=device, dtype=dtype)

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Tensor | None = None, tgt_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, src_key_padding_mask: Tensor | None = None,
                tgt_key_padding_mask: Tensor | None = None, memory_key_padding_mask: Tensor | None = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:
        """src (S, N, E) and tgt (T, N, E) ((N, S, E) and (N, T, E) with batch_first) -> (T, N, E)."""
        batch = 0 if self.batch_first else 1
        if src.ndim != tgt.ndim or (src.ndim == 3 and src.shape[batch] != tgt.shape[batch]):
            raise RuntimeError(f"Transformer: the batch number of src {src.shape} and tgt {tgt.shape} must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"Transformer: the feature number of src {src.shape} and tgt {tgt.shape} must be "
                               f"equal to d_model={self.d_model}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """The (sz, sz) float mask with -inf above the diagonal and 0 elsewhere (position i sees 0..i)."""
        return generate_square_subsequent_mask(sz, device, dtype)
