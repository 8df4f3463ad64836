"""The engine's shape: modules that load in any order, leaves with AccumulateGrad nodes, and gradients fitted to
their inputs by the engine. (The errors for gradients of the wrong kind from user code, a Function's backward or a
hook, are tested in test_bad_input_gradients.)"""
import importlib
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
from autograd import AccumulateGrad, Function

PACKAGE = Path(ag.__file__).parent
MODULES = sorted("autograd." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                 for p in PACKAGE.rglob("*.py"))


def test_every_module_loads_first_and_in_any_order():
    """Each module imported first into a fresh interpreter, then the rest in a shuffled order."""
    orders = []
    for first in MODULES:
        rest = [m for m in MODULES if m != first]
        random.Random(first).shuffle(rest)
        orders.append([first] + rest)
    program = "\n".join([
        "import importlib, sys",
        f"for order in {orders!r}:",
        "    for name in [m for m in sys.modules if m == 'autograd' or m.startswith('autograd.')]:",
        "        del sys.modules[name]",
        "    for name in order:",
        "        importlib.import_module(name)",
    ])
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_package_init_imports_in_any_order():
    """The lines of autograd/__init__.py, shuffled, still make the package (what an import sorter may do)."""
    source = (PACKAGE / "__init__.py").read_text()
    statements = source.split("\nfrom ")
    head, imports = statements[0], ["from " + s for s in statements[1:]]
    tail = imports[-1].split("\n\n", 1)
    imports[-1] = tail[0]
    for seed in range(3):
        random.Random(seed).shuffle(imports)
        shuffled = "\n".join([head] + imports) + "\n\n" + tail[1]
        program = ("import sys, types\nmodule = types.ModuleType('autograd')\nmodule.__path__ = "
                   f"[{str(PACKAGE)!r}]\nsys.modules['autograd'] = module\nexec({shuffled!r}, module.__dict__)\n"
                   "assert module.Tensor and module.backward and module.tensor")
        result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_names_are_what_they_say():
    engine = importlib.import_module("autograd.engine")
    assert callable(engine.run_backward) and ag.backward is engine.backward  # the module, and its function
    assert ag.tensor is importlib.import_module("autograd.factories").tensor
    assert importlib.import_module("autograd.tensor_class").Tensor is ag.Tensor
    assert "np" not in ag.__all__ and all(hasattr(ag, name) for name in ag.__all__)
    tensor_module = importlib.import_module("autograd.tensor_class")
    for builtin in ("sum", "max", "min", "abs", "pow"):  # not rebound in the module that defines Tensor
        assert builtin not in vars(tensor_module)


def test_a_leaf_appears_as_its_accumulate_grad_node():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0])
    y = x * c
    (node, index), (none, zero) = y.grad_fn.next_functions
    assert isinstance(node, AccumulateGrad) and node.variable is x and index == 0
    assert node.name() == "AccumulateGrad" and (none, zero) == (None, 0)
    assert (x + 1).grad_fn.next_functions[0][0] is node  # one node per leaf, shared by every use
    assert x.grad_fn is None and x.is_leaf


def test_the_tutorial_walk_along_next_functions():
    w = ag.tensor([[1.0, 2.0]], requires_grad=True)
    loss = (ag.tensor([[3.0], [4.0]]).T @ w.T).tanh().sum()
    names = []
    node = loss.grad_fn
    while node is not None:
        names.append(node.name())
        node = next((n for n, _ in node.next_functions if n is not None), None)
    assert names == ["SumBackward", "TanhBackward", "MatMulBackward", "TransposeBackward", "AccumulateGrad"]


def test_the_leaf_and_its_node_make_no_reference_cycle():
    import gc
    import weakref
    gc.disable()
    try:
        x = ag.tensor([1.0], requires_grad=True)
        y = x * 2
        node, ref = y.grad_fn.next_functions[0][0], weakref.ref(x)
        del x, y
        assert ref() is None and node.variable is None  # freed by reference counting alone
    finally:
        gc.enable()


