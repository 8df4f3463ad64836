"""Drawing the computation graph: the DOT source (nodes, edges, labels, names, colours, order), the rendered
PNG/SVG/PDF files, and the error when Graphviz's `dot` program is missing."""
from __future__ import annotations

import html
import re
import struct
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import draw_graph, save_graph, tensor
from autograd.drawing.gradient_scale import GradientScale
from autograd.drawing.graph_walk import walk
from autograd.drawing.module_clusters import op_modules

NODE = re.compile(r"^\s*(n\d+) \[label=(<<TABLE.*</TABLE>>|\S+?)(?: (.*))?\]$")
ATTR = re.compile(r'(\w+)=("[^"]*"|\S+)')
EDGE = re.compile(r"^\s*(n\d+) -> (n\d+)")


def parse(source: str) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """The nodes (id -> attributes, with 'title' and 'text' read from the label) and edges of a DOT source."""
    nodes, edges = {}, []
    for line in source.splitlines():
        if m := NODE.match(line):
            attrs = {k: v.strip('"') for k, v in ATTR.findall(m.group(3) or "")}
            label = m.group(2)[1:-1] if m.group(2).startswith("<") else m.group(2)  # the HTML inside <...>
            bold = re.search(r"<B>(.*?)</B>", label)
            attrs["title"] = html.unescape(bold.group(1)) if bold else label
            attrs["text"] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label)).split())
            nodes[m.group(1)] = attrs
        elif m := EDGE.match(line):
            edges.append(m.groups())
    return nodes, edges


def by_title(nodes: dict[str, dict]) -> dict[str, dict]:
    return {attrs["title"]: dict(attrs, id=node_id) for node_id, attrs in nodes.items()}


def titled_edges(nodes, edges) -> list[tuple[str, str]]:
    return [(nodes[a]["title"], nodes[b]["title"]) for a, b in edges]


