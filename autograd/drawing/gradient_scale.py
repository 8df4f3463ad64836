"""How big a gradient is, in bands of its L2 norm ‖g‖ = sqrt(sum g²): the colours of the gradients' flow.

Below `vanishing` the gradient has vanished (its weights no longer learn), above `exploding` it has exploded;
between them four bands of equal width on a log scale run from cold to warm colours. NaN or infinite
gradients get a band of their own. The graph drawing (autograd.drawing) and the per-layer chart
(nn.gradient_flow) use the same bands, so that a colour means the same thing in both.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np

VANISHING = 1e-5
EXPLODING = 1e3

_MIDDLE_COLOURS = ("#d4e6f5", "#d5efcf", "#fdf1a9", "#fdc48a")  # cold (small) to warm (large)


@dataclass(frozen=True)
class Band:
    """One band of gradient sizes: `label` for the legend, `fill` and `font` colours (hex) for the picture."""

    name: str
    label: str
    fill: str
    font: str = "#000000"

    @property
    def flagged(self) -> bool:
        """A gradient in this band is a problem worth pointing out (vanished, exploded, NaN or infinite)."""
        return self.name in ("vanishing", "exploding", "nan")


NO_GRAD = Band("none", "no gradient", "#ffffff")
NOT_FINITE = Band("nan", "NaN or inf", "#762a83", "#ffffff")


def gradient_norm(grad: np.ndarray) -> float:
    """‖g‖, the L2 norm of all elements, computed in float64 (NaN if any element is NaN, inf if one is inf)."""
    return float(np.linalg.norm(np.asarray(grad, dtype=np.float64).ravel()))


def format_bound(value: float) -> str:
    """A band's edge, short: 1e-5, 0.001, 0.1, 10, 1e3."""
    text = f"{value:.3g}"
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else text


class GradientScale:
    """Sorts gradient norms into bands: vanishing < four log-spaced bands < exploding, plus NaN/inf."""

    def __init__(self, vanishing: float = VANISHING, exploding: float = EXPLODING) -> None:
        numbers = all(isinstance(t, Real) and not isinstance(t, bool) for t in (vanishing, exploding))
        if not (numbers and 0 < vanishing < exploding < math.inf):
            raise ValueError(f"gradient thresholds need 0 < vanishing < exploding < inf, "
                             f"got vanishing={vanishing!r}, exploding={exploding!r}")
        self.vanishing = float(vanishing)
        self.exploding = float(exploding)
        self.edges = tuple(float(e) for e in np.logspace(math.log10(vanishing), math.log10(exploding),
                                                         len(_MIDDLE_COLOURS) + 1))
        bounds = [format_bound(e) for e in self.edges]
        self.bands = (
            Band("vanishing", f"‖g‖ < {bounds[0]}: vanishing", "#bdbdbd"),
            *(Band(f"band{i}", f"{bounds[i]} – {bounds[i + 1]}", colour)
              for i, colour in enumerate(_MIDDLE_COLOURS)),
            Band("exploding", f"‖g‖ > {bounds[-1]}: exploding", "#d73027", "#ffffff"),
            NOT_FINITE,
        )

    def band(self, norm: float) -> Band:
        """The band of a gradient of norm `norm`; its lower edge belongs to it (norm == vanishing is not vanishing)."""
        if not math.isfinite(norm):
            return NOT_FINITE
        if norm < self.vanishing:
            return self.bands[0]
        if norm > self.exploding:
            return self.bands[-2]
        for i in range(len(_MIDDLE_COLOURS)):
            if norm < self.edges[i + 1]:
                return self.bands[i + 1]
        return self.bands[len(_MIDDLE_COLOURS)]  # norm == exploding
