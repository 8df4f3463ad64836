"""`draw_graph`: the graph a tensor was computed from, as a `graphviz.Digraph` (forward arrows, gradient colours).

Nodes are the ops (ellipses) and the tensors worth a box of their own: the leaves that require grad, the
parameters, the root, and the intermediates that were named or called retain_grad() (other intermediates are
freed after forward, or live on only inside the graph). A tensor's box gives its shape and dtype, its values and
gradient when it has at most `max_elements` elements (else ‖grad‖), and is filled with its gradient's colour.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import graphviz

from autograd.drawing.gradient_scale import EXPLODING, NO_GRAD, VANISHING, GradientScale, gradient_norm
from autograd.drawing.graph_walk import arguments, walk
from autograd.drawing.labels import describe_shape, escape, op_name, tensor_label
from autograd.drawing.legend import legend_label
from autograd.drawing.module_clusters import module_name, op_modules
from autograd.drawing.node_styles import STYLES, UNNAMED_TITLES
from autograd.function import Function
from autograd.tensor_class import Tensor

Named = Mapping[str, Tensor] | Iterable[tuple[str, Tensor]]
RANKDIRS = ("LR", "TB", "RL", "BT")


def _named_tensors(named: Named | None, argument: str) -> list[tuple[str, Tensor]]:
    """(name, tensor) pairs from a dict or from pairs such as module.named_parameters(); checked."""
    if named is None:
        return []
    if not isinstance(named, Iterable) or isinstance(named, (str, Tensor)):
        raise TypeError(f"draw_graph: {argument} must be a dict of name: Tensor, or (name, Tensor) pairs such "
                        f"as module.named_parameters(); got {type(named).__name__}")
    pairs = list(named.items()) if isinstance(named, Mapping) else list(named)
    for entry in pairs:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], Tensor)):
            raise TypeError(f"draw_graph: {argument} must be a dict of name: Tensor, or (name, Tensor) pairs "
                            f"such as module.named_parameters(); got the entry {entry!r:.80}")
    return pairs


class _Picture:
    """The nodes and edges being drawn, with ids n0, n1, ... in the order they are added."""

    def __init__(self, titles: dict[Tensor, str], scale: GradientScale, max_elements: int) -> None:
        self.titles, self.scale, self.max_elements = titles, scale, max_elements
        self.nodes: list[tuple[str, str, dict, str]] = []  # id, label, attributes, module ('' for none)
        self.edges: list[tuple[str, str, bool]] = []  # tail, head, whether the tail is a leaf
        self.kinds: set[str] = set()
        self.any_grad = False

    def node(self, kind: str, label: str, module: str, **attrs: str) -> str:
        node_id = f"n{len(self.nodes)}"
        self.nodes.append((node_id, label, {**STYLES[kind].attrs, **attrs}, module))
        self.kinds.add(kind)
        return node_id

    def tensor(self, tensor: Tensor, kind: str, module: str) -> str:
        band = NO_GRAD
        if tensor.grad is not None:
            self.any_grad = True
            band = self.scale.band(gradient_norm(tensor.grad._data))
        title = self.titles.get(tensor, UNNAMED_TITLES[kind])
        label = tensor_label(title, tensor, self.max_elements, band)
        tooltip = f"{escape(title, 'a tensor name', markup=False)}: {describe_shape(tensor)}"
        return self.node(kind, label, module, fillcolor=band.fill, fontcolor=band.font, tooltip=tooltip)


def draw_graph(root: Tensor, params: Named | None = None, *, names: Named | None = None,
               max_elements: int = 4, vanishing: float = VANISHING, exploding: float = EXPLODING,
               clusters: bool = False, legend: bool = True, title: str | None = None,
               rankdir: str = "LR", op_clusters: Mapping[Function, str] | None = None) -> graphviz.Digraph:
    """The graph of everything `root` was computed from, ready to render (see save_graph) or to show in Jupyter.

    params: parameters to name and draw as parameters, e.g. `model.named_parameters()` (or a dict).
    names: names for other tensors (inputs, intermediates, the root), e.g. {'x': x, 'q': q}.
    max_elements: tensors with at most this many elements show their values and gradients.
    vanishing, exploding: the ‖grad‖ thresholds of the gradient colours (see gradient_scale).
    clusters: group ops and parameters by the module that the parameters' names give ('fc1.weight' -> fc1).
    op_clusters: a cluster label for some op nodes (say the time step that made them), over those of `clusters`.
    legend, title: the label under the graph. rankdir: 'LR' (left to right), 'TB' (top to bottom), 'RL', 'BT'.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"draw_graph: root must be a Tensor, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {RANKDIRS}, got {rankdir!r}")
    if isinstance(max_elements, bool) or not isinstance(max_elements, int) or max_elements < 0:
        raise ValueError(f"draw_graph: max_elements must be an int >= 0, got {max_elements!r}")
    scale = GradientScale(vanishing, exploding)
    parameters = _named_tensors(params, "params")
    titles: dict[Tensor, str] = {}
    for name, tensor in parameters + _named_tensors(names, "names"):
        titles.setdefault(tensor, name)
    parameter_modules: dict[Tensor, str] = {}  # leaf parameter -> its module ('' without clusters)
    for name, tensor in parameters:
        if tensor.is_leaf:
            parameter_modules.setdefault(tensor, module_name(name) if clusters else "")
    items = walk(root)
    op_module = {**(op_modules(items, parameters) if clusters else {}), **(op_clusters or {})}

    outputs = {t._node: t for t in titles if t._node is not None}  # named intermediates, by the op that made them
    picture = _Picture(titles, scale, max_elements)
    arrow_from = {}  # op or leaf -> the node that arrows to its consumers start from
    for item in items:
        if isinstance(item, Tensor):
            kind = "root" if item is root else "parameter" if item in parameter_modules else "leaf"
            arrow_from[item] = picture.tensor(item, kind, parameter_modules.get(item, ""))
            continue
        module = op_module.get(item, "")
        op_id = picture.node("op", f"<{escape(op_name(item), 'an op name')}>", module,
                             tooltip=escape(item.name(), "an op name", markup=False))
        picture.edges.extend((arrow_from[p], op_id, isinstance(p, Tensor)) for p in arguments(item) if p is not None)
        output = root if item is root._node else outputs.get(item, None)
        if output is None:
            output = _retained_output(item)
        arrow_from[item] = op_id
        if output is not None:
            arrow_from[item] = picture.tensor(output, "root" if output is root else "tensor", module)
            picture.edges.append((op_id, arrow_from[item], False))
    return _digraph(picture, rankdir, legend_label(
        title, [k for k in STYLES if k in picture.kinds] if legend else [],
        scale.bands if legend and picture.any_grad else None))


