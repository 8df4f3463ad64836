"""How each kind of node looks, so that leaves, parameters, the root, kept intermediates and ops tell apart."""
from __future__ import annotations

from typing import NamedTuple


class NodeStyle(NamedTuple):
    attrs: dict[str, str]  # Graphviz node attributes
    legend: str  # what the legend calls this look
    colour: str  # the outline colour, repeated in the legend


def _style(legend: str, colour: str, **attrs: str) -> NodeStyle:
    return NodeStyle({"color": colour, **attrs}, legend, colour)


STYLES = {
    "leaf": _style("rounded box: leaf that requires grad", "#1f5fa8",
                   shape="box", style="rounded,filled", penwidth="1.8"),
    "parameter": _style("3-D box: parameter", "#2e7d32", shape="box3d", style="filled", penwidth="1.8"),
    "tensor": _style("dashed box: kept intermediate", "#555555", shape="box", style="dashed,filled"),
    "root": _style("double box: output (root)", "#b45309",
                   shape="box", style="filled", peripheries="2", penwidth="1.8"),
    "op": _style("ellipse: op", "#8a8a8a", shape="ellipse", style="filled", fillcolor="#eeeeee",
                 fontsize="10", height="0.3", margin="0.05,0.02"),
}

UNNAMED_TITLES = {"leaf": "leaf", "parameter": "parameter", "tensor": "tensor", "root": "output"}
