"""(b) one training step of an MLP 784-256-128-10 (ReLU, softmax cross-entropy, batch 128, float32, plain SGD),
written with `nn.Linear` and with raw `@` and `+`; the numpy version has its forward, backward and update
written out by hand, and PyTorch (when installed) runs the `nn.Linear` model."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

import autograd as ag
import nn
import optim
from demos.benchmark.steps import (
    LIBRARY,
    Framework,
    pytorch,
    relu_mlp_by_hand,
    sequential_sgd_step,
    training_step,
)
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


def mlp_layers(ns) -> list:
    """The network as a list of layers of the namespace `ns` (the library's nn or torch.nn)."""
    return [ns.Linear(784, 256), ns.ReLU(), ns.Linear(256, 128), ns.ReLU(), ns.Linear(128, 10)]


def initial_arrays() -> list[np.ndarray]:
    """initial_weights() in the order of the model's parameters: weight, bias, weight, bias, ..."""
    return [array for layer in initial_weights() for array in layer]


def sgd_step(framework: Framework) -> Callable[[], None]:
    """The `nn.Linear` model's step in the framework."""
    return sequential_sgd_step(framework, mlp_layers(framework.nn), initial_arrays(), LR, *mlp_data())


def raw_library_step() -> Callable[[], None]:
    """The same network with its parameters as plain tensors and the layers written as `x @ W.T + b`."""
    params = [ag.tensor(array, requires_grad=True) for array in initial_arrays()]
    w1, b1, w2, b2, w3, b3 = params

    def forward(inputs: ag.Tensor) -> ag.Tensor:
        h1 = (inputs @ w1.T + b1).relu()
        h2 = (h1 @ w2.T + b2).relu()
        return h2 @ w3.T + b3

    optimizer = optim.SGD(params, lr=LR)
    return training_step(LIBRARY, forward, nn.functional.cross_entropy, optimizer, *mlp_data())


def numpy_step() -> Callable[[], None]:
    params = initial_arrays()
    x, y = mlp_data()
    lr = np.float32(LR)

    def step() -> None:
        grads, _ = relu_mlp_by_hand(x, y, params)
        for param, grad in zip(params, grads):
            param -= lr * grad

    return step


def report(full: bool) -> dict:
    torch = installed_torch()
    steps = [sgd_step(LIBRARY), raw_library_step(), numpy_step()] + ([sgd_step(pytorch(torch))] if torch else [])
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
