"""What the nodes of a drawn graph say: an op's name; a tensor's name, shape, dtype, values and gradient.

Labels are Graphviz HTML-like labels (https://graphviz.org/doc/info/shapes.html#html), one table row per line.
"""
from __future__ import annotations

import html
import re

import numpy as np

from autograd.drawing.gradient_scale import Band, gradient_norm
from autograd.function import Function
from autograd.tensor_class import Tensor

_OP_NAMES = {"MatMul": "matmul", "GetItem": "getitem", "LogSumExp": "logsumexp", "Affine": "linear",  # PyTorch's
             "_CrossEntropy": "cross_entropy", "_NegativeLogLikelihood": "nll_loss"}  # spelling


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
    if bold:
        text = f"<B>{text}</B>"
    if point_size:
        text = f'<FONT POINT-SIZE="{point_size}">{text}</FONT>'
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>'


def _values_row(caption: str, array: np.ndarray) -> str:
    lines = [html.escape(line) for line in format_values(array)]
    return _row(f"{caption} " + "<BR/>".join(lines))


def describe_shape(tensor: Tensor) -> str:
    """'(2, 3) float32'; a 0-d tensor is '() float32'."""
    dims = ", ".join(str(d) for d in tensor.shape)
    return f"({dims}{',' if tensor.ndim == 1 else ''}) {tensor.dtype}"


def tensor_label(title: str, tensor: Tensor, max_elements: int, band: Band) -> str:
    """Title, shape and dtype; data and grad when the tensor has at most `max_elements` elements, else ‖grad‖."""
    rows = [_row(html.escape(title), bold=True), _row(describe_shape(tensor), point_size=9)]
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
