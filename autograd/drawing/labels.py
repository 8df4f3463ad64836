"""What the nodes of a drawn graph say: an op's name; a tensor's name, shape, dtype, values and gradient.

Labels are Graphviz HTML-like labels (https://graphviz.org/doc/info/shapes.html#html), one table row per line.
Every string a user gives (names, titles, module names) reaches the DOT source through `escape`, so that any
text is drawn as it is, or refused with a ValueError before anything is written.
"""
from __future__ import annotations

import html
import re

import graphviz
import numpy as np

from autograd.drawing.gradient_scale import Band, gradient_norm
from autograd.function import Function
from autograd.tensor_class import Tensor

_OP_NAMES = {"MatMul": "matmul", "GetItem": "getitem", "LogSumExp": "logsumexp", "Affine": "linear",  # PyTorch's
             "_CrossEntropy": "cross_entropy", "IndexCrossEntropy": "cross_entropy",  # spelling
             "_NegativeLogLikelihood": "nll_loss"}


MAX_LABEL_CHARACTERS = 1000  # longer text would make a node wider or taller than `dot` can lay out
LINE_CHARACTERS = 60  # longer text is drawn on several lines


def _visible(character: str) -> str:
    """A character as the drawing shows it: itself if printable, else its Python escape ('\\x1b', '\\ud800')."""
    return character if character.isprintable() else character.encode("unicode_escape").decode("ascii")


def escape(text: object, what: str, *, markup: bool = True) -> str:
    """`text` as `dot` accepts it and shows it, character for character; `what` names it in errors ('the title').

    Characters that are not printable (control characters such as the terminal's colour codes, line breaks, lone
    surrogates, unassigned code points) are shown as their Python escapes, never dropped; backslashes are escaped,
    as dot reads '\\N' as the node's name. markup=True (labels): HTML-like label text, with &, <, >, quotes and ]
    as character references and a line break every LINE_CHARACTERS; markup=False: a plain attribute (a tooltip).
    Raises TypeError if `text` is not a str, ValueError if it shows as more than MAX_LABEL_CHARACTERS.
    """
    if not isinstance(text, str):
        raise TypeError(f"draw_graph: {what} must be a str, got {type(text).__name__}")
    pieces = [_visible(c) for c in text]
    length = sum(len(p) for p in pieces)
    if length > MAX_LABEL_CHARACTERS:
        raise ValueError(f"draw_graph: {what} is {length} characters long as drawn (non-printable characters "
                         f"count as their escapes); at most {MAX_LABEL_CHARACTERS} fit in a drawing: "
                         f"shorten it ({text[:40]!r}...)")
    if not markup:  # dot reads a tooltip's backslashes twice, and keeps its character references
        return graphviz.nohtml("".join(pieces).replace("\\", "\\" * 4).replace("&", "&amp;"))
    lines, line = [], ""
    for piece in pieces:  # an escape is never split between two lines
        if len(line) + len(piece) > LINE_CHARACTERS:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "<BR/>".join(_markup(line) for line in lines)


def _markup(line: str) -> str:
    """HTML-like text that dot shows as `line`: it reads ']]' as the end of a block, and '\\N' as a node's name."""
    return html.escape(line).replace("]", "&#93;").replace("\\", "\\\\")


def op_name(node: Function) -> str:
    """The op a node ran, as PyTorch's functions spell it: Mul -> 'mul', LogSoftmax -> 'log_softmax'."""
    cls = type(node).__name__
    return _OP_NAMES.get(cls) or re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", cls).lower()


def _number(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, (float, np.floating)) else str(value)


def format_values(array: np.ndarray) -> list[str]:
    """An array's elements to 4 significant digits, as lines: '-2', '[0.5, -1]', '[[1, 2],', ' [3, 4]]'."""
    if array.ndim == 0:
        return [_number(array.item())]
    return np.array2string(array, separator=", ", formatter={"all": _number}, max_line_width=48).splitlines()


def _row(text: str, point_size: int | None = None, bold: bool = False) -> str:
    if not text:  # dot refuses an empty <B></B> or <FONT></FONT>
        return '<TR><TD></TD></TR>'
    if bold:
        text = f"<B>{text}</B>"
    if point_size:
        text = f'<FONT POINT-SIZE="{point_size}">{text}</FONT>'
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>'


def _values_row(caption: str, array: np.ndarray) -> str:
    lines = [escape(line, "a value") for line in format_values(array)]
    return _row(f"{caption} " + "<BR/>".join(lines))


def describe_shape(tensor: Tensor) -> str:
    """'(2, 3) float32'; a 0-d tensor is '() float32'."""
    dims = ", ".join(str(d) for d in tensor.shape)
    return f"({dims}{',' if tensor.ndim == 1 else ''}) {tensor.dtype}"


def tensor_label(title: str, tensor: Tensor, max_elements: int, band: Band) -> str:
    """Title, shape and dtype; data and grad when the tensor has at most `max_elements` elements, else ‖grad‖."""
    rows = [_row(escape(title, "a tensor name"), bold=True), _row(describe_shape(tensor), point_size=9)]
    small = tensor._data.size <= max_elements
    if small:
        rows.append(_values_row("data", tensor._data))
    grad = tensor.grad
    if grad is None:
        if tensor.requires_grad:
            rows.append(_row("grad None", point_size=9))
    elif small:
        rows.append(_values_row("grad", grad._data))
    else:
        rows.append(_row(f"‖grad‖ {gradient_norm(grad._data):.3g}"))
    if band.flagged:
        rows.append(_row(flag_text(grad._data, band), bold=True))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def flag_text(grad: np.ndarray, band: Band) -> str:
    """What is wrong with a flagged gradient, in a word or two."""
    if band.name == "nan":
        return "NaN gradient" if np.isnan(grad).any() else "infinite gradient"
    return f"{band.name} gradient"
