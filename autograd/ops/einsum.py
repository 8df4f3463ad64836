"""einsum: sums of products of operands named by index letters, as torch.einsum ("ij,jk->ik" is a matrix
product, "ii->" a trace, "bij,bjk->bik" a batched product, "...ij->...ji" a transpose of the last two axes).

Supported: letters a-z and A-Z, an explicit output after "->" or the implicit one (the letters used once, in
alphabetical order, after the ellipsis dimensions), a letter repeated within an operand (a diagonal), "..." for
the leading dimensions of each operand (broadcast together), and dimensions of size 1 broadcast against the
same letter elsewhere. Not supported: the sublist form einsum(op, [0, 1], ...), and a letter repeated in the
output (PyTorch refuses it too).

The derivative with respect to one operand is an einsum again: the output's gradient contracted with the other
operands into that operand's subscripts, so that it is differentiable again (see `Einsum`).
"""
from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import result_dtype
from autograd.tensor_class import Tensor

ELLIPSIS = "..."


class Einsum(Function, on_arrays=True):
    """y = einsum(equation, A_1, ..., A_n), the equation in its full form (explicit output, no ellipsis, no
    broadcast sizes);  dL/dA_k = einsum(output, other operands -> subscripts of A_k) applied to the gradient.

    Two cases need more operands in that einsum, constants: a letter that A_k alone holds (summed over in
    the forward pass) takes a vector of ones, so that the gradient is copied along it; a letter repeated in A_k
    (a diagonal) gets a fresh letter for each repetition, tied to it by an identity tensor, so that the
    gradient lands on the diagonal and is zero off it.
    """

    @staticmethod
    def forward(ctx, equation: str, *operands):
        ctx.equation = equation
        ctx.save_for_backward(*operands)
        out = np.einsum(equation, *operands, optimize=len(operands) > 2)
        if any(np.may_share_memory(out, o) for o in operands):  # "ij->ji" and "ii->i" give views: copy
            out = out.copy()
        return out

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        terms = inputs.split(",")
        return (None, *(_operand_gradient(grad, output, terms, operands, k) if needed else None
                        for k, needed in enumerate(ctx.needs_input_grad[1:])))


def _einsum_either(equation: str, *operands: Any) -> Any:
    """einsum on arrays, or recorded when an operand is a Tensor (for derivative formulas)."""
    if any(isinstance(o, Tensor) for o in operands):
        return Einsum.apply(equation, *operands)
    return Einsum.forward(Einsum(), equation, *operands)


def _identity(n: int, order: int, dtype: np.dtype) -> np.ndarray:
    """delta_{i1 ... i_order}: 1 where all indices are equal, else 0."""
    delta = np.zeros((n,) * order, dtype=dtype)
    delta[(np.arange(n),) * order] = 1
    return delta


def _operand_gradient(grad: Any, output: str, terms: list[str], operands: Sequence[Any], k: int) -> Any:
    term, shape = terms[k], operands[k].shape
    size = dict(zip(term, shape))
    used = set(output).union(*terms)
    fresh = (c for c in string.ascii_letters if c not in used)
    target, repeats = [], {}  # the subscripts of the gradient (repetitions renamed); letter: its names
    for c in term:
        name = c if c not in repeats else next(fresh)
        repeats.setdefault(c, []).append(name)
        target.append(name)
    elsewhere = set(output).union(*(t for i, t in enumerate(terms) if i != k))
    dtype = grad.dtype
    constant_terms, constants = [], []
    for c, names in repeats.items():
        if len(names) > 1:
            constant_terms.append("".join(names))
            constants.append(_identity(size[c], len(names), dtype))
        elif c not in elsewhere:
            constant_terms.append(c)
            constants.append(np.ones(size[c], dtype=dtype))
    others = [o for i, o in enumerate(operands) if i != k]
    other_terms = [t for i, t in enumerate(terms) if i != k]
    equation = ",".join([output, *other_terms, *constant_terms]) + "->" + "".join(target)
    return _einsum_either(equation, grad, *others, *constants)


