"""Pictures the demos share: a matplotlib figure saved as PNG, and a classifier's decision regions."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)
import numpy as np  # noqa: E402

import autograd  # noqa: E402

__all__ = ["plt", "save", "grid", "decision_regions", "model_scores"]


def save(fig: plt.Figure, path: Path) -> Path:
    """Write the figure as a PNG and close it."""
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def grid(x: np.ndarray, steps: int = 200, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """A mesh covering the 2-d points `x` with a margin: (xx, yy) of shape (steps, steps)."""
    low, high = x.min(axis=0) - margin, x.max(axis=0) + margin
    return np.meshgrid(np.linspace(low[0], high[0], steps), np.linspace(low[1], high[1], steps))


def decision_regions(ax: plt.Axes, score: Callable[[np.ndarray], np.ndarray], x: np.ndarray, y: np.ndarray,
                     title: str, threshold: float = 0.0, probability: bool = False) -> None:
    """Shade the classifier's regions, draw its boundary `score(points) == threshold`, and scatter the points.

    With `probability=True` the score is p(class 1), shaded continuously from 0 to 1 with a colour bar;
    otherwise the two sides of the threshold are shaded flat.
    """
    xx, yy = grid(x)
    zz = score(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
    if probability:
        shading = ax.contourf(xx, yy, zz, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.7)
        ax.figure.colorbar(shading, ax=ax, label="p(class 1)")
    else:
        ax.contourf(xx, yy, zz > threshold, levels=[-0.5, 0.5, 1.5], colors=["#9ecae1", "#fdae6b"], alpha=0.6)
    if zz.min() < threshold < zz.max():
        ax.contour(xx, yy, zz, levels=[threshold], colors="k", linewidths=1.5)
        ax.plot([], [], "k-", label="decision boundary")
    classes = np.unique(y)
    for label, color, edge, marker in zip(classes, ["white", "black"], ["black", "white"], ["o", "s"]):
        ax.scatter(*x[y == label].T, c=color, edgecolors=edge, marker=marker, s=45, label=f"class {label:g}")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def model_scores(model: Callable) -> Callable[[np.ndarray], np.ndarray]:
    """The model as a numpy function for plotting: points (n, 2) -> its outputs (n,), without recording a graph."""
    def score(points: np.ndarray) -> np.ndarray:
        with autograd.no_grad():
            return model(autograd.tensor(points.astype(np.float32))).numpy().reshape(-1)
    return score
