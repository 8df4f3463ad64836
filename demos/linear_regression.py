"""Linear regression by gradient descent on the lecture's five points.

Speed 0, 2, 3, 6, 4 and distance 12, 16, 10, 20, 22: least squares gives the line
distance = 11.5 + 1.5 * speed with a sum of squared errors of 59. Gradient descent on the
mean squared error of `nn.Linear(1, 1)` walks down the loss surface to exactly that line.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import autograd
import nn
import optim
from demos.common import demo_main
from demos.plotting import plt, save
from demos.training import train

SPEED = [0.0, 2.0, 3.0, 6.0, 4.0]
DISTANCE = [12.0, 16.0, 10.0, 20.0, 22.0]


def fit(steps: int, lr: float = 0.05) -> np.ndarray:
    """Train y = b + w x with SGD from (b, w) = (0, 0); returns the path of (b, w), one row per step."""
    x = autograd.tensor(SPEED, dtype=np.float64).reshape(-1, 1)
    y = autograd.tensor(DISTANCE, dtype=np.float64).reshape(-1, 1)
    model = nn.Linear(1, 1).double()
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    path = []

    def loss() -> autograd.Tensor:
        path.append((model.bias.item(), model.weight.item()))  # where this step starts
        return loss_fn(model(x), y)

    train(loss, optimizer, steps, "gradient descent")
    path.append((model.bias.item(), model.weight.item()))
    return np.array(path)


def sum_of_squared_errors(intercept: np.ndarray, slope: np.ndarray) -> np.ndarray:
    """SSE(b, w) = sum_i (b + w x_i - y_i)^2, on a grid of (b, w) (for the contour plot)."""
    x, y = np.array(SPEED), np.array(DISTANCE)
    return sum((intercept + slope * xi - yi) ** 2 for xi, yi in zip(x, y))


def plot(path: np.ndarray, folder: Path) -> Path:
    intercept, slope = path[-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    x = np.array(SPEED)
    line = np.linspace(-0.5, 6.5, 2)
    left.scatter(x, DISTANCE, c="C0", s=50, zorder=3, label="data")
    left.plot(line, intercept + slope * line, "C3", label=f"fit: {intercept:.3f} + {slope:.3f} x")
    left.vlines(x, DISTANCE, intercept + slope * x, colors="gray", linestyles=":", label="residuals")
    sse = sum_of_squared_errors(intercept, slope)
    left.set(title=f"Least-squares line found by gradient descent (SSE {sse:.2f})", xlabel="speed",
             ylabel="distance")
    left.legend()

    b, w = np.meshgrid(np.linspace(-2, 16, 200), np.linspace(-1.5, 5, 200))
    levels = np.geomspace(59, 3000, 14)
    contours = right.contour(b, w, sum_of_squared_errors(b, w), levels=levels, cmap="viridis")
    right.clabel(contours, fmt="%.0f", fontsize=7)
    right.plot(*path.T, "C3.-", markersize=3, linewidth=1, label=f"descent path ({len(path) - 1} steps)")
    right.plot(11.5, 1.5, "k*", markersize=12, label="least squares (11.5, 1.5)")
    right.set(title="Loss surface: sum of squared errors", xlabel="intercept b", ylabel="slope w")
    right.legend(loc="upper right")
    return save(fig, folder / "linear_regression.png")


def run(folder: Path, fast: bool) -> dict:
    path = fit(steps=800 if fast else 2000)
    intercept, slope = (float(v) for v in path[-1])
    sse = float(sum_of_squared_errors(intercept, slope))
    plot(path, folder)
    print(f"intercept {intercept:.4f} (exact 11.5), slope {slope:.4f} (exact 1.5), "
          f"sum of squared errors {sse:.4f} (exact 59)")
    return {"intercept": intercept, "slope": slope, "sse": sse}


if __name__ == "__main__":
    demo_main("linear_regression", run)
