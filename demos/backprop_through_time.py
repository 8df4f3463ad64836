"""Backpropagation through time: a recurrent network unrolled, and why its gradients fade over long sequences.

A recurrent cell applies the same weights at every step, h_t = tanh(x_t W_ih^T + h_(t-1) W_hh^T + b). Unrolled
over T steps it is a T-layer network whose layers share their weights; backpropagation through it (BPTT) sends
dL/dh_t back through dh_t/dh_(t-1) = diag(1 - h_t^2) W_hh at every step, and dL/dW_hh adds up the contribution
of every step. A product of many such Jacobians shrinks (or grows) geometrically: the loss at the end of a long
sequence hardly sees the first inputs. An LSTM carries its cell state forward additively, c_t = f c_(t-1) + i g,
so that dc_t/dc_(t-1) = f: with PyTorch's initialisation f is about 1/2 and the gradient still fades, a little
more slowly than the RNN's; with the forget gate's bias set to 2 (f about 0.88, the usual remedy) it lasts
over the whole sequence.

Pictures: unrolled_rnn.png (an RNN cell unrolled over 4 steps, one cluster per time step, every tensor
coloured by the size of its gradient: the inputs of the early steps get the smallest), and
gradient_through_time.png (||dL/dx_t|| for a loss on the last step of a long sequence, RNN against LSTM; in
float64, so that the smallest gradients do not round to 0).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd
import nn
from autograd import Tensor
from autograd.function import Function
from demos.common import demo_main
from demos.plotting import plt, save

UNROLLED_STEPS = 4
HIDDEN = 32


def nodes_behind(tensor: Tensor) -> set[Function]:
    """Every op node the tensor was computed from."""
    seen: set[Function] = set()
    stack = [tensor.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and node not in seen and node.parents:  # leaves' AccumulateGrad nodes are not ops
            seen.add(node)
            stack.extend(node.parents)
    return seen


def unrolled_graph() -> dict:
    """An RNNCell(2, 3) run over 4 steps by a Python loop and a loss on the last state, backpropagated: what
    draw_graph needs to draw it step by step (root, params, names, op_clusters), and the inputs."""
    autograd.manual_seed(0)
    cell = nn.RNNCell(2, 3)
    xs = [autograd.randn(1, 2, requires_grad=True) for _ in range(UNROLLED_STEPS)]
    h, names, step_of = None, {}, {}
    for t, x in enumerate(xs, start=1):
        before = nodes_behind(h) if h is not None else set()
        h = cell(x, h)
        h.retain_grad()
        names.update({f"x{t}": x, f"h{t}": h})
        step_of.update({node: f"time step {t}" for node in nodes_behind(h) - before})
    loss = (h * h).sum()
    loss.backward()
    return {"root": loss, "params": list(cell.named_parameters(prefix="cell")), "names": {**names, "loss": loss},
            "op_clusters": step_of, "inputs": xs}


def draw_unrolled(folder: Path) -> dict:
    graph = unrolled_graph()
    inputs = graph.pop("inputs")
    autograd.save_graph(**graph, path=folder / "unrolled_rnn.png", dpi=110,
                        title=f"RNNCell unrolled over {UNROLLED_STEPS} steps, loss = sum(h{UNROLLED_STEPS}^2)")
    return {"input_gradient_norms": [float(np.linalg.norm(x.grad.numpy())) for x in inputs],
            "clusters": len(set(graph["op_clusters"].values()))}


def gradient_through_time(layer: nn.Module, steps: int, batch: int = 16) -> np.ndarray:
    """||dL/dx_t|| averaged over a batch, for a loss that reads only the last step's output."""
    x = autograd.randn(steps, batch, layer.input_size, dtype=layer.weight_ih_l0.dtype, requires_grad=True)
    output, _ = layer(x)
    (output[-1] ** 2).sum().backward()
    return np.linalg.norm(x.grad.numpy(), axis=2).mean(axis=1)


def run(folder: Path, fast: bool) -> dict:
    results = draw_unrolled(folder)
    steps = 40 if fast else 100
    autograd.manual_seed(0)
    remembering = nn.LSTM(8, HIDDEN)
    with autograd.no_grad():  # the forget gate's rows of the biases (gates i, f, g, o): f = s(2 + ...)
        remembering.bias_ih_l0[HIDDEN:2 * HIDDEN] = 2.0
        remembering.bias_hh_l0[HIDDEN:2 * HIDDEN] = 0.0
    layers = {"RNN (tanh)": nn.RNN(8, HIDDEN).double(), "LSTM (PyTorch's init)": nn.LSTM(8, HIDDEN).double(),
              "LSTM, forget bias 2": remembering.double()}
    norms = {label: gradient_through_time(layer, steps) for label, layer in layers.items()}

    fig, ax = plt.subplots(figsize=(9, 5))
    for label, values in norms.items():
        ax.semilogy(np.arange(1, steps + 1), values, label=label)
    ax.set(title=f"Gradient reaching each input of a {steps}-step sequence (loss on the last step only)",
           xlabel="time step t", ylabel="‖dL/dx_t‖ (log scale)")
    ax.legend()
    save(fig, folder / "gradient_through_time.png")

    for label, values in norms.items():
        key = {"RNN (tanh)": "rnn", "LSTM (PyTorch's init)": "lstm", "LSTM, forget bias 2": "lstm_forget_bias"}[label]
        per_step = (values[0] / values[-1]) ** (1 / (steps - 1))
        results[key] = {"first_over_last": float(values[0] / values[-1]), "per_step": float(per_step)}
        print(f"{label:>21}: ||dL/dx_1|| / ||dL/dx_{steps}|| = {values[0] / values[-1]:.1e} "
              f"(x {per_step:.3f} per step back in time)")
    print("unrolled RNN cell, ||dL/dx_t|| for t = 1..4: "
          + ", ".join(f"{n:.3f}" for n in results["input_gradient_norms"]))
    return results


if __name__ == "__main__":
    demo_main("backprop_through_time", run)
