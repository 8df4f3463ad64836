"""The gradients' flow through a network: the gradient norm of each layer, and a chart comparing networks.

After backward, layer l's gradient norm is ‖g_l‖ = sqrt(sum of g² over all its parameters' gradients), a
layer being the module that a parameter's name gives ('fc1.weight' and 'fc1.bias' -> 'fc1'). Backpropagation
multiplies the gradient, layer by layer, by each activation's derivative: sigmoid' <= 1/4 shrinks it at every
layer (it vanishes in a deep sigmoid network), relu' = 1 on active units keeps it. The chart's background
uses the colour bands of the graph drawing (autograd.drawing.gradient_scale): grey where it has vanished,
red where it has exploded.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.drawing.gradient_scale import EXPLODING, VANISHING, GradientScale, format_bound, gradient_norm
from autograd.drawing.module_clusters import module_name
from autograd.tensor_class import Tensor


def _named_parameters(model: Any) -> list[tuple[str, Tensor]]:
    if not callable(getattr(model, "named_parameters", None)):
        raise TypeError(f"gradient flow: expected a module (an object with named_parameters()), "
                        f"got {type(model).__name__}")
    return list(model.named_parameters())


def layer_gradient_norms(model: Any) -> dict[str, float | None]:
    """‖g‖ of each layer that has parameters requiring grad, in the order of `model.named_parameters()`.

    None for a layer none of whose parameters has a gradient; NaN or inf if a gradient holds one.
    """
    grads: dict[str, list[np.ndarray]] = {}
    for name, param in _named_parameters(model):
        if not param.requires_grad:
            continue
        layer_grads = grads.setdefault(module_name(name) or name, [])
        if param.grad is not None:
            layer_grads.append(param.grad._data.ravel())
    return {layer: gradient_norm(np.concatenate(g)) if g else None for layer, g in grads.items()}


def plot_gradient_flow(models: Any, ax: Any = None, *, vanishing: float = VANISHING,
                       exploding: float = EXPLODING, title: str | None = "Gradient norm per layer") -> Any:
    """Chart ‖g‖ per layer (log scale, input side on the left) of one module or of {label: module}, on `ax`.

    Call it after backward. Layers whose gradients are NaN or infinite are marked at the top; networks drawn
    together should have the same layers (the first one names the ticks). Returns the matplotlib Axes.
    """
    scale = GradientScale(vanishing, exploding)
    if isinstance(models, Mapping):
        named = list(models.items())
        if not named or not all(isinstance(label, str) for label, _ in named):
            raise ValueError("plot_gradient_flow: give a module, or a non-empty dict of label: module")
    else:
        named = [(None, models)]
    norms = [(label, layer_gradient_norms(model)) for label, model in named]
    for label, layers in norms:
        if not any(n is not None for n in layers.values()):
            raise ValueError(f"plot_gradient_flow: {'the model' if label is None else repr(label)} has no "
                             "parameter with a gradient; call loss.backward() first")
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(8, 4.5))
    values = [v for _, layers in norms for v in layers.values() if v is not None and 0 < v < np.inf]
    low = min(values + [scale.vanishing]) / 10
    high = max(values + [scale.exploding]) * 10
    _shade_bands(ax, scale, low, high)
    for index, (label, layers) in enumerate(norms):
        missing = np.array([v is None for v in layers.values()])
        y = np.array([np.nan if v is None else v for v in layers.values()], dtype=float)
        x = np.arange(len(y))
        not_finite = ~missing & ~np.isfinite(y)
        # a zero gradient sits on the bottom edge; missing or NaN/inf ones leave a gap in the line
        ax.plot(x, np.where(not_finite, np.nan, np.maximum(y, low * 1.25)), "o-", color=f"C{index}", lw=2,
                label=label)
        if not_finite.any():
            ax.plot(x[not_finite], np.full(not_finite.sum(), high / 3), "X", color="#762a83", ms=11,
                    label="NaN or inf gradient")
    layer_names = list(norms[0][1])
    ax.set_yscale("log")
    ax.set_ylim(low, high)
    long_names = sum(len(name) + 2 for name in layer_names) > 60
    ax.set_xticks(np.arange(len(layer_names)), layer_names, rotation=30 if long_names else 0,
                  ha="right" if long_names else "center")
    ax.set(xlabel="layer (input side on the left)", ylabel="‖gradient‖ of the layer's parameters")
    if title:
        ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=9)
    return ax


def _shade_bands(ax: Any, scale: GradientScale, low: float, high: float) -> None:
    """The gradient scale's colours behind the chart, with the vanishing and exploding zones named."""
    edges = [low, *scale.edges, high]
    for band, bottom, top in zip(scale.bands, edges, edges[1:]):
        ax.axhspan(bottom, top, color=band.fill, alpha=0.45 if band.flagged else 0.35, lw=0, zorder=0)
    zones = ((f"vanishing: ‖g‖ < {format_bound(scale.vanishing)}", np.sqrt(low * scale.vanishing), "#404040"),
             (f"exploding: ‖g‖ > {format_bound(scale.exploding)}", np.sqrt(high * scale.exploding), "#8b1a1a"))
    for text, y, colour in zones:
        ax.text(0.99, y, text, transform=ax.get_yaxis_transform(), fontsize=8, color=colour, va="center",
                ha="right")