def scalar_example():
    """f = (x + y) * z at x = -2, y = 5, z = -4, after backward, with q = x + y and f retaining their grads."""
    x, y, z = (tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    q = x + y
    f = q * z
    q.retain_grad()
    f.retain_grad()
    f.backward()
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def mlp(bias: bool = True):
    """A 2-3-1 MLP on raw tensors (x @ W.T + b, relu), its loss after backward, and its named parameters."""
    rng = np.random.default_rng(0)
    params = {}
    for name, shape in (("fc1", (3, 2)), ("fc2", (1, 3))):
        params[f"{name}.weight"] = tensor(rng.normal(size=shape), requires_grad=True)
        if bias:
            params[f"{name}.bias"] = tensor(rng.normal(size=shape[:1]), requires_grad=True)
    x = tensor(rng.normal(size=(4, 2)))
    h = x @ params["fc1.weight"].T
    h = (h + params["fc1.bias"] if bias else h).relu()
    out = h @ params["fc2.weight"].T
    out = out + params["fc2.bias"] if bias else out
    loss = (out * out).mean()
    loss.backward()
    return loss, params


# ---- the DOT source ----

def test_scalar_example_shows_every_value_and_gradient():
    f, named = scalar_example()
    nodes, edges = parse(draw_graph(f, names=named).source)
    assert len(nodes) == 7 and len(edges) == 6  # x, y, z, add, q, mul, f
    titled = by_title(nodes)
    expected = {"x": ("data -2", "grad -4"), "y": ("data 5", "grad -4"), "z": ("data -4", "grad 3"),
                "q": ("data 3", "grad -4"), "f": ("data -12", "grad 1")}
    for name, (data, grad) in expected.items():
        assert titled[name]["text"] == f"{name} () float32 {data} {grad}"
    assert sorted(titled_edges(nodes, edges)) == sorted(
        [("x", "add"), ("y", "add"), ("add", "q"), ("q", "mul"), ("z", "mul"), ("mul", "f")])
    assert titled["add"]["tooltip"] == "AddBackward" and titled["mul"]["tooltip"] == "MulBackward"


def test_kinds_are_told_apart_by_shape_and_colour():
    _, params = mlp()
    x = tensor([1.0, 2.0], requires_grad=True)
    root = params["fc2.weight"].sum() * (x * x).sum()
    root.backward()
    nodes, _ = parse(draw_graph(root, params=params).source)
    kinds = {}
    for attrs in nodes.values():
        kind = ("op" if attrs["shape"] == "ellipse" else "parameter" if attrs["title"] in params
                else "root" if attrs.get("peripheries") == "2" else "leaf")
        kinds.setdefault(kind, set()).add((attrs["shape"], attrs["style"], attrs["color"]))
    assert set(kinds) == {"op", "parameter", "root", "leaf"}
    assert all(len(looks) == 1 for looks in kinds.values())  # one look per kind ...
    looks = [next(iter(v)) for v in kinds.values()]
    assert len(set(looks)) == 4 and len({colour for *_, colour in looks}) == 4  # ... and four different ones
    assert kinds["parameter"] == {("box3d", "filled", "#2e7d32")}
    assert kinds["leaf"] == {("box", "rounded,filled", "#1f5fa8")}


def test_parameters_are_named_from_pairs_or_a_dict():
    loss, params = mlp()
    from_dict = draw_graph(loss, params=params).source
    assert draw_graph(loss, params=list(params.items())).source == from_dict
    titles = {a["title"] for a in parse(from_dict)[0].values()}
    assert set(params) <= titles
    assert "output" in titles  # the unnamed root
    unnamed = {a["title"] for a in parse(draw_graph(loss).source)[0].values()}
    assert not set(params) & unnamed and "leaf" in unnamed


def test_named_parameters_of_a_module_name_the_boxes():
    import nn
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    loss = model(tensor([[1.0, 2.0]])).sum()
    loss.backward()
    titles = [a["title"] for a in parse(draw_graph(loss, params=model.named_parameters()).source)[0].values()]
    assert sorted(t for t in titles if "." in t) == ["0.bias", "0.weight", "2.bias", "2.weight"]


def test_intermediates_are_drawn_only_when_named_or_retained():
    x = tensor([1.0, -2.0], requires_grad=True)
    h = x * 3
    out = h.exp().sum()
    assert len(parse(draw_graph(out).source)[0]) == 5  # x, mul, exp, sum, out
    named_nodes, named_edges = parse(draw_graph(out, names={"h": h}).source)
    assert len(named_nodes) == 6 and len(named_edges) == 5
    assert by_title(named_nodes)["h"]["style"] == "dashed,filled"
    h.retain_grad()
    out.backward()
    retained = by_title(parse(draw_graph(out).source)[0])
    assert retained["tensor"]["text"] == "tensor (2,) float32 data [3, -6] grad [20.09, 0.002479]"


def test_drawing_survives_backward_and_freed_nodes():
    x = tensor([0.5, 1.5], requires_grad=True)
    out = (x.exp() * x).sum()
    before = parse(draw_graph(out).source)
    out.backward()
    assert out.grad_fn._released
    after = parse(draw_graph(out).source)
    assert list(after[0]) == list(before[0]) and after[1] == before[1]
    assert "grad None" in by_title(before[0])["leaf"]["text"]
    grad = np.exp([0.5, 1.5]) * (1 + np.array([0.5, 1.5]))
    assert by_title(after[0])["leaf"]["text"].endswith(f"grad [{grad[0]:.4g}, {grad[1]:.4g}]")


def test_a_graph_deeper_than_the_recursion_limit():
    depth = sys.getrecursionlimit() + 500
    x = tensor(1.0, requires_grad=True)
    y = x
    for _ in range(depth):
        y = y * 1.0
    nodes, edges = parse(draw_graph(y).source)
    assert len(nodes) == depth + 2 and len(edges) == depth + 1


def test_the_order_and_the_ids_are_the_same_on_every_run():
    sources = []
    for _ in range(2):
        loss, params = mlp()
        sources.append(draw_graph(loss, params=params, clusters=True).source)
    assert sources[0] == sources[1]
    ids = [node_id for node_id in parse(sources[0])[0]]
    assert sorted(ids, key=lambda i: int(i[1:])) == [f"n{i}" for i in range(len(ids))]
    # forward order: the first argument's inputs come first, the root last
    f, named = scalar_example()
    nodes, _ = parse(draw_graph(f, names=named).source)
    assert [a["title"] for a in nodes.values()] == ["x", "y", "add", "q", "z", "mul", "f"]


@st.composite
def programs(draw):
    """Leaves (some requiring grad) and steps (op, argument indices) that combine earlier tensors."""
    leaves = draw(st.lists(st.booleans(), min_size=1, max_size=4))
    steps = []
    for i in range(draw(st.integers(0, 12))):
        op = draw(st.sampled_from(["add", "mul", "sub", "add_number", "tanh"]))
        arguments = 1 if op in ("add_number", "tanh") else 2
        steps.append((op, draw(st.lists(st.integers(0, len(leaves) + i - 1), min_size=arguments,
                                        max_size=arguments))))
    return leaves, steps


OPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - b,
       "add_number": lambda a: a + 2.0, "tanh": lambda a: a.tanh()}  # tanh: no overflow


