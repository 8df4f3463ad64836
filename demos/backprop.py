"""Backpropagation, drawn: every value and gradient of f = (x + y) * z, a small MLP's graph with its
parameters' names, and the gradients' flow through a deep sigmoid network and a ReLU network.

- f = (x + y) * z at x = -2, y = 5, z = -4: forward gives q = x + y = 3 and f = q * z = -12. Backward starts
  from df/df = 1; mul sends df/dq = z = -4 and df/dz = q = 3; add passes -4 on to x and to y unchanged.
- In the MLP's graph each layer is one `linear` node (x W^T + b in a single op, as PyTorch's addmm), boxed
  with its weight and bias under the layer's name, fc1 and fc2; the loss follows as sub, mul, mean
  (the mean of (y_hat - y)^2).
- In a deep sigmoid network the gradient shrinks at every layer on the way back (sigmoid' <= 1/4): the
  layers next to the input hardly learn. With ReLU (and He initialisation) it keeps its size.

Pictures: backprop_graph.png, mlp_graph.png, gradient_flow.png, deep_sigmoid_graph.png (and SVGs of the
graphs, to zoom in, unless --fast).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

import autograd
import nn
from demos.common import demo_main
from nn.gradient_flow import layer_gradient_norms, plot_gradient_flow

DEPTH = 10  # linear layers in the deep networks


def save_graphs(root: autograd.Tensor, stem: Path, suffixes: list[str], **options: Any) -> list[Path]:
    """root's graph as stem.png (and stem.svg, ...), one file per suffix."""
    return [autograd.save_graph(root, stem.with_suffix(suffix), **options) for suffix in suffixes]


def draw_scalar_example(folder: Path, suffixes: list[str]) -> tuple[dict, list[Path]]:
    """f = (x + y) * z with q = x + y kept (and its gradient retained) so that the picture shows it."""
    x = autograd.tensor(-2.0, requires_grad=True)
    y = autograd.tensor(5.0, requires_grad=True)
    z = autograd.tensor(-4.0, requires_grad=True)
    q = x + y
    f = q * z
    q.retain_grad()
    f.retain_grad()  # its gradient, df/df = 1, is where backward starts
    f.backward()
    named = {"x": x, "y": y, "z": z, "q": q, "f": f}
    paths = save_graphs(f, folder / "backprop_graph", suffixes, names=named, dpi=120,
                        title="f = (x + y) * z: values forward, gradients backward")
    return {"f": f.item(), "q": q.item(), "grad": {name: t.grad.item() for name, t in named.items()}}, paths


class MLP(nn.Module):
    """2 -> 4 -> 1 with tanh: small enough that its weights and gradients fit in the picture."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, 4)
        self.fc2 = nn.Linear(4, 1)

    def forward(self, x: autograd.Tensor) -> autograd.Tensor:
        return self.fc2(self.fc1(x).tanh())


def draw_mlp(folder: Path, suffixes: list[str]) -> tuple[float, list[Path]]:
    """One training step's graph: the MLP's mean squared error on the four XOR points, after backward."""
    model = MLP()
    x = autograd.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    target = autograd.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss = nn.MSELoss()(model(x), target)
    loss.retain_grad()
    loss.backward()
    paths = save_graphs(loss, folder / "mlp_graph", suffixes, params=model.named_parameters(),
                        names={"loss": loss}, clusters=True, max_elements=8, dpi=110,
                        title="A 2-4-1 MLP: loss = mse(fc2(tanh(fc1(x))), y), after loss.backward()")
    return loss.item(), paths


def deep_network(activation: type[nn.Module], width: int) -> nn.Sequential:
    """DEPTH linear layers with `activation` between them; Xavier initialisation for sigmoid, He for ReLU."""
    layers: list[nn.Module] = []
    for _ in range(DEPTH):
        linear = nn.Linear(width, width)
        if activation is nn.ReLU:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        else:
            nn.init.xavier_uniform_(linear.weight)
        layers += [linear, activation()]
    return nn.Sequential(*layers[:-1])


def draw_gradient_flow(folder: Path, suffixes: list[str], width: int) -> tuple[dict, list[Path]]:
    """Both deep networks, one backward each on the same batch: the chart, and the sigmoid network's graph."""
    x, y = autograd.randn(64, width), autograd.randn(64, width)
    sigmoid, relu = "deep sigmoid (Xavier init)", "ReLU (He init)"
    networks = {sigmoid: deep_network(nn.Sigmoid, width), relu: deep_network(nn.ReLU, width)}
    losses = {label: nn.MSELoss()(model(x), y) for label, model in networks.items()}
    for loss in losses.values():
        loss.backward()
    fig = Figure(figsize=(8, 4.5))
    plot_gradient_flow(networks, fig.subplots(),
                       title=f"Gradient norm per layer of two {DEPTH}-layer networks, after one backward")
    fig.tight_layout()
    chart = folder / "gradient_flow.png"
    fig.savefig(chart, dpi=110)
    paths = save_graphs(losses[sigmoid], folder / "deep_sigmoid_graph", suffixes,
                        params=networks[sigmoid].named_parameters(), names={"loss": losses[sigmoid]},
                        rankdir="TB",
                        title=f"{DEPTH}-layer sigmoid network: the gradient fades on its way to the input")
    norms = {label: list(layer_gradient_norms(model).values()) for label, model in networks.items()}
    return norms, [chart, *paths]


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    suffixes = [".png"] if fast else [".png", ".svg"]
    scalar, pictures = draw_scalar_example(folder, suffixes)
    grad = scalar["grad"]
    print(f"f = (x + y) * z = {scalar['f']:g} with q = x + y = {scalar['q']:g}; df/dx = {grad['x']:g}, "
          f"df/dy = {grad['y']:g}, df/dz = {grad['z']:g}, df/dq = {grad['q']:g}")
    mlp_loss, paths = draw_mlp(folder, suffixes)
    pictures += paths
    print(f"MLP: loss {mlp_loss:.4f}")
    norms, paths = draw_gradient_flow(folder, suffixes, width=16 if fast else 32)
    pictures += paths
    for label, layers in norms.items():
        print(f"{label:>27}: ‖grad‖ of layer 1 {layers[0]:.1e}, of layer {DEPTH} {layers[-1]:.1e}")
    return {**scalar, "mlp_loss": mlp_loss, "layer_grad_norms": norms, "pictures": [p.name for p in pictures]}


if __name__ == "__main__":
    demo_main("backprop", run)