class Broadcasting(Function, on_arrays=True):
    """y = a * b with b broadcast; backward returns the gradients in the output's shape: the engine reduces them."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * a


def test_the_engine_sums_each_gradient_to_its_input_and_gradients_of_gradients_work():
    a = ag.tensor(np.linspace(0.5, 2, 6).reshape(2, 3), dtype=np.float64, requires_grad=True)
    b = ag.tensor([0.5, -1.0, 2.0], dtype=np.float64, requires_grad=True)
    Broadcasting.apply(a, b).sum().backward()
    np.testing.assert_array_equal(b.grad._data, a._data.sum(0))
    assert ag.gradcheck(Broadcasting.apply, (a, b)) and ag.gradgradcheck(Broadcasting.apply, (a, b))


class Logged(Function, on_arrays=True):
    """y = x, noting in `runs` when its backward runs and the gradient it received."""

    runs: list = []

    @staticmethod
    def forward(ctx, x, name):
        ctx.label = name
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        Logged.runs.append((ctx.label, grad.tolist()))
        return grad, None


def test_each_node_runs_once_after_all_its_consumers_and_only_if_a_gradient_reaches_it():
    """Nodes run latest recorded first: a node is recorded after its inputs' nodes, so it runs after every
    consumer has sent its part (it sees the sum over all paths), whatever order the paths were built in."""
    x = ag.tensor([1.0], requires_grad=True)
    a = Logged.apply(x, "a")
    b = Logged.apply(a, "b")
    unused = Logged.apply(a, "unused")  # a consumer of a that no gradient reaches
    c = Logged.apply(a * 2, "c")  # a second path from a, recorded after b
    d = Logged.apply(b * 3 + c, "d")
    assert a.grad_fn.sequence_nr < b.grad_fn.sequence_nr < unused.grad_fn.sequence_nr < c.grad_fn.sequence_nr
    assert x.grad_fn is None and a.grad_fn.next_functions[0][0].sequence_nr < a.grad_fn.sequence_nr
    Logged.runs = []
    d.sum().backward()
    assert Logged.runs == [("d", [1.0]), ("c", [1.0]), ("b", [3.0]), ("a", [5.0])]
    assert x.grad.tolist() == [5.0]


def test_the_engine_casts_each_gradient_to_its_input_dtype():
    x = ag.tensor([1.0, 2.0], dtype=np.float32, requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 3.0]


def test_one_backward_formula_runs_on_arrays_without_a_graph_and_on_tensors_with_one():
    seen = []

    class Spy(Function, on_arrays=True):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            seen.append((type(grad).__name__, type(x).__name__))
            return 2 * x * grad

    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    Spy.apply(x).sum().backward()
    (g,) = ag.grad(Spy.apply(x).sum(), x, create_graph=True)
    g.sum().backward()
    assert seen == [("ndarray", "ndarray"), ("Tensor", "Tensor")]
    assert x.grad.tolist() == [2 + 2, 4 + 2]  # 2x from the first backward, then d(sum 2x)/dx = 2


def test_grad_runs_only_the_part_of_the_graph_between_outputs_and_inputs():
    x = ag.ones(3, requires_grad=True)
    w = ag.ones(3)
    z = x * w
    y = (z * 2).sum()
    w += 1  # changes what the node below z saved: grad(y, z) does not need that node
    assert ag.grad(y, z)[0].tolist() == [2.0, 2.0, 2.0]
    x = ag.ones(3, requires_grad=True)
    z = x * 3.0
    y = (z * 2).sum()
    ag.grad(y, z)  # frees only what it ran: the graph below z still backpropagates
    z.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]
    h = x * 2
    assert [g.tolist() for g in ag.grad((h * h).sum(), [h, x])] == [[4.0] * 3, [8.0] * 3]


def test_in_place_changes_are_caught_only_for_the_tensors_saved_and_only_after_saving():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = ag.tensor([3.0, 4.0])
    c.mul_(2)  # changed before it is saved: fine
    unrelated = ag.zeros(2)
    y = (x * c).sum()
    unrelated.add_(1)  # a change elsewhere moves the global count but is not a change of what y saved
    y.backward()
    assert x.grad.tolist() == [6.0, 8.0]
    y = (x * c).sum()
    c.view(2).add_(1)  # through a view: the same version counter
    with pytest.raises(RuntimeError, match=r"modified by an in-place operation after it was saved \(it is now "
                                           r"at version 2\)"):
        y.backward()
