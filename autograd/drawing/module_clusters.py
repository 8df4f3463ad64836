"""Which module each op of the graph belongs to, found from the parameters' names ('fc1.weight' -> 'fc1').

Rules, for a module M:
  A. an op that takes a parameter of M as an argument belongs to M (W.T, + bias, W[indices]);
  C. so does an op that takes such an op whose only argument is one parameter of M (the matmul of x @ W.T);
  B. so does an op computed from an op of M that feeds (through other ops) into an op of M
     (the relu between two weight layers of one block).
An op that the rules give to two modules, or to none, stays outside every module; parameters that belong to
no module (a name without a dot) make no cluster.
"""
from __future__ import annotations

from collections.abc import Iterable

from autograd.drawing.graph_walk import Item, arguments
from autograd.function import Function
from autograd.tensor_class import Tensor


def module_name(parameter_name: str) -> str:
    """The module that owns a parameter: its name without the last part ('' for a top-level parameter)."""
    return parameter_name.rpartition(".")[0]


def op_modules(items: list[Item], parameters: Iterable[tuple[str, Tensor]]) -> dict[Function, str]:
    """The module of every op the rules above assign; `items` in forward order (see graph_walk.walk)."""
    owner = {tensor: module_name(name) for name, tensor in parameters if module_name(name)}
    ops = [item for item in items if isinstance(item, Function)]
    direct: dict[Function, str] = {}  # rules A and C
    weight_views: set[Function] = set()  # rule-A ops whose only argument is one parameter
    for op in ops:
        found = {owner[p] if isinstance(p, Tensor) else direct[p] for p in arguments(op)
                 if (p in owner if isinstance(p, Tensor) else p in weight_views)}
        if len(found) == 1:
            direct[op] = found.pop()
            args = [p for p in arguments(op) if p is not None]
            if len(args) == 1 and isinstance(args[0], Tensor):
                weight_views.add(op)
    after: dict[Function, frozenset] = {}  # modules with a direct op at or before this one
    for op in ops:
        modules = frozenset((direct[op],)) if op in direct else frozenset()
        for p in arguments(op):
            if isinstance(p, Function):
                modules |= after[p]
        after[op] = modules
    before: dict[Function, set] = {op: {direct[op]} if op in direct else set() for op in ops}
    for op in reversed(ops):  # consumers come first
        for p in arguments(op):
            if isinstance(p, Function):
                before[p] |= before[op]
    modules_of = dict(direct)
    for op in ops:
        candidates = after[op] & before[op]
        if op not in direct and len(candidates) == 1:
            (modules_of[op],) = candidates
    return modules_of
