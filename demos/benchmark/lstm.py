"""(e) one training step of an LSTM language model: tokens (sequence 64, batch 32, vocabulary 64) -> Embedding 64
-> LSTM 128 -> Linear to the vocabulary -> cross-entropy over every position, plain SGD; float32. The numpy
version has its forward, its backpropagation through time and its update written out by hand; PyTorch (when
installed) runs the same modules."""
from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

import nn
from demos.benchmark.steps import (
    LIBRARY,
    Framework,
    cross_entropy_by_hand,
    load_weights,
    over_positions,
    pytorch,
    training_step,
)
from demos.benchmark.timing import compare, installed_torch, ratio_line

VOCABULARY, EMBEDDING, HIDDEN, STEPS, BATCH = 64, 64, 128, 64, 32
LR = 0.1


def tokens() -> tuple[np.ndarray, np.ndarray]:
    """Inputs and next-token targets, time-major (STEPS, BATCH)."""
    text = np.random.default_rng(0).integers(0, VOCABULARY, (STEPS + 1, BATCH))
    return text[:-1], text[1:]


def initial_weights() -> dict[str, np.ndarray]:
    """The parameters under PyTorch's names, drawn as the modules draw them (U(-1/sqrt(H), 1/sqrt(H)) for the
    LSTM, U(-1/sqrt(in), 1/sqrt(in)) for the decoder, N(0, 1) for the embedding)."""
    rng = np.random.default_rng(1)

    def uniform(bound: float, *shape: int) -> np.ndarray:
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    bound = 1 / np.sqrt(HIDDEN)  # PyTorch's U(-1/sqrt(H), 1/sqrt(H)) for the LSTM and for the decoder (fan_in H)
    return {"embedding.weight": rng.standard_normal((VOCABULARY, EMBEDDING)).astype(np.float32),
            "lstm.weight_ih_l0": uniform(bound, 4 * HIDDEN, EMBEDDING),
            "lstm.weight_hh_l0": uniform(bound, 4 * HIDDEN, HIDDEN),
            "lstm.bias_ih_l0": uniform(bound, 4 * HIDDEN),
            "lstm.bias_hh_l0": uniform(bound, 4 * HIDDEN),
            "decoder.weight": uniform(bound, VOCABULARY, HIDDEN),
            "decoder.bias": uniform(bound, VOCABULARY)}


