"""The character models of the names lesson, from counting to recurrence (the Transformer is demos.tiny_gpt_model).

Every model reads token indices `ids` (N, L) and returns logits (N, L, vocab_size): at each position, a score
for every character that may come next, given the characters up to and including that position. One loss, one
training loop and one sampler then serve them all.
"""
from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.functional as F
from autograd import Tensor


class Bigram(nn.Module):
    """The next character depends on the current one only: a table of log-probabilities made by counting.

    P(next = j | current = i) = (counts[i, j] + smoothing) / sum_k (counts[i, k] + smoothing). Adding
    `smoothing` to every count keeps a pair never seen in training from getting probability 0 (an infinite loss).
    Nothing is trained: the table is a buffer, not a Parameter.
    """

    def __init__(self, counts: np.ndarray, smoothing: float = 1.0) -> None:
        super().__init__()
        smoothed = counts + smoothing
        self.register_buffer("log_probs", autograd.tensor(np.log(smoothed / smoothed.sum(1, keepdims=True))))

    def forward(self, ids: Tensor) -> Tensor:
        return self.log_probs[ids]  # log-probabilities are logits: their softmax gives the probabilities back


class MLP(nn.Module):
    """Bengio et al. (2003): embed the last `context` characters, concatenate, a tanh hidden layer, then logits."""

    def __init__(self, vocab_size: int, context: int = 3, embedding_dim: int = 10, hidden_size: int = 200) -> None:
        super().__init__()
        self.context = context
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.hidden = nn.Linear(context * embedding_dim, hidden_size)
        self.output = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids: Tensor) -> Tensor:
        length = ids.shape[1]
        padded = F.pad(ids, (self.context - 1, 0))  # '.' (index 0) before the start of each name
        windows = autograd.stack([padded[:, k:k + length] for k in range(self.context)], dim=2)  # (N, L, context)
        x = self.embedding(windows).flatten(2)  # (N, L, context * embedding_dim)
        return self.output(autograd.tanh(self.hidden(x)))


class RecurrentModel(nn.Module):
    """Embed each character, run a recurrent layer (nn.RNN, nn.LSTM or nn.GRU) along the name, then logits.

    The hidden state carries what the layer has read so far, so the context is the whole name, not a window.
    """

    def __init__(self, vocab_size: int, layer: type[nn.RNNBase], embedding_dim: int = 16,
                 hidden_size: int = 64) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.rnn = layer(embedding_dim, hidden_size, batch_first=True)
        self.output = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids: Tensor) -> Tensor:
        outputs, _ = self.rnn(self.embedding(ids))  # the final state (h_n, and c_n for the LSTM) is not needed
        return self.output(outputs)  # (N, L, hidden_size) -> (N, L, vocab_size)
