"""Drawing the computation graph: `draw_graph` (a graphviz.Digraph) and `save_graph` (PNG, SVG, PDF, DOT)."""
from autograd.drawing.draw import draw_graph
from autograd.drawing.gradient_scale import EXPLODING, VANISHING, GradientScale
from autograd.drawing.render import save_graph

__all__ = ["EXPLODING", "VANISHING", "GradientScale", "draw_graph", "save_graph"]
