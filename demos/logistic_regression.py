"""Logistic regression: two features, two classes, a sigmoid and binary cross-entropy.

p(class 1 | x) = sigmoid(w . x + b) is fitted by gradient descent on the BCE loss
-mean(y log p + (1 - y) log(1 - p)); the decision boundary p = 0.5 is the line w . x + b = 0.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd
import nn
import optim
from demos.common import demo_main
from demos.plotting import decision_regions, model_scores, plt, save
from demos.training import train
from nn import metrics


def two_blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points per class around (-1, -1) and (1.5, 1), with overlapping Gaussian spread."""
    x = np.concatenate([rng.normal((-1.0, -1.0), 0.9, size=(n, 2)), rng.normal((1.5, 1.0), 0.9, size=(n, 2))])
    return x.astype(np.float32), np.repeat([0.0, 1.0], n).astype(np.float32)


def signed(value: float) -> str:
    """'+ 2.16' or '- 0.65': a term of an equation."""
    return f"{'-' if value < 0 else '+'} {abs(value):.2f}"


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    rng = np.random.default_rng(0)
    x_train, y_train = two_blobs(100, rng)
    x_test, y_test = two_blobs(100, rng)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    loss_fn = nn.BCELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    x, y = autograd.tensor(x_train), autograd.tensor(y_train).reshape(-1, 1)
    losses = train(lambda: loss_fn(model(x), y), optimizer, 100 if fast else 500, "logistic regression")

    predicted = (model_scores(model)(x_test) > 0.5).astype(np.float32)
    results = {"loss": losses[-1], "accuracy": metrics.accuracy(y_test, predicted),
               "precision": metrics.precision(y_test, predicted), "recall": metrics.recall(y_test, predicted),
               "f1": metrics.f1_score(y_test, predicted)}
    (w1, w2), b = model[0].weight.detach().numpy()[0], model[0].bias.item()

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [1.4, 1]})
    decision_regions(left, model_scores(model), x_test, y_test,
                     f"Test set and boundary {w1:.2f} $x_1$ {signed(w2)} $x_2$ {signed(b)} = 0", threshold=0.5,
                     probability=True)
    right.plot(losses)
    right.set(title="Binary cross-entropy (training)", xlabel="step", ylabel="loss")
    save(fig, folder / "logistic_regression.png")
    print("test set: " + ", ".join(f"{name} {value:.3f}" for name, value in results.items() if name != "loss"))
    return results


if __name__ == "__main__":
    demo_main("logistic_regression", run)
