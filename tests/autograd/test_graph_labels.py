"""Any text as a tensor's name, a module's name or a title: `dot` draws it as it is (non-printable characters as
their Python escapes), or draw_graph refuses it with a ValueError before anything is written (issue 12, item 8).
Rendering needs Graphviz's dot program."""
from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import draw_graph, save_graph, tensor
from autograd.drawing.labels import LINE_CHARACTERS, MAX_LABEL_CHARACTERS

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def drawn(name: str, module: str, title: str):
    """x * w summed, after backward: x named `name`, w the parameter `module`.w, the picture titled `title`."""
    x, w = tensor([1.0], requires_grad=True), tensor([2.0], requires_grad=True)
    out = (x * w).sum()
    out.backward()
    return out, {"names": {name: x}, "params": {f"{module}.w": w}, "clusters": True, "title": title}


def svg_texts(path: Path) -> tuple[list[str], list[str]]:
    """The lines of text an SVG shows (dot writes runs of spaces as no-break spaces) and its tooltips."""
    root = ET.parse(path).getroot()
    texts = [(t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text")]
    return texts, [a.get(XLINK_TITLE) for a in root.iter(f"{SVG}a")]


# text -> how a drawing shows it (written out by hand: escapes are Python's \xNN, \uNNNN, \n, \t)
CATALOGUE = [
    ("]]", "]]"),
    ("a]]>b", "a]]>b"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # a terminal colour code
    ("back\\slash\\", "back\\slash\\"),
    ("\\N \\G \\l \\n", "\\N \\G \\l \\n"),  # dot's escapes for the node's name, the graph's name, line ends
    ('say "hi"', 'say "hi"'),
    ("{braces}; [a=b]", "{braces}; [a=b]"),
    ("<b>bold?</b> & <BR/>", "<b>bold?</b> & <BR/>"),
    ("&amp; &#93;", "&amp; &#93;"),
    ("line\nbreak\ttab\r", "line\\nbreak\\ttab\\r"),
    ("nul\x00 del\x7f c1\x85", "nul\\x00 del\\x7f c1\\x85"),
    ("lone \ud800 surrogate \udfff", "lone \\ud800 surrogate \\udfff"),
    ("not a character \uffff \ufffe", "not a character \\uffff \\ufffe"),
    ("zero\u200bwidth \u202eright-to-left", "zero\\u200bwidth \\u202eright-to-left"),
    ("über 名前 😀 Ωμέγα", "über 名前 😀 Ωμέγα"),
]


@pytest.mark.parametrize("text, shown", CATALOGUE)
def test_names_titles_and_module_names_are_drawn_as_they_are(tmp_path, text, shown):
    out, options = drawn(text, text, text)
    texts, tooltips = svg_texts(save_graph(out, tmp_path / "graph.svg", **options))
    assert texts.count(shown) == 3  # the title, the module's cluster, x's box
    assert f"{shown}.w" in texts  # the parameter's box
    assert f"{shown}: (1,) float32" in tooltips and f"{shown}.w: (1,) float32" in tooltips
    assert save_graph(out, tmp_path / "graph.png", **options).read_bytes()[:4] == b"\x89PNG"


def test_the_empty_string_is_drawn_as_nothing(tmp_path):
    out, options = drawn("", "", "")
    texts, _ = svg_texts(save_graph(out, tmp_path / "graph.svg", **options))
    assert ".w" in texts and "" not in texts  # no cluster for a top-level parameter, no title, an empty name
    assert "(1,) float32" in texts


def test_long_text_is_wrapped_into_lines(tmp_path):
    text = "".join(chr(ord("a") + i % 26) for i in range(MAX_LABEL_CHARACTERS))
    out, options = drawn("x", "m", text)
    texts, _ = svg_texts(save_graph(out, tmp_path / "graph.svg", **options))
    lines = [text[i:i + LINE_CHARACTERS] for i in range(0, len(text), LINE_CHARACTERS)]
    assert all(line in texts for line in lines) and len(lines) == 17


def test_an_escape_is_not_split_between_lines(tmp_path):
    text = "a" * (LINE_CHARACTERS - 2) + "\x1b"  # the escape \x1b would end 2 characters past the line's end
    out, options = drawn(text, "m", "t")
    texts, _ = svg_texts(save_graph(out, tmp_path / "graph.svg", **options))
    assert "a" * (LINE_CHARACTERS - 2) in texts and "\\x1b" in texts


@pytest.mark.parametrize("where", ["names", "params", "title"])
@pytest.mark.parametrize("text, length", [
    ("a" * (MAX_LABEL_CHARACTERS + 1), MAX_LABEL_CHARACTERS + 1),
    ("\x00" * 300, 1200),  # each shows as the 4 characters \x00
])
def test_text_too_long_to_draw_is_refused_before_anything_is_written(tmp_path, where, text, length):
    out, options = drawn(text if where == "names" else "x", text if where == "params" else "m",
                         text if where == "title" else "t")
    with pytest.raises(ValueError, match=rf"draw_graph: .* is {length + 2 * (where == 'params')} characters long"):
        save_graph(out, tmp_path / "graph.png", **options)
    assert list(tmp_path.iterdir()) == []


def test_a_title_that_is_not_a_string_is_refused():
    out, options = drawn("x", "m", "t")
    for title in (5, b"bytes", ["list"]):
        with pytest.raises(TypeError, match=f"the title must be a str, got {type(title).__name__}"):
            draw_graph(out, **{**options, "title": title})


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)  # every category, lone surrogates too


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=ANY_TEXT, module=ANY_TEXT, title=ANY_TEXT, suffix=st.sampled_from([".svg", ".png"]))
def test_any_text_renders_or_is_refused_with_a_value_error(name, module, title, suffix):
    out, options = drawn(name, module, title)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"graph{suffix}"
        try:
            save_graph(out, path, **options)
        except ValueError as error:
            assert "characters long as drawn" in str(error)
            assert list(Path(folder).iterdir()) == []
            return
        data = path.read_bytes()
        if suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
        else:
            groups = [g.get("class") for g in ET.fromstring(data).iter(f"{SVG}g")]
            assert groups.count("node") == 5 and groups.count("edge") == 4  # x, w, mul, sum, the output