def _split_terms(equation: str, operands: tuple) -> tuple[list[str], str | None]:
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum: the equation {equation!r} names {len(terms)} operands, but {len(operands)} "
                         "were given")
    for text in [*terms] + ([output] if arrow else []):
        letters = text.replace(ELLIPSIS, "", 1)
        bad = [c for c in letters if c not in string.ascii_letters]
        if bad:
            raise ValueError(f"einsum: invalid subscript {bad[0]!r} in {equation!r}: subscripts are letters a-z, "
                             "A-Z and one '...' per operand")
    return terms, output if arrow else None


def _expand_ellipses(terms: list[str], output: str | None, operands: tuple) -> tuple[list[str], str]:
    """Every '...' replaced by unused letters (right-aligned, as broadcasting aligns dimensions); the implicit
    output made explicit."""
    used = set("".join(terms) + (output or ""))
    spare = [c for c in string.ascii_letters if c not in used]
    counts = []
    for i, (term, x) in enumerate(zip(terms, operands)):
        named = len(term.replace(ELLIPSIS, ""))
        if (ELLIPSIS in term and named > x.ndim) or (ELLIPSIS not in term and named != x.ndim):
            raise ValueError(f"einsum: operand {i} has {x.ndim} dimensions (shape {x.shape}), but its subscripts "
                             f"{term!r} name {named}")
        counts.append(x.ndim - named if ELLIPSIS in term else 0)
    width = max(counts, default=0)
    if width > len(spare):
        raise ValueError("einsum: too many dimensions under '...' for the letters left unused")
    letters = "".join(spare[:width])
    terms = [t.replace(ELLIPSIS, letters[width - n:]) for t, n in zip(terms, counts)]
    if output is None:
        once = [c for c in sorted(set("".join(terms))) if "".join(terms).count(c) == 1 and c not in letters]
        return terms, letters + "".join(once)
    if ELLIPSIS not in output and width:
        raise ValueError(f"einsum: the output {output!r} has no '...', but operands have dimensions under '...'")
    return terms, output.replace(ELLIPSIS, letters)


def einsum(equation: str, *operands: Any) -> Tensor:
    """The sum over the letters absent from the output of the products of the operands' elements, as
    torch.einsum (operands given one by one or as one list)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str) or not all(isinstance(o, Tensor) for o in operands):
        raise TypeError("einsum: expected an equation string and Tensors (the sublist form is not supported)")
    terms, output = _split_terms(equation, operands)
    terms, output = _expand_ellipses(terms, output, operands)
    inputs = "".join(terms)
    for c in output:
        if output.count(c) > 1 or c not in inputs:
            raise ValueError(f"einsum: output subscript {c!r} of {equation!r} "
                             + ("appears more than once" if output.count(c) > 1 else "appears in no operand"))
    sizes: dict[str, int] = {}  # each letter's size, broadcast over the operands
    for i, (term, x) in enumerate(zip(terms, operands)):
        for c, n in zip(term, x.shape):
            if n != x.shape[term.index(c)]:
                raise ValueError(f"einsum: subscript {c!r} is repeated in operand {i} for dimensions of different "
                                 f"sizes (shape {x.shape})")
            if sizes.get(c, 1) != 1 and n != 1 and n != sizes[c]:
                raise ValueError(f"einsum: subscript {c!r} has size {n} in operand {i} (shape {x.shape}) but "
                                 f"{sizes[c]} in an earlier one, and these do not broadcast")
            sizes[c] = max(sizes.get(c, 1), n) if n else 0
    dtype = result_dtype(operands)
    operands = tuple(x.to(dtype) if x.dtype != dtype else x for x in operands)
    operands = tuple(x.expand(tuple(sizes[c] for c in term)) if x.shape != tuple(sizes[c] for c in term) else x
                     for term, x in zip(terms, operands))
    return Einsum.apply(",".join(terms) + "->" + output, *operands)