@settings(max_examples=60, deadline=None)
@given(programs())
def test_node_and_edge_counts_equal_those_of_the_graph(program):
    leaves, steps = program
    pool = [tensor([0.5, 1.0], requires_grad=g) for g in leaves]
    requires = list(leaves)
    inputs: list[list[int]] = [[] for _ in leaves]  # for each tensor: the arguments that carry a gradient
    for op, args in steps:
        with np.errstate(over="ignore", invalid="ignore"):  # only the graph's shape matters here, not the values
            pool.append(OPS[op](*(pool[k] for k in args)))
        inputs.append([k for k in args if requires[k]])
        requires.append(bool(inputs[-1]))
    root = len(pool) - 1
    if root < len(leaves) or not requires[root]:
        expected = (1, 0)  # the root alone
    else:
        seen, stack, edges = set(), [root], 0
        while stack:  # the graph as the test recorded it: every op once, one edge per gradient argument
            k = stack.pop()
            if k not in seen:
                seen.add(k)
                edges += len(inputs[k])
                stack.extend(inputs[k])
        expected = (len(seen) + 1, edges + 1)  # and the root's box, after its op
    nodes, edges = parse(draw_graph(pool[root]).source)
    assert (len(nodes), len(edges)) == expected


def test_op_nodes_say_what_they_are():
    x = tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    w = tensor(np.ones((3, 2)), requires_grad=True)
    out = (x @ w).log_softmax(1)[0].logsumexp(0) + x.relu().sum() + x.reshape(6).exp().mean()
    ops = sorted(a["title"] for a in parse(draw_graph(out).source)[0].values() if a["shape"] == "ellipse")
    assert ops == sorted(["matmul", "log_softmax", "getitem", "logsumexp", "relu", "sum", "reshape", "exp",
                          "mean", "add", "add"])


def test_small_tensors_show_values_and_large_ones_the_gradient_norm():
    small = tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
    rng = np.random.default_rng(1)
    weights = rng.normal(size=5)
    out = (small * tensor(weights)).sum()
    out.backward()
    text = by_title(parse(draw_graph(out, max_elements=5).source)[0])["leaf"]["text"]
    assert "data [1, 2, 3, 4, 5]" in text
    assert f"grad [{', '.join(f'{w:.4g}' for w in weights.astype(np.float32))}]" in text
    text = by_title(parse(draw_graph(out, max_elements=4).source)[0])["leaf"]["text"]
    assert "data" not in text and f"‖grad‖ {np.sqrt(np.sum(weights.astype(np.float32) ** 2)):.3g}" in text
    assert text.startswith("leaf (5,) float32")


def test_matrices_are_drawn_row_by_row():
    m = tensor([[1.0, -2.0], [0.25, 4.0]], requires_grad=True)
    nodes, _ = parse(draw_graph(m.sum()).source)
    (label,) = [line for line in draw_graph(m.sum()).source.splitlines() if "<B>leaf</B>" in line]
    assert "data [[1, -2],<BR/> [0.25, 4]]" in html.unescape(label)


# ---- colours by gradient size ----

BAND_OF_NORM = [(5e-7, 0), (5e-5, 1), (5e-3, 2), (0.5, 3), (50.0, 4), (5e4, 5)]  # bands 1-4: two decades each


def leaves_with_gradient_norms(norms):
    """Leaves v_i of shape (2,) whose gradient is [3k, 4k] (norm 5k = the given norm), after backward."""
    leaves = [tensor([1.0, 1.0], requires_grad=True) for _ in norms]
    total = None
    for v, norm in zip(leaves, norms):
        k = norm / 5
        term = (v * tensor([3 * k, 4 * k])).sum()
        total = term if total is None else total + term
    total.backward()
    return total, {f"v{i}": v for i, v in enumerate(leaves)}


