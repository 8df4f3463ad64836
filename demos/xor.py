"""XOR: no straight line separates it, one hidden layer does.

The four points (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0. A linear model (logistic regression) can get
at most three of them right; a 2-4-1 MLP with tanh learns all four, with a boundary that bends.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import autograd
import nn
import optim
from demos.common import demo_main
from demos.plotting import decision_regions, model_scores, plt, save
from demos.training import train

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)


def fit(model: nn.Module, steps: int, desc: str) -> float:
    """Adam on binary cross-entropy (from logits); returns the final loss."""
    x, y = autograd.tensor(X), autograd.tensor(Y).reshape(-1, 1)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    return train(lambda: loss_fn(model(x), y), optimizer, steps, desc)[-1]


def probability(model: nn.Module) -> Callable[[np.ndarray], np.ndarray]:
    """p(class 1 | x) = sigmoid(logit), as a numpy function for plotting."""
    logits = model_scores(model)
    return lambda points: 1 / (1 + np.exp(-logits(points)))


def predictions(model: nn.Module) -> np.ndarray:
    return (probability(model)(X) > 0.5).astype(np.float32)


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    steps = 300 if fast else 1000
    linear = nn.Linear(2, 1)
    mlp = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    results = {}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for name, model, ax in (("linear", linear, axes[0]), ("mlp", mlp, axes[1])):
        loss = fit(model, steps, name)
        correct = int((predictions(model) == Y).sum())
        p = probability(model)(X)
        results[f"{name}_correct"], results[f"{name}_loss"], results[f"{name}_probabilities"] = correct, loss, p
        title = {"linear": "Linear model", "mlp": "MLP 2-4-1 (tanh)"}[name]
        shown = ", ".join(f"{q:.2f}" for q in p)
        decision_regions(ax, probability(model), X, Y, f"{title}: p = {shown}\nBCE {loss:.3f}",
                         threshold=0.5, probability=True)
        print(f"{title}: p(class 1) at the four points {shown}, loss {loss:.4f}, {correct} of 4 right")
    axes[0].text(0.5, 0.5, "no line separates XOR:\nthe best linear fit is\np = 0.5 everywhere\n(BCE = log 2 = 0.693)",
                 ha="center", va="center", fontsize=10, bbox={"facecolor": "white", "alpha": 0.8})
    save(fig, folder / "xor.png")
    return results


if __name__ == "__main__":
    demo_main("xor", run)
