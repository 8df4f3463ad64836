"""The nodes of an autograd graph, for the tests that check which nodes an op or a module makes (importable from
every test folder: pytest puts this folder, where conftest.py is, on sys.path)."""
from autograd import Tensor
from autograd.function import Function


def graph_nodes(out: Tensor) -> set[Function]:
    """Every node of the graph that produced `out`, its leaves' AccumulateGrad nodes included."""
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and node not in seen:
            seen.add(node)
            stack.extend(node.parents)
    return seen


def node_names(out: Tensor) -> list[str]:
    """The sorted class names of the nodes of out's graph."""
    return sorted(type(node).__name__ for node in graph_nodes(out))