def test_colours_follow_the_gradient_sizes():
    root, named = leaves_with_gradient_norms([n for n, _ in BAND_OF_NORM])
    titled = by_title(parse(draw_graph(root, names=named).source)[0])
    bands = GradientScale().bands
    fills = [titled[f"v{i}"]["fillcolor"] for i in range(len(BAND_OF_NORM))]
    assert fills == [bands[band].fill for _, band in BAND_OF_NORM]
    assert len(set(fills)) == len(fills)
    assert "vanishing gradient" in titled["v0"]["text"] and "exploding gradient" in titled["v5"]["text"]
    assert not any(word in titled[f"v{i}"]["text"] for i in range(1, 5) for word in ("vanishing", "exploding"))
    assert titled["v5"]["fontcolor"] == "#ffffff"  # readable on red
    # other thresholds move the bands: nothing vanishes or explodes between 1e-8 and 1e6
    titled = by_title(parse(draw_graph(root, names=named, vanishing=1e-8, exploding=1e6).source)[0])
    assert not any("vanishing" in a["text"] or "exploding" in a["text"] for a in titled.values())


def test_scale_edges_and_thresholds():
    scale = GradientScale()
    assert [scale.band(n).name for n in (0.0, 9.99e-6, 1e-5, 1e-3, 0.1, 10.0, 1e3, 1.0001e3)] == [
        "vanishing", "vanishing", "band0", "band1", "band2", "band3", "band3", "exploding"]
    assert [scale.band(n).name for n in (float("nan"), float("inf"))] == ["nan", "nan"]
    assert [b.label for b in scale.bands[1:5]] == ["1e-5 – 0.001", "0.001 – 0.1", "0.1 – 10", "10 – 1e3"]


def test_nan_and_infinite_gradients_are_flagged():
    a, b, c = (tensor([1.0, 2.0], requires_grad=True) for _ in range(3))
    out = (a * tensor([np.nan, 1.0])).sum() + (b * tensor([np.inf, 1.0])).sum() + c.sum()
    out.backward()
    titled = by_title(parse(draw_graph(out, names={"a": a, "b": b, "c": c}).source)[0])
    assert "NaN gradient" in titled["a"]["text"] and "infinite gradient" in titled["b"]["text"]
    assert titled["a"]["fillcolor"] == titled["b"]["fillcolor"] != titled["c"]["fillcolor"]


def test_tensors_without_a_gradient_are_white_and_the_legend_follows():
    x = tensor([1.0, 2.0], requires_grad=True)
    out = (x * 2).sum()
    source = draw_graph(out).source
    assert by_title(parse(source)[0])["leaf"]["fillcolor"] == "#ffffff"
    assert "vanishing" not in source  # no gradient yet: no gradient colours in the legend
    out.backward()
    source = draw_graph(out, title="after backward").source
    assert "vanishing" in source and "after backward" in source and "3-D box" not in source
    assert "label=" not in draw_graph(out, legend=False).source.split("\n")[1]


def test_names_are_escaped():
    x = tensor(1.0, requires_grad=True)
    nodes, _ = parse(draw_graph(x * 2, names={"<x & y>": x}).source)
    assert "<x & y>" in {a["title"] for a in nodes.values()}


def test_a_root_without_a_graph_is_one_node():
    for root in (tensor([1.0, 2.0]), tensor(3.0, requires_grad=True)):
        nodes, edges = parse(draw_graph(root).source)
        assert len(nodes) == 1 and not edges and "peripheries" in next(iter(nodes.values()))


# ---- module clusters ----

def clusters_of(source: str) -> dict[str, set[str]]:
    """cluster label -> titles of the nodes declared inside it."""
    nodes = parse(source)[0]
    found, current = {}, None
    for line in source.splitlines():
        if line.strip().startswith("subgraph cluster_"):
            current = set()
        elif current is not None and (m := NODE.match(line)):
            current.add(nodes[m.group(1)]["title"])
        elif current is not None and (m := re.search(r"\blabel=(\"[^\"]*\"|\S+)", line)):
            label = m.group(1)
            found[html.unescape(label[1:-1] if label.startswith("<") else label.strip('"'))] = current
        elif line.strip() == "}":
            current = None
    return found


def test_clusters_group_each_layer_and_leave_the_activation_outside():
    loss, params = mlp()
    source = draw_graph(loss, params=params, clusters=True).source
    assert clusters_of(source) == {"fc1": {"fc1.weight", "fc1.bias", "transpose", "matmul", "add"},
                                   "fc2": {"fc2.weight", "fc2.bias", "transpose", "matmul", "add"}}
    assert len(parse(source)[0]) == len(parse(draw_graph(loss, params=params).source)[0])
    assert "subgraph" not in draw_graph(loss, params=params).source