def _retained_output(node: Function) -> Tensor | None:
    """The tensor made by `node` that called retain_grad(), if it is still alive."""
    for ref in node._retained or ():
        if ref() is not None:
            return ref()
    return None


def _digraph(picture: _Picture, rankdir: str, label: str | None) -> graphviz.Digraph:
    graph = graphviz.Digraph("autograd", graph_attr={
        "rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.4",
        "labelloc": "b", "labeljust": "l", "label": label}, node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"color": "#6b6b6b", "arrowsize": "0.7"})
    by_module: dict[str, list[tuple[str, str, dict]]] = {}  # in the order the modules first appear
    for node_id, label, attrs, module in picture.nodes:
        by_module.setdefault(module, []).append((node_id, label, attrs))
    for index, (module, nodes) in enumerate(by_module.items()):
        if not module:
            for node_id, label, attrs in nodes:
                graph.node(node_id, label, **attrs)
            continue
        with graph.subgraph(name=f"cluster_{index}") as cluster:
            cluster.attr(label=f"<{escape(module, 'a module name')}>", style="rounded,dashed", color="#2e7d32",
                         fontcolor="#2e7d32", fontsize="12", labeljust="l", labelloc="t")
            for node_id, label, attrs in nodes:
                cluster.node(node_id, label, **attrs)
    for tail, head, from_leaf in picture.edges:
        # arrows from op to op pull harder, so that the main path runs straight and the leaves hang beside it
        graph.edge(tail, head, weight=None if from_leaf else "4")
    return graph
