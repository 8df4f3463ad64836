"""(b) one training step of an MLP 784-256-128-10 (ReLU, softmax cross-entropy, batch 128, float32, plain SGD),
written with `nn.Linear` and with raw `@` and `+`; the numpy version has its forward, backward and update
written out by hand, and PyTorch (when installed) runs the `nn.Linear` model."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

import autograd as ag
import nn
import optim
from demos.benchmark.timing import compare, installed_torch, ratio_line

SIZES = [(784, 256), (256, 128), (128, 10)]
LR = 0.01


def mlp_data(batch: int = 128) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, 784)).astype(np.float32), rng.integers(0, 10, batch)


def initial_weights() -> list[tuple[np.ndarray, np.ndarray]]:
    """(weight (out, in), bias (out,)) per layer, drawn as nn.Linear draws them: U(-1/sqrt(in), 1/sqrt(in))."""
    rng = np.random.default_rng(0)
    return [((rng.uniform(-1, 1, (n_out, n_in)) / np.sqrt(n_in)).astype(np.float32),
             (rng.uniform(-1, 1, n_out) / np.sqrt(n_in)).astype(np.float32)) for n_in, n_out in SIZES]


def library_step() -> Callable[[], None]:
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    layers = [model[0], model[2], model[4]]
    with ag.no_grad():
        for layer, (w, b) in zip(layers, initial_weights()):
            layer.weight.copy_(ag.tensor(w))
            layer.bias.copy_(ag.tensor(b))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=LR)
    x, y = mlp_data()
    inputs, targets = ag.tensor(x), ag.tensor(y)

    def step() -> None:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()

    return step


def raw_library_step() -> Callable[[], None]:
    """The same network with its parameters as plain tensors and the layers written as `x @ W.T + b`."""
    params = [ag.tensor(array, requires_grad=True) for layer in initial_weights() for array in layer]
    optimizer = optim.SGD(params, lr=LR)
    x, y = mlp_data()
    inputs, targets = ag.tensor(x), ag.tensor(y)
    w1, b1, w2, b2, w3, b3 = params

    def step() -> None:
        optimizer.zero_grad()
        h1 = (inputs @ w1.T + b1).relu()
        h2 = (h1 @ w2.T + b2).relu()
        loss = nn.functional.cross_entropy(h2 @ w3.T + b3, targets)
        loss.backward()
        optimizer.step()

    return step


def numpy_step() -> Callable[[], None]:
    weights, biases = map(list, zip(*initial_weights()))
    x, y = mlp_data()
    lr = np.float32(LR)
    rows = np.arange(len(y))

    def step() -> None:
        (w1, w2, w3), (b1, b2, b3) = weights, biases
        z1 = x @ w1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        _loss = -log_probs[rows, y].mean()
        g = np.exp(log_probs)
        g[rows, y] -= 1
        g /= len(y)
        grads = [(g.T @ h2, g.sum(0))]
        g = (g @ w3) * (z2 > 0)
        grads.append((g.T @ h1, g.sum(0)))
        g = (g @ w2) * (z1 > 0)
        grads.append((g.T @ x, g.sum(0)))
        for (gw, gb), w, b in zip(reversed(grads), weights, biases):
            w -= lr * gw
            b -= lr * gb

    return step


def torch_step(torch) -> Callable[[], None]:
    tnn = torch.nn
    model = tnn.Sequential(tnn.Linear(784, 256), tnn.ReLU(), tnn.Linear(256, 128), tnn.ReLU(), tnn.Linear(128, 10))
    with torch.no_grad():
        for layer, (w, b) in zip([model[0], model[2], model[4]], initial_weights()):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    loss_fn = tnn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    x, y = mlp_data()
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)

    def step() -> None:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()

    return step


def report(full: bool) -> dict:
    torch = installed_torch()
    steps = [library_step(), raw_library_step(), numpy_step()] + ([torch_step(torch)] if torch else [])
    times = compare(*steps, repeats=20)
    linear, raw, by_hand = times[:3]
    print("(b) MLP 784-256-128-10 training step, ReLU, cross-entropy, batch 128, float32, SGD; ratios to numpy by hand")
    print(ratio_line("library, nn.Linear", linear, by_hand, goal="at most 1.05x"))
    print(ratio_line("library, raw @ and +", raw, by_hand, goal="at most 1.10x"))
    print(ratio_line("numpy by hand", by_hand, by_hand))
    figures = {"step_ratio": linear / by_hand, "raw_step_ratio": raw / by_hand}
    if torch:
        print(ratio_line("PyTorch CPU", times[3], by_hand))
        figures["torch_ratio"] = linear / times[3]
    return figures