def test_clusters_of_layers_without_bias():
    loss, params = mlp(bias=False)
    groups = clusters_of(draw_graph(loss, params=params, clusters=True).source)
    assert groups == {"fc1": {"fc1.weight", "transpose", "matmul"}, "fc2": {"fc2.weight", "transpose", "matmul"}}


def test_an_op_between_two_ops_of_one_module_belongs_to_it():
    w1, w2 = tensor(np.ones((2, 2)), requires_grad=True), tensor(np.ones((2, 2)), requires_grad=True)
    scale = tensor(2.0, requires_grad=True)
    x = tensor([[1.0, -1.0]])
    out = ((x @ w1).tanh() @ w2).sum() * scale
    params = {"block.w1": w1, "block.w2": w2, "scale": scale}
    modules = op_modules(walk(out), params.items())
    assert sorted(type(op).__name__ for op, m in modules.items() if m == "block") == ["MatMul", "MatMul", "Tanh"]
    assert set(modules.values()) == {"block"}  # 'scale' belongs to no module


def test_thousands_of_nodes_with_clusters():
    rng = np.random.default_rng(0)
    params = {f"layer{layer}.n{j}.w{k}": tensor(rng.normal(), requires_grad=True)
              for layer in range(2) for j in range(6) for k in range(6)}
    loss = tensor(0.0)
    for _point in range(12):
        act = [tensor(v) for v in rng.normal(size=6)]
        for layer in range(2):
            act = [sum((params[f"layer{layer}.n{j}.w{k}"] * act[k] for k in range(6)), tensor(0.0)).tanh()
                   for j in range(6)]
        loss = loss + sum(act, tensor(0.0)) ** 2
    loss.backward()
    source = draw_graph(loss, params=params, clusters=True).source
    nodes, edges = parse(source)
    # per point and layer: 6 neurons of 6 mul, 6 add (the first onto 0.0) and tanh; then 6 add, pow, add
    ops = 12 * (2 * 6 * 13 + 6 + 2)
    assert len(nodes) == ops + len(params) + 1 == 2041
    # edges: mul 1 (layer 0: the input needs no grad) or 2, add 1 (the first) or 2, tanh 1, pow 1; the root's
    neuron_edges = {0: 6 * 1 + (1 + 5 * 2) + 1, 1: 6 * 2 + (1 + 5 * 2) + 1}
    per_point = 6 * (neuron_edges[0] + neuron_edges[1]) + (1 + 5 * 2) + 1
    assert len(edges) == 12 * per_point + (1 + 11 * 2) + 1
    groups = clusters_of(source)
    assert set(groups) == {f"layer{layer}.n{j}" for layer in range(2) for j in range(6)}
    assert all(sum(t.startswith(name + ".") for t in members) == 6 for name, members in groups.items())


# ---- bad input ----

@pytest.mark.parametrize("call, error, match", [
    (lambda x: draw_graph(x._data), TypeError, "root must be a Tensor"),
    (lambda x: draw_graph(x, params={"w": x._data}), TypeError, "params must be a dict"),
    (lambda x: draw_graph(x, params=[x]), TypeError, "named_parameters"),
    (lambda x: draw_graph(x, params=x), TypeError, "got Tensor"),
    (lambda x: draw_graph(x, names=5), TypeError, "got int"),
    (lambda x: draw_graph(x, names=[("a", x, 1)]), TypeError, "names must be"),
    (lambda x: draw_graph(x, rankdir="LEFT"), ValueError, "rankdir"),
    (lambda x: draw_graph(x, max_elements=-1), ValueError, "max_elements"),
    (lambda x: draw_graph(x, max_elements=2.5), ValueError, "max_elements"),
    (lambda x: draw_graph(x, vanishing=1.0, exploding=0.5), ValueError, "vanishing < exploding"),
    (lambda x: draw_graph(x, vanishing=0.0), ValueError, "vanishing < exploding"),
])
def test_bad_arguments_are_refused(call, error, match):
    with pytest.raises(error, match=match):
        call(tensor([1.0], requires_grad=True) * 2)


