"""The recorded graph behind a tensor, walked without recursion into a fixed, repeatable order.

The walk follows `arguments(node)` from the root: per forward argument, the op node that produced it, the leaf
Tensor that requires grad (whose AccumulateGrad node the graph holds), or None (no gradient flows there: not
drawn). It lists the graph's items in
forward order (every item after everything it was computed from, arguments in their order), so that the
same computation gives the same picture, node ids included, on every run.
"""
from __future__ import annotations

from autograd.function import AccumulateGrad, Function
from autograd.tensor_class import Tensor

Item = Function | Tensor  # an op node, or a leaf Tensor


def arguments(node: Function) -> list[Item | None]:
    """Per forward argument of `node`: the op that produced it, the leaf Tensor itself, or None."""
    return [p.variable if isinstance(p, AccumulateGrad) else p for p in node.parents]


def walk(root: Tensor) -> list[Item]:
    """Depth-first from the root, first argument first; each item once, after all the items it consumed."""
    start: Item = root._node if root._node is not None else root
    items: list[Item] = []
    visited = set()
    stack: list[tuple[Item, bool]] = [(start, False)]
    while stack:
        item, inputs_listed = stack.pop()
        if inputs_listed:
            items.append(item)
        elif item not in visited:
            visited.add(item)
            stack.append((item, True))
            if isinstance(item, Function):
                stack.extend((p, False) for p in reversed(arguments(item)) if p is not None and p not in visited)
    return items
