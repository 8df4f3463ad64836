"""Under- and over-fitting: polynomials of degree 1, 3 and 9 fitted to 12 noisy samples of a sine.

y = sin(pi x) + noise (std 0.2) on [-1, 1]. A polynomial of degree d is a linear model on the features
x, x^2, ..., x^d (standardised with the training set's statistics), trained by Adam on the mean squared
error. Degree 1 underfits (both errors high); degree 3 fits; degree 9 follows the noise (training error
lowest, validation error up again). The validation set is 200 fresh samples of the same curve.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd
import nn
import optim
from autograd import Tensor
from demos.common import demo_main
from demos.plotting import plt, save
from demos.training import train
from nn import metrics
from nn.transforms import Standardize

NOISE = 0.2
SHOWN = (1, 3, 9)


def noisy_sine(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = np.sort(rng.uniform(-1, 1, n))
    return x, np.sin(np.pi * x) + rng.normal(0, NOISE, n)


def powers(x: np.ndarray, degree: int) -> np.ndarray:
    """The features x, x^2, ..., x^degree as columns."""
    return np.stack([x ** k for k in range(1, degree + 1)], axis=1)


class Polynomial:
    """y = b + sum_k w_k z_k, z the standardised powers of x: a Linear layer on polynomial features."""

    def __init__(self, degree: int, x_train: np.ndarray) -> None:
        self.degree = degree
        self.scaler = Standardize().fit(powers(x_train, degree))
        self.linear = nn.Linear(degree, 1).double()

    def __call__(self, x: np.ndarray) -> Tensor:
        return self.linear(self.scaler(Tensor(powers(x, self.degree)))).reshape(-1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        with autograd.no_grad():
            return self(x).numpy()


def fit(degree: int, x: np.ndarray, y: np.ndarray, steps: int) -> Polynomial:
    """Adam (lr 0.05) on the mean squared error, full batch."""
    model = Polynomial(degree, x)
    target = Tensor(y)
    optimizer = optim.Adam(model.linear.parameters(), lr=0.05)
    train(lambda: nn.functional.mse_loss(model(x), target), optimizer, steps, f"degree {degree}")
    return model


def run(folder: Path, fast: bool) -> dict:
    autograd.manual_seed(0)
    rng = np.random.default_rng(0)
    x_train, y_train = noisy_sine(12, rng)
    x_val, y_val = noisy_sine(200, rng)
    degrees = SHOWN if fast else range(1, 10)
    models = {d: fit(d, x_train, y_train, steps=1500 if fast else 3000) for d in degrees}
    errors = {d: (metrics.mse(y_train, m.predict(x_train)), metrics.mse(y_val, m.predict(x_val)))
              for d, m in models.items()}

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    grid = np.linspace(-1, 1, 400)
    left.plot(grid, np.sin(np.pi * grid), "k:", label="true curve sin($\\pi$x)")
    left.scatter(x_train, y_train, c="k", zorder=3, label="12 training samples")
    for index, degree in enumerate(SHOWN):
        train_mse, val_mse = errors[degree]
        left.plot(grid, models[degree].predict(grid), f"C{index}",
                  label=f"degree {degree}: train MSE {train_mse:.3f}, validation {val_mse:.3f}")
    left.set(title="Polynomial fits: under-fitting (1), good (3), over-fitting (9)", xlabel="x", ylabel="y",
             ylim=(-2, 2))
    left.legend(fontsize=8, loc="lower right")
    right.semilogy(list(errors), [e[0] for e in errors.values()], "C0o-", label="training MSE")
    right.semilogy(list(errors), [e[1] for e in errors.values()], "C3s-", label="validation MSE")
    right.axhline(NOISE ** 2, color="gray", linestyle=":", label=f"noise variance {NOISE ** 2:.2f}")
    right.set(title="Error against polynomial degree", xlabel="degree", ylabel="mean squared error (log scale)",
              xticks=list(errors))
    right.legend()
    save(fig, folder / "curve_fitting.png")
    for degree, (train_mse, val_mse) in errors.items():
        print(f"degree {degree}: training MSE {train_mse:.4f}, validation MSE {val_mse:.4f}")
    return {"errors": errors}


if __name__ == "__main__":
    demo_main("curve_fitting", run)
