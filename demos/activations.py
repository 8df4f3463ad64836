"""Activation functions and their derivatives, the derivatives computed by backward (not by hand).

For each activation module f, x = linspace(-4, 4) requires grad; f(x).sum().backward() leaves f'(x) in
x.grad (each output depends on its own input only). The summary compares x.grad with central differences.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd
import nn
from demos.common import demo_main
from demos.plotting import plt, save


class ElementwiseMaxout(nn.Module):
    """The lecture's Maxout on one number x: max over pieces j of (w_j x + b_j), applied to every element."""

    def __init__(self, weights: list[float], biases: list[float]) -> None:
        super().__init__()
        self.maxout = nn.Maxout(1, 1, pieces=len(weights))
        self.maxout.weight.data[:] = np.reshape(weights, (-1, 1))
        self.maxout.bias.data[:] = biases

    def forward(self, x: autograd.Tensor) -> autograd.Tensor:
        return self.maxout(x.unsqueeze(-1)).squeeze(-1)


ACTIVATIONS = {
    "ReLU": nn.ReLU(), "LeakyReLU(0.1)": nn.LeakyReLU(0.1), "ELU": nn.ELU(), "GELU": nn.GELU(),
    "SiLU": nn.SiLU(), "Softplus": nn.Softplus(), "Sigmoid": nn.Sigmoid(), "Tanh": nn.Tanh(),
    "LogSigmoid": nn.LogSigmoid(), "Maxout max(x, -0.5x - 1)": ElementwiseMaxout([1.0, -0.5], [0.0, -1.0]),
}


def value_and_derivative(activation: nn.Module, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f'(x) by backpropagation: d/dx_i sum_j f(x_j) = f'(x_i)."""
    t = autograd.tensor(x, requires_grad=True)
    y = activation(t)
    y.sum().backward()
    return y.detach().numpy(), t.grad.numpy()


def run(folder: Path, fast: bool) -> dict:
    x = np.linspace(-4, 4, 400)  # an even count: 0, where ReLU has its kink, is not among the points
    h = 1e-6
    fig, axes = plt.subplots(2, 5, figsize=(20, 7.5), sharex=True)
    errors = {}
    for ax, (name, activation) in zip(axes.flat, ACTIVATIONS.items()):
        value, derivative = value_and_derivative(activation, x)
        numeric = (value_and_derivative(activation, x + h)[0] - value_and_derivative(activation, x - h)[0]) / (2 * h)
        errors[name] = float(np.max(np.abs(derivative - numeric)))
        ax.plot(x, value, "C0", label="f(x)")
        ax.plot(x, derivative, "C3--", label="f'(x) from backward")
        ax.axhline(0, color="0.7", linewidth=0.8)
        ax.axvline(0, color="0.7", linewidth=0.8)
        ax.set(title=name, ylabel="value")
        ax.legend(fontsize=8, loc="best")
    for ax in axes[-1]:
        ax.set_xlabel("x")
    fig.suptitle("Activation functions and their derivatives (computed by backward)")
    save(fig, folder / "activations.png")
    for name, error in errors.items():
        print(f"{name:>15}: backward vs central difference, largest gap {error:.1e}")
    return {"max_derivative_error": errors}


if __name__ == "__main__":
    demo_main("activations", run)
