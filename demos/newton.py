"""Newton's method beside gradient descent, with the Hessian from `autograd.functional.hessian`.

Gradient descent steps along the negative gradient g, with the same learning rate whatever the curvature.
Newton's method fits the second-order Taylor model f(x + d) ~ f(x) + g.d + d.H d / 2 and jumps to its minimum,
d = -H^-1 g. On a quadratic the model is exact: one Newton step lands on the lecture's least-squares line
(intercept 11.5, slope 1.5; the Hessian of the mean squared error is 2 X^T X / n, the same everywhere), where
gradient descent takes hundreds of steps. On the Rosenbrock function (1 - a)^2 + 100 (b - a^2)^2, whose minimum
0 at (1, 1) lies at the bottom of a long curved valley, Newton's method needs a handful of steps; gradient
descent, whose learning rate the steep walls keep small, needs tens of thousands to crawl along the floor.
Far from the minimum the pure Newton step is not a descent step (the loss rises at its second iterate here: the
Taylor model is poor there); near it the convergence is quadratic, the error squared at every step.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import autograd
import optim
from autograd.functional import hessian, jacobian
from demos.common import demo_main
from demos.linear_regression import DISTANCE, SPEED
from demos.plotting import plt, save

TOLERANCE = 1e-10  # an iteration has converged when f(x) - min f is below this


def mean_squared_error(p: Any) -> Any:
    """MSE(b, w) = mean_i (b + w x_i - y_i)^2 for p = (b, w) on the lecture's points: a quadratic, whose
    Hessian is 2 X^T X / n = [[2, 6], [6, 26]]. Works on numpy arrays too (for the contours)."""
    return sum((p[0] + p[1] * x - y) ** 2 for x, y in zip(SPEED, DISTANCE)) / len(SPEED)


def rosenbrock(p: Any) -> Any:
    """f(a, b) = (1 - a)^2 + 100 (b - a^2)^2: minimum 0 at (1, 1), at the bottom of a curved valley."""
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


@dataclass(frozen=True)
class Problem:
    name: str
    loss: Callable[[Any], Any]
    start: tuple[float, float]
    minimizer: tuple[float, float]
    lr: float  # gradient descent's learning rate: below 2 / (the largest curvature), or it diverges
    labels: tuple[str, str]
    window: tuple[tuple[float, float], tuple[float, float]]  # of the contour plot

    @property
    def minimum(self) -> float:
        return float(self.loss(np.array(self.minimizer)))


PROBLEMS = (
    Problem("least squares (quadratic)", mean_squared_error, (0.0, 0.0), (11.5, 1.5), 0.05,
            ("intercept b", "slope w"), ((-2.0, 16.0), (-1.5, 6.0))),
    Problem("Rosenbrock (not quadratic)", rosenbrock, (-1.2, 1.0), (1.0, 1.0), 0.0015,
            ("a", "b"), ((-2.0, 2.0), (-3.5, 3.0))),
)


def newton(loss: Callable[[autograd.Tensor], autograd.Tensor], start: tuple[float, float], minimum: float,
           max_steps: int) -> np.ndarray:
    """x <- x - H^-1 g from `start` until f(x) - minimum <= TOLERANCE; the path, one row per iterate."""
    x = autograd.tensor(start, dtype=np.float64)
    path = [x.numpy()]
    while len(path) <= max_steps and loss(x).item() - minimum > TOLERANCE:
        g = jacobian(loss, x)  # the gradient: the Jacobian of a function with one output element
        h = hessian(loss, x)
        x = x - autograd.tensor(np.linalg.solve(h.numpy(), g.numpy()))
        path.append(x.numpy())
    return np.array(path)


def gradient_descent(loss: Callable[[autograd.Tensor], autograd.Tensor], start: tuple[float, float],
                     minimum: float, lr: float, max_steps: int) -> np.ndarray:
    """x <- x - lr g (optim.SGD) from `start` until f(x) - minimum <= TOLERANCE; the path."""
    x = autograd.tensor(start, dtype=np.float64, requires_grad=True)
    optimizer = optim.SGD([x], lr=lr)
    path = [x.detach().numpy().copy()]
    for _ in range(max_steps):
        optimizer.zero_grad()
        value = loss(x)
        if value.item() - minimum <= TOLERANCE:
            break
        value.backward()
        optimizer.step()
        path.append(x.detach().numpy().copy())
    return np.array(path)


def losses_along(loss: Callable[[Any], Any], path: np.ndarray) -> np.ndarray:
    """f at every iterate of the path (on arrays: no graph is needed)."""
    return np.array([float(loss(p)) for p in path])


def steps_to_tolerance(gap: np.ndarray) -> int | None:
    """The first iteration whose f(x) - min f is below TOLERANCE, or None if the run never got there."""
    reached = np.flatnonzero(gap <= TOLERANCE)
    return int(reached[0]) if reached.size else None


def reached(outcome: dict) -> str:
    steps = outcome["steps"]
    if steps is None:
        return f"not reached in {len(outcome['path']) - 1} iterations"
    return f"after {steps} iteration{'' if steps == 1 else 's'}"


def plot(results: dict, folder: Path) -> Path:
    fig, axes = plt.subplots(len(PROBLEMS), 2, figsize=(12, 4.8 * len(PROBLEMS)))
    floor = 1e-17  # where f - min f = 0 (exact in floating point) is drawn on the log scale
    for problem, (curve, surface) in zip(PROBLEMS, axes):
        runs = results[problem.name]
        for method, color in (("gradient descent", "C0"), ("Newton", "C3")):
            run = runs[method]
            curve.plot(np.arange(len(run["gap"])), np.maximum(run["gap"], floor), color=color, marker=".",
                       markersize=4 if method == "Newton" else 0, label=f"{method}: {reached(run)}")
            surface.plot(*run["path"].T, color=color, marker=".", markersize=6 if method == "Newton" else 2,
                         linewidth=1, label=method)
        curve.axhline(TOLERANCE, color="gray", linestyle=":", label=f"tolerance {TOLERANCE:g}")
        curve.set(xscale="symlog", yscale="log", xlim=(0, None), xlabel="iteration", ylabel="f(x) - min f",
                  title=f"{problem.name}: loss against iterations")
        curve.legend()

        (x0, x1), (y0, y1) = problem.window
        a, b = np.meshgrid(np.linspace(x0, x1, 300), np.linspace(y0, y1, 300))
        gap = problem.loss(np.stack([a, b])) - problem.minimum
        levels = np.geomspace(max(gap.min(), 1e-2), gap.max(), 15)
        surface.contour(a, b, gap, levels=levels, cmap="viridis", linewidths=0.8)
        surface.plot(*problem.minimizer, "k*", markersize=12, label=f"minimum {problem.minimizer}")
        surface.plot(*problem.start, "ko", markersize=5, label="start")
        surface.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=problem.labels[0], ylabel=problem.labels[1],
                    title=f"{problem.name}: paths")
        surface.legend(loc="upper left", fontsize=8)
    return save(fig, folder / "newton.png")


def run(folder: Path, fast: bool) -> dict:
    results: dict[str, dict] = {}
    for problem in PROBLEMS:
        minimum = problem.minimum
        paths = {"gradient descent": gradient_descent(problem.loss, problem.start, minimum, problem.lr,
                                                      max_steps=3000 if fast else 60_000),
                 "Newton": newton(problem.loss, problem.start, minimum, max_steps=50)}
        results[problem.name] = {}
        for method, path in paths.items():
            gap = losses_along(problem.loss, path) - minimum
            steps = steps_to_tolerance(gap)
            results[problem.name][method] = outcome = {"path": path, "gap": gap, "steps": steps, "final": path[-1]}
            print(f"{problem.name:<27} {method:<17} f - min f <= {TOLERANCE:g} {reached(outcome):<32} "
                  f"final ({path[-1][0]:.6f}, {path[-1][1]:.6f})")
    plot(results, folder)
    return results


if __name__ == "__main__":
    demo_main("newton", run)
