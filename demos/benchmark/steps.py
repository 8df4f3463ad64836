"""The training steps the workloads time, built one way for the library and for PyTorch (their tensors, nn and
optim have the same API), and what the steps written by hand in numpy share."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

import autograd as ag
import nn
import optim


class Framework(NamedTuple):
    """Where a framework keeps what a step needs: tensors (tensor, no_grad), nn and optim."""
    tensors: ModuleType
    nn: ModuleType
    optim: ModuleType


LIBRARY = Framework(ag, nn, optim)


def pytorch(torch: ModuleType) -> Framework:
    return Framework(torch, torch.nn, torch.optim)


def copy_weights(framework: Framework, parameters: Iterable, arrays: Iterable[np.ndarray]) -> None:
    """Each array copied into the parameter at its place."""
    with framework.tensors.no_grad():
        for parameter, array in zip(parameters, arrays):
            parameter.copy_(framework.tensors.tensor(array))


def load_weights(framework: Framework, model: Any, weights: Mapping[str, np.ndarray], strict: bool = True) -> Any:
    """The model with the arrays copied into its parameters of those names."""
    model.load_state_dict({name: framework.tensors.tensor(array) for name, array in weights.items()}, strict=strict)
    return model


def over_positions(loss_fn: Callable, classes: int) -> Callable:
    """loss_fn of logits (..., classes) over every position: the logits flattened to (positions, classes)."""
    return lambda logits, targets: loss_fn(logits.reshape(-1, classes), targets)


def training_step(framework: Framework, model: Callable, loss_fn: Callable, optimizer: Any, x: np.ndarray,
                  y: np.ndarray) -> Callable[[], None]:
    """One step on the batch (x, y) a call: gradients zeroed, loss_fn(model(x), y) backpropagated, the
    optimizer's update."""
    inputs, targets = framework.tensors.tensor(x), framework.tensors.tensor(y)

    def step() -> None:
        optimizer.zero_grad()
        loss_fn(model(inputs), targets).backward()
        optimizer.step()

    return step


def sequential_sgd_step(framework: Framework, layers: list, arrays: list[np.ndarray], lr: float, x: np.ndarray,
                        y: np.ndarray) -> Callable[[], None]:
    """The training step of the layers in sequence from the given weights: cross-entropy, plain SGD."""
    model = framework.nn.Sequential(*layers)
    copy_weights(framework, model.parameters(), arrays)
    optimizer = framework.optim.SGD(model.parameters(), lr=lr)
    return training_step(framework, model, framework.nn.CrossEntropyLoss(), optimizer, x, y)


def cross_entropy_by_hand(logits: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean cross-entropy of the rows of logits against the class indices, and its gradient (softmax - one
    hot) / rows, in numpy."""
    rows = np.arange(len(targets))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, targets].mean()
    grad = np.exp(log_probs)
    grad[rows, targets] -= 1
    grad /= len(targets)
    return loss, grad


def relu_mlp_by_hand(x: np.ndarray, y: np.ndarray, params: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Three Linear layers with ReLU between them and the cross-entropy against y, forward and backward in numpy:
    the gradients of params (w1, b1, w2, b2, w3, b3), and dL/dz1 at the first layer's output (dL/dx = dL/dz1 w1)."""
    w1, b1, w2, b2, w3, b3 = params
    z1 = x @ w1.T + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2.T + b2
    h2 = np.maximum(z2, 0)
    _loss, g3 = cross_entropy_by_hand(h2 @ w3.T + b3, y)
    g2 = (g3 @ w3) * (z2 > 0)
    g1 = (g2 @ w2) * (z1 > 0)
    return [g1.T @ x, g1.sum(0), g2.T @ h1, g2.sum(0), g3.T @ h2, g3.sum(0)], g1
