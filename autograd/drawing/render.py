"""`save_graph`: draw a tensor's graph and render it with Graphviz's `dot` program to PNG, SVG or PDF.

Without `dot` the graph's DOT source is written beside the requested file (graph.png -> graph.dot) before
the error, which says how to install Graphviz; `dot -Tpng graph.dot -o graph.png` renders it later.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz

from autograd.drawing.draw import draw_graph
from autograd.tensor_class import Tensor

MAX_PNG_SIDE = 10_000  # pixels; a larger graph's PNG is scaled down to fit (its SVG keeps every detail)
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": None, ".gv": None}  # None: the source itself

INSTALL_GRAPHVIZ = ("install Graphviz, which provides it: `sudo apt-get install graphviz` (Debian, Ubuntu), "
                    "`brew install graphviz` (macOS) or `conda install graphviz` (conda); the Python package "
                    "`graphviz` alone does not include the program")


def save_graph(root: Tensor, path: str | os.PathLike, *, dpi: int = 96, **options: Any) -> Path:
    """Draw `root`'s graph (options as draw_graph) into `path`: .png, .svg, .pdf, or .dot/.gv for the source.

    dpi: the resolution of a PNG (96 is the screen's; 150 or more for print). A PNG's longer side is at most
    MAX_PNG_SIDE pixels: a graph of thousands of nodes is scaled down to fit (save it as .svg to zoom in).
    Returns the path written.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"save_graph: can not tell the format of {str(path)!r}; name the file with one of "
                         f"the suffixes {', '.join(FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi <= 0:
        raise ValueError(f"save_graph: dpi must be a positive int, got {dpi!r}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"save_graph: the folder {str(path.parent)!r} does not exist")
    graph = draw_graph(root, **options)
    fmt = FORMATS[path.suffix.lower()]
    if fmt is None:
        path.write_text(graph.source, encoding="utf-8")
        return path
    if fmt == "png":
        inches = f"{MAX_PNG_SIDE / dpi:.3f}"
        graph.graph_attr.update(dpi=str(dpi), size=f"{inches},{inches}")
    try:
        rendered = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as error:
        source = path.with_suffix(".dot")
        source.write_text(graph.source, encoding="utf-8")
        raise RuntimeError(
            f"save_graph: Graphviz's `dot` program, which turns the graph into {path.suffix}, was not found on "
            f"PATH. The graph's source was written to {source}. To render it, {INSTALL_GRAPHVIZ}; then run "
            f"save_graph again, or `dot -T{fmt} {source} -o {path}`.") from error
    path.write_bytes(rendered)
    return path