@pytest.mark.parametrize("name, kwargs, error, match", [
    ("graph.jpeg", {}, ValueError, "suffixes .png, .svg, .pdf, .dot, .gv"),
    ("graph", {}, ValueError, "can not tell the format"),
    ("missing/graph.png", {}, FileNotFoundError, "does not exist"),
    ("graph.png", {"dpi": 0}, ValueError, "dpi"),
    ("graph.png", {"rankdir": "UP"}, ValueError, "rankdir"),
])
def test_save_graph_refuses_bad_input_before_writing_anything(tmp_path, name, kwargs, error, match):
    with pytest.raises(error, match=match):
        save_graph(tensor([1.0], requires_grad=True) * 2, tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []


# ---- rendering (needs Graphviz's dot program) ----

def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_has_the_signature_and_plausible_dimensions(tmp_path):
    f, named = scalar_example()
    assert save_graph(f, tmp_path / "f.png", names=named, legend=False) == tmp_path / "f.png"
    width, height = png_size(tmp_path / "f.png")
    assert 300 < width < 1500 and 120 < height < 600 and width > 1.5 * height  # 4 ranks left to right
    save_graph(f, tmp_path / "tall.png", names=named, legend=False, rankdir="TB")
    tall_width, tall_height = png_size(tmp_path / "tall.png")
    assert tall_height > 1.5 * tall_width
    save_graph(f, tmp_path / "sharp.png", names=named, legend=False, dpi=192)
    sharp = png_size(tmp_path / "sharp.png")
    assert abs(sharp[0] / width - 2) < 0.05 and abs(sharp[1] / height - 2) < 0.05
    save_graph(f, tmp_path / "legend.png", names=named)
    assert png_size(tmp_path / "legend.png")[1] > height + 60  # the legend's rows under the graph
    x = tensor(1.0, requires_grad=True)
    y = x
    for _ in range(12):
        y = y.exp().log()
    save_graph(y, tmp_path / "long.png", legend=False)
    assert png_size(tmp_path / "long.png")[0] > 2 * width


def test_svg_parses_with_one_group_per_node_and_edge(tmp_path):
    loss, params = mlp()
    path = save_graph(loss, tmp_path / "mlp.svg", params=params, clusters=True)
    groups = [g.get("class") for g in ET.parse(path).getroot().iter("{http://www.w3.org/2000/svg}g")]
    nodes, edges = parse(draw_graph(loss, params=params).source)
    assert groups.count("node") == len(nodes) == 14 and groups.count("edge") == len(edges) == 14
    assert groups.count("cluster") == 2
    assert "fc1.weight" in path.read_text()


def test_the_drawing_shows_itself_inline_in_jupyter():
    f, named = scalar_example()
    graph = draw_graph(f, names=named)
    bundle = graph._repr_mimebundle_()  # what IPython's display asks an object for
    assert list(bundle) == ["image/svg+xml"]
    groups = [g.get("class") for g in ET.fromstring(bundle["image/svg+xml"]).iter("{http://www.w3.org/2000/svg}g")]
    nodes, edges = parse(graph.source)
    assert groups.count("node") == len(nodes) == 7 and groups.count("edge") == len(edges) == 6


def test_pdf_and_dot_sources(tmp_path):
    f, named = scalar_example()
    assert save_graph(f, tmp_path / "f.pdf").read_bytes()[:5] == b"%PDF-"
    assert save_graph(f, tmp_path / "f.gv", names=named).read_text() == draw_graph(f, names=named).source


def test_missing_dot_writes_the_source_and_says_how_to_install(tmp_path, monkeypatch):
    f, named = scalar_example()
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(RuntimeError) as raised:
        save_graph(f, tmp_path / "graph.png", names=named)
    message = str(raised.value)
    for advice in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz",
                   str(tmp_path / "graph.dot")):
        assert advice in message
    assert not (tmp_path / "graph.png").exists()
    assert parse((tmp_path / "graph.dot").read_text()) == parse(draw_graph(f, names=named).source)
    assert save_graph(f, tmp_path / "source.dot").read_text() == draw_graph(f).source  # needs no dot


def test_fused_nodes_are_named_as_pytorch_spells_their_functions():
    import nn.functional as F
    from autograd.drawing.labels import op_name

    x, w, target = tensor([[0.5, -1.0]], requires_grad=True), tensor([[1.0, 2.0], [3.0, 4.0]]), tensor([1])
    assert op_name(F.linear(x, w).grad_fn) == "linear"
    assert op_name(F.cross_entropy(x, target).grad_fn) == "cross_entropy"
    assert op_name(F.nll_loss(F.log_softmax(x, 1), target).grad_fn) == "nll_loss"
