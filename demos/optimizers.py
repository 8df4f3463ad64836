"""SGD, Momentum, Adam and AdamW on a 2-d loss surface shaped as an elongated valley.

f(x, y) = (x - 2)^2 / 20 + (y - 1)^2 has its minimum 0 at (2, 1) and is 20 times steeper across the valley (y)
than along it (x). Each optimizer starts at the same point and updates the two coordinates of one Parameter
from their gradients. SGD with a large step zigzags across the valley; Momentum builds up speed along it and
overshoots; Adam scales each coordinate's step by its gradient's running size, so it first heads diagonally;
AdamW's decoupled weight decay pulls the parameters toward 0, so it settles short of the minimum.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import nn
import optim
from autograd import Tensor
from demos.common import demo_main
from demos.plotting import plt, save
from demos.training import train

START = (-6.0, -1.5)
MINIMUM = (2.0, 1.0)
OPTIMIZERS = {  # name: (class, options); learning rates chosen for this surface
    "SGD": (optim.SGD, {"lr": 0.9}),
    "Momentum": (optim.Momentum, {"lr": 0.1, "momentum": 0.9}),
    "Adam": (optim.Adam, {"lr": 0.3}),
    "AdamW": (optim.AdamW, {"lr": 0.3, "weight_decay": 0.1}),
}


def valley(p: Tensor) -> Tensor:
    """f(x, y) = (x - 2)^2 / 20 + (y - 1)^2 for p = (x, y); works on numpy arrays too (for the contours)."""
    return (p[0] - 2) ** 2 / 20 + (p[1] - 1) ** 2


def descend(make: type[optim.Optimizer], options: dict, steps: int) -> tuple[np.ndarray, list[float]]:
    """The path of (x, y) and the loss of each step, starting from START."""
    p = nn.Parameter(np.array(START, dtype=np.float64))
    path = []

    def loss() -> Tensor:
        path.append(p.detach().numpy().copy())  # where this step starts
        return valley(p)

    losses = train(loss, make([p], **options), steps, make.__name__)
    path.append(p.detach().numpy().copy())
    return np.array(path), losses


def run(folder: Path, fast: bool) -> dict:
    steps = 60 if fast else 100
    runs = {name: descend(make, options, steps) for name, (make, options) in OPTIMIZERS.items()}

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1.3, 1]})
    xx, yy = np.meshgrid(np.linspace(-7, 4, 300), np.linspace(-2.5, 3.5, 300))
    left.contour(xx, yy, valley(np.stack([xx, yy])), levels=np.geomspace(0.01, 12, 12), colors="0.6",
                 linewidths=0.8)
    for index, (name, (path, _)) in enumerate(runs.items()):
        options = ", ".join(f"{k}={v}" for k, v in OPTIMIZERS[name][1].items())
        left.plot(*path.T, f"C{index}.-", markersize=2.5, linewidth=1, label=f"{name} ({options})")
    left.plot(*START, "ko", label="start")
    left.plot(*MINIMUM, "k*", markersize=14, label="minimum (2, 1)")
    left.set(title=f"Paths on f(x, y) = (x - 2)$^2$/20 + (y - 1)$^2$, {steps} steps", xlabel="x", ylabel="y",
             xlim=(-7, 4), ylim=(-2.5, 3.5))
    left.legend(loc="lower right", fontsize=8)
    for index, (name, (_, losses)) in enumerate(runs.items()):
        right.semilogy(losses, f"C{index}", label=name)
    right.set(title="Loss per step", xlabel="step", ylabel="f(x, y) (log scale)")
    right.legend()
    save(fig, folder / "optimizers.png")

    results = {}
    for name, (path, losses) in runs.items():
        results[name] = {"final": path[-1].tolist(), "loss": losses[-1]}
        print(f"{name:>8}: ends at ({path[-1][0]:.3f}, {path[-1][1]:.3f}), loss {losses[-1]:.2e}")
    return results


if __name__ == "__main__":
    demo_main("optimizers", run)
