"""micrograd's demo: an MLP 2-16-16-1 separates two interleaving half moons.

100 points from scikit-learn's make_moons (noise 0.1), labels -1 and +1, the max-margin (hinge)
loss mean(relu(1 - y * score)) plus L2 regularisation 1e-4 * sum(p^2), full-batch SGD with the
learning rate falling linearly from 1.0 to 0.1 over 100 steps. It reaches 100% training accuracy.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import make_moons

import autograd
import nn
import optim
from autograd import Tensor
from demos.common import demo_main
from demos.plotting import decision_regions, model_scores, plt, save
from demos.training import train

STEPS = 100
ALPHA = 1e-4


def max_margin_loss(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    """mean(relu(1 - y * score)) + ALPHA * sum of squared parameters (micrograd's loss)."""
    data_loss = (1 - y * model(x).reshape(-1)).relu().mean()
    return data_loss + ALPHA * sum((p * p).sum() for p in model.parameters())


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(1337)
    points, labels = make_moons(n_samples=100, noise=0.1, random_state=1337)
    x = autograd.tensor(points.astype(np.float32))
    y = autograd.tensor(labels * 2.0 - 1.0, dtype=np.float32)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = optim.SGD(model.parameters(), lr=1.0)
    scheduler = optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=0.1, total_iters=STEPS)
    losses = train(lambda: max_margin_loss(model, x, y), optimizer, STEPS, "moons", scheduler)
    scores = model_scores(model)(points)
    accuracy = float(np.mean((scores > 0) == (labels > 0)))

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [1.4, 1]})
    decision_regions(left, model_scores(model), points, labels,
                     f"MLP 2-16-16-1 on two moons: training accuracy {accuracy:.0%}")
    right.plot(losses, "C0")
    right.set(title="Max-margin loss + L2 during training", xlabel="step", ylabel="loss", yscale="log")
    save(fig, folder / "moons.png")
    print(f"moons: loss {losses[0]:.4f} -> {losses[-1]:.4f} in {STEPS} steps, training accuracy {accuracy:.0%}")
    return {"accuracy": accuracy, "loss": losses[-1]}


if __name__ == "__main__":
    demo_main("moons", run)