def language_model_class(ns: ModuleType) -> type:
    """The model as a Module class of the namespace `ns` (the library's nn or torch.nn): Embedding -> LSTM ->
    Linear decoder, under the names initial_weights() uses."""

    class LanguageModel(ns.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = ns.Embedding(VOCABULARY, EMBEDDING)
            self.lstm = ns.LSTM(EMBEDDING, HIDDEN)
            self.decoder = ns.Linear(HIDDEN, VOCABULARY)

        def forward(self, x):
            output, _ = self.lstm(self.embedding(x))
            return self.decoder(output)

    return LanguageModel


LanguageModel = language_model_class(nn)


def sgd_step(framework: Framework, model: Any) -> Callable[[], None]:
    """The step on `model` of the framework."""
    x, y = tokens()
    optimizer = framework.optim.SGD(model.parameters(), lr=LR)
    loss_fn = over_positions(framework.nn.functional.cross_entropy, VOCABULARY)
    return training_step(framework, model, loss_fn, optimizer, x, y.reshape(-1))


def library_step(model: nn.Module | None = None) -> Callable[[], None]:
    """The step on `model` (by default a new one with initial_weights())."""
    return sgd_step(LIBRARY, load_weights(LIBRARY, LanguageModel(), initial_weights()) if model is None else model)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def numpy_step(weights: dict[str, np.ndarray] | None = None) -> Callable[[], None]:
    """The step by hand on `weights` (updated in place; by default initial_weights())."""
    weights = initial_weights() if weights is None else weights
    embedding, w_ih, w_hh = weights["embedding.weight"], weights["lstm.weight_ih_l0"], weights["lstm.weight_hh_l0"]
    b_ih, b_hh = weights["lstm.bias_ih_l0"], weights["lstm.bias_hh_l0"]
    w_out, b_out = weights["decoder.weight"], weights["decoder.bias"]
    x, y = tokens()
    targets = y.reshape(-1)
    lr, h_size = np.float32(LR), HIDDEN

    def step() -> None:
        # forward: the input gates of every step in one product, then the recurrence
        embedded = embedding[x.reshape(-1)]  # (T*B, E)
        gates_x = (embedded @ w_ih.T + (b_ih + b_hh)).reshape(STEPS, BATCH, 4 * h_size)
        h, c = np.zeros((BATCH, h_size), np.float32), np.zeros((BATCH, h_size), np.float32)
        hs, cs, acts, tanh_cs = [h], [c], [], []
        for t in range(STEPS):
            pre = gates_x[t] + h @ w_hh.T
            i_f = _sigmoid(pre[:, :2 * h_size])
            i, f = i_f[:, :h_size], i_f[:, h_size:]
            g, o = np.tanh(pre[:, 2 * h_size:3 * h_size]), _sigmoid(pre[:, 3 * h_size:])
            c = f * c + i * g
            tanh_c = np.tanh(c)
            h = o * tanh_c
            hs.append(h)
            cs.append(c)
            acts.append((i, f, g, o))
            tanh_cs.append(tanh_c)
        outputs = np.concatenate(hs[1:])  # (T*B, H)
        _loss, d_logits = cross_entropy_by_hand(outputs @ w_out.T + b_out, targets)
        # backward: the decoder, then backpropagation through time
        d_w_out, d_b_out = d_logits.T @ outputs, d_logits.sum(axis=0)
        d_outputs = (d_logits @ w_out).reshape(STEPS, BATCH, h_size)
        d_pre = np.empty((STEPS, BATCH, 4 * h_size), np.float32)
        d_h, d_c = np.zeros((BATCH, h_size), np.float32), np.zeros((BATCH, h_size), np.float32)
        for t in reversed(range(STEPS)):
            i, f, g, o = acts[t]
            d_h = d_h + d_outputs[t]
            d_c = d_c + d_h * o * (1 - tanh_cs[t] ** 2)
            d_pre[t, :, :h_size] = d_c * g * i * (1 - i)
            d_pre[t, :, h_size:2 * h_size] = d_c * cs[t] * f * (1 - f)
            d_pre[t, :, 2 * h_size:3 * h_size] = d_c * i * (1 - g * g)
            d_pre[t, :, 3 * h_size:] = d_h * tanh_cs[t] * o * (1 - o)
            d_h, d_c = d_pre[t] @ w_hh, d_c * f
        d_pre = d_pre.reshape(-1, 4 * h_size)
        d_w_hh = d_pre.T @ np.concatenate(hs[:-1])
        d_w_ih, d_b = d_pre.T @ embedded, d_pre.sum(axis=0)
        d_embedding = np.zeros_like(embedding)
        np.add.at(d_embedding, x.reshape(-1), d_pre @ w_ih)
        for param, grad in ((embedding, d_embedding), (w_ih, d_w_ih), (w_hh, d_w_hh), (b_ih, d_b), (b_hh, d_b),
                            (w_out, d_w_out), (b_out, d_b_out)):
            param -= lr * grad

    return step


def torch_step(torch: ModuleType) -> Callable[[], None]:
    framework = pytorch(torch)
    return sgd_step(framework, load_weights(framework, language_model_class(torch.nn)(), initial_weights()))


def report(full: bool) -> dict:
    torch = installed_torch()
    steps = [library_step(), numpy_step()] + ([torch_step(torch)] if torch else [])
    times = compare(*steps, repeats=3, rounds=15)
    library, by_hand = times[:2]
    print(f"(e) LSTM language model training step: sequence {STEPS}, batch {BATCH}, vocabulary {VOCABULARY}, "
          f"embedding {EMBEDDING}, hidden {HIDDEN}, cross-entropy, SGD, float32; ratios to numpy by hand")
    print(ratio_line("library, nn.LSTM", library, by_hand, goal="at most 1.3x numpy, 2x PyTorch"))
    print(ratio_line("numpy by hand", by_hand, by_hand))
    figures = {"lstm_step_ratio": library / by_hand}
    if torch:
        print(ratio_line("PyTorch CPU", times[2], by_hand))
        figures["lstm_torch_ratio"] = library / times[2]
    return figures
