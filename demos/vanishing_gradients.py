"""Vanishing gradients: in a deep sigmoid network the first layers hardly learn.

Backpropagation multiplies, layer by layer, by each activation's derivative. sigmoid' <= 1/4, so the
gradient shrinks by about that factor per layer on the way back; relu' is 1 where a unit is active, and
with He (kaiming) initialisation the gradient keeps its size. Left: the gradient norm of each layer after
one backward pass through a 10-layer sigmoid network and a 10-layer ReLU network fed the same batch.
Right: the first layer's gradient norm as the network gets deeper, against a shrinking by 1/4 per layer.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import numpy as np

import autograd
import nn
from autograd import Tensor
from demos.backprop import DEPTH, deep_network
from demos.common import demo_main
from demos.plotting import plt, save
from nn.gradient_flow import layer_gradient_norms, plot_gradient_flow

WIDTH = 32


def with_layer_names(network: nn.Sequential) -> nn.Sequential:
    """The same modules, the linear ones named layer1, layer2, ... (so that the chart's ticks read as layers)."""
    names, count = [], 0
    for index, module in enumerate(network):
        count += isinstance(module, nn.Linear)
        names.append(f"layer{count}" if isinstance(module, nn.Linear) else f"activation{index}")
    return nn.Sequential(OrderedDict(zip(names, network)))


def first_layer_gradient_by_depth(network: nn.Sequential, x: Tensor, y: Tensor) -> list[float]:
    """The first layer's gradient norm in the network cut after its 1st, 2nd, ... linear layer (L: MSE)."""
    norms = []
    for depth in range(1, DEPTH + 1):
        prefix = network[:2 * depth - 1]
        prefix.zero_grad()
        nn.MSELoss()(prefix(x), y).backward()
        norms.append(layer_gradient_norms(prefix)["layer1"])
    return norms


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    x, y = autograd.randn(256, WIDTH), autograd.randn(256, WIDTH)
    networks = {"sigmoid (Xavier init)": with_layer_names(deep_network(nn.Sigmoid, WIDTH)),
                "ReLU (He init)": with_layer_names(deep_network(nn.ReLU, WIDTH))}
    by_depth = {label: first_layer_gradient_by_depth(network, x, y) for label, network in networks.items()}
    for network in networks.values():
        network.zero_grad()
        nn.MSELoss()(network(x), y).backward()

    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    plot_gradient_flow(networks, ax=left, title=f"Gradient norm per layer of two {DEPTH}-layer networks")
    depths = np.arange(1, DEPTH + 1)
    for index, (label, norms) in enumerate(by_depth.items()):
        right.semilogy(depths, norms, f"C{index}o-", label=label)
    sigmoid = by_depth["sigmoid (Xavier init)"]
    right.semilogy(depths, sigmoid[0] * 0.25 ** (depths - 1), "k:", label="× 1/4 per layer (sigmoid' ≤ 1/4)")
    right.set(title="First layer's gradient norm against depth", xlabel="number of layers",
              ylabel="‖gradient‖ of layer 1 (log scale)", xticks=depths)
    right.legend()
    save(fig, folder / "vanishing_gradients.png")

    results = {}
    for label, network in networks.items():
        norms = list(layer_gradient_norms(network).values())
        results[label.split()[0].lower()] = {"first_over_last": norms[0] / norms[-1], "by_depth": by_depth[label]}
        print(f"{label:>21}: layer 1 gradient norm {norms[0]:.2e}, layer {DEPTH} {norms[-1]:.2e} "
              f"(ratio {norms[0] / norms[-1]:.1e}); per extra layer the first layer's gradient is multiplied "
              f"by {(by_depth[label][-1] / by_depth[label][0]) ** (1 / (DEPTH - 1)):.2f} on average")
    return results


if __name__ == "__main__":
    demo_main("vanishing_gradients", run)
