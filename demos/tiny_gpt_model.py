"""The small causal Transformer of demos.tiny_gpt (and of the benchmark's Transformer step): GPT's layout.

    x = token_embedding(ids) + position_embedding[:L]
    x = pre-norm Transformer blocks (x + attention(LayerNorm(x)), x + feed-forward(LayerNorm(x))), causal mask
    logits = head(LayerNorm(x))
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

import nn


def tiny_gpt_class(nn: ModuleType) -> type:
    """The model written against an `nn` namespace: this library's, or torch.nn (the benchmark builds PyTorch's
    twin from the same code)."""

    class TinyGPT(nn.Module):
        """A decoder-only language model: each position predicts the next token from itself and the ones before."""

        def __init__(self, vocab_size: int, context: int, d_model: int = 64, nhead: int = 4,
                     dim_feedforward: int = 256, num_layers: int = 2, dropout: float = 0.0) -> None:
            super().__init__()
            self.context = context
            self.token = nn.Embedding(vocab_size, d_model)
            self.position = nn.Embedding(context, d_model)
            layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True,
                                               norm_first=True)
            self.blocks = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model),
                                                enable_nested_tensor=False)
            self.head = nn.Linear(d_model, vocab_size)

        def forward(self, ids: Any) -> Any:
            """ids (N, L) of token indices, L <= context -> logits (N, L, vocab_size) for the token after each."""
            length = ids.shape[1]
            x = self.token(ids) + self.position.weight[:length]
            mask = nn.Transformer.generate_square_subsequent_mask(length)
            return self.head(self.blocks(x, mask=mask, is_causal=True))

    return TinyGPT


TinyGPT = tiny_gpt_class(nn)
