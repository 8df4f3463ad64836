"""Module hooks, as PyTorch's: forward pre-hooks and forward hooks (which may replace the arguments and the
output), full backward hooks and backward pre-hooks (whose grad_input / grad_output are checked against
autograd.grad, and which may replace them), their order, and handles that remove them."""
import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor, gradgradcheck


def float64_linear(seed=0, n_in=3, n_out=2):
    ag.manual_seed(seed)
    return nn.Linear(n_in, n_out).double()


def leaf(*shape, seed=1):
    return Tensor(np.random.default_rng(seed).normal(size=shape), requires_grad=True)


class MulAdd(nn.Module):
    """Two tensor inputs and a number in, two outputs: (a * b * scale, a + b)."""

    def forward(self, a, b, scale):
        return a * b * scale, a + b


# ---- forward hooks ----

def test_forward_pre_hook_may_replace_the_arguments_and_forward_hook_the_output():
    layer = float64_linear()
    x = leaf(4, 3)
    w, b = layer.weight._data, layer.bias._data
    seen = []
    layer.register_forward_pre_hook(lambda module, args: args[0] * 2)  # a non-tuple is wrapped in one
    layer.register_forward_hook(lambda module, args, output: seen.append((module, args, output)))
    out = layer(x)
    np.testing.assert_allclose(out._data, 2 * x._data @ w.T + b)
    (module, args, output), = seen
    assert module is layer and isinstance(args, tuple) and len(args) == 1
    np.testing.assert_allclose(args[0]._data, 2 * x._data)  # the forward hook sees the replaced arguments
    assert output is out
    layer.register_forward_hook(lambda module, args, output: output.relu())
    np.testing.assert_allclose(layer(x)._data, np.maximum(2 * x._data @ w.T + b, 0))


def test_hooks_with_kwargs_see_and_may_replace_the_keyword_arguments():
    module = MulAdd()
    a, b = leaf(3), leaf(3, seed=2)

    def pre(module, args, kwargs):
        return args, {**kwargs, "scale": 10.0}

    outputs = []
    module.register_forward_pre_hook(pre, with_kwargs=True)
    module.register_forward_hook(lambda m, args, kwargs, out: outputs.append(kwargs["scale"]), with_kwargs=True)
    product, _ = module(a, b=b, scale=1.0)
    np.testing.assert_allclose(product._data, 10 * a._data * b._data)
    assert outputs == [10.0]
    module.register_forward_pre_hook(lambda m, args, kwargs: "nonsense", with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\)"):
        module(a, b=b, scale=1.0)


def test_hooks_run_in_registration_order_unless_prepended_and_handles_remove_them():
    layer = nn.Linear(2, 2)
    calls = []

    def record(name):
        return lambda module, args, *output: calls.append(name)

    first = layer.register_forward_hook(record("first"))
    layer.register_forward_hook(record("second"))
    layer.register_forward_hook(record("front"), prepend=True)
    pre = layer.register_forward_pre_hook(record("pre"))
    layer(ag.zeros(1, 2))
    assert calls == ["pre", "front", "first", "second"]
    first.remove()
    pre.remove()
    first.remove()  # a second remove does nothing
    calls.clear()
    layer(ag.zeros(1, 2))
    assert calls == ["front", "second"]


def test_removing_one_of_two_registrations_of_the_same_function_keeps_the_other():
    layer, calls = nn.Linear(2, 2), []

    def hook(module, args, output):
        calls.append(1)

    handle = layer.register_forward_hook(hook)
    layer.register_forward_hook(hook)
    handle.remove()
    layer(ag.zeros(1, 2))
    assert calls == [1]


def test_forward_hooks_capture_the_activations_of_a_sequential_model():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    activations = {}
    for name, module in model.named_children():
        module.register_forward_hook(lambda m, args, out, name=name: activations.__setitem__(name, out._data))
    x = ag.randn(5, 3)
    model(x)
    hidden = x._data @ model[0].weight._data.T + model[0].bias._data
    np.testing.assert_allclose(activations["0"], hidden, rtol=1e-6)
    np.testing.assert_allclose(activations["1"], np.maximum(hidden, 0), rtol=1e-6)
    assert sorted(activations) == ["0", "1", "2"]


# ---- backward hooks ----

def test_full_backward_hook_sees_the_gradients_autograd_grad_computes():
    layer = float64_linear()
    seen = []
    layer.register_full_backward_hook(lambda module, grad_input, grad_output: seen.append(
        (module, grad_input, grad_output)))
    x = leaf(4, 3)
    y = layer(x)
    loss = (y * y).sum() + y.sum()
    assert seen == []  # not before a backward pass
    dx, dy = ag.grad(loss, (x, y), retain_graph=True)
    loss.backward()
    assert len(seen) == 2  # autograd.grad passes through the module too, as in PyTorch
    module, grad_input, grad_output = seen[-1]
    assert module is layer and isinstance(grad_input, tuple) and isinstance(grad_output, tuple)
    np.testing.assert_allclose(grad_input[0]._data, dx._data, rtol=1e-12)
    np.testing.assert_allclose(grad_output[0]._data, dy._data, rtol=1e-12)
    np.testing.assert_allclose(grad_output[0]._data, 2 * y._data + 1, rtol=1e-12)  # the closed form, too


def test_backward_hooks_of_a_module_with_several_inputs_and_outputs():
    module, seen = MulAdd(), []
    module.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go)))
    a, b = leaf(3), leaf(3, seed=2)
    product, total = module(a, b, 3.0)
    loss = (product * total).sum()
    da, dproduct, dtotal = ag.grad(loss, (a, product, total), retain_graph=True)
    loss.backward()
    grad_input, grad_output = seen[-1]
    assert len(grad_input) == 3 and grad_input[2] is None  # one entry per positional argument
    np.testing.assert_allclose(grad_input[0]._data, da._data, rtol=1e-12)
    np.testing.assert_allclose(grad_input[0]._data, 3 * b._data * total._data + product._data, rtol=1e-12)
    np.testing.assert_allclose(grad_input[1]._data, 3 * a._data * total._data + product._data, rtol=1e-12)
    np.testing.assert_allclose(grad_output[0]._data, dproduct._data)
    np.testing.assert_allclose(grad_output[1]._data, dtotal._data)
    seen.clear()
    c = Tensor(np.full(3, 2.0))  # needs no gradient: None in grad_input
    module(a, c, 3.0)[0].sum().backward()
    grad_input, _ = seen[-1]
    assert grad_input[1] is None and grad_input[2] is None
    np.testing.assert_allclose(grad_input[0]._data, 3 * c._data)


def test_a_backward_hook_may_replace_grad_input_and_a_pre_hook_grad_output():
    layer = float64_linear()
    x = leaf(4, 3)
    plain = ag.grad(layer(x).sum(), (x, layer.weight))
    handle = layer.register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0] * 3,))
    layer(x).sum().backward()
    np.testing.assert_allclose(x.grad._data, 3 * plain[0]._data, rtol=1e-12)
    np.testing.assert_allclose(layer.weight.grad._data, plain[1]._data, rtol=1e-12)  # parameters: unchanged
    handle.remove()
    x.grad = layer.weight.grad = None
    layer.register_full_backward_pre_hook(lambda m, grad_output: (grad_output[0] * 0.5,))
    layer(x).sum().backward()
    np.testing.assert_allclose(x.grad._data, 0.5 * plain[0]._data, rtol=1e-12)
    np.testing.assert_allclose(layer.weight.grad._data, 0.5 * plain[1]._data, rtol=1e-12)


def test_when_no_input_requires_grad_the_hook_gets_none_for_grad_input():
    layer, seen = float64_linear(), []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go)))
    x = Tensor(np.ones((2, 3)))
    y = layer(x)
    dy, dw = ag.grad((y ** 2).sum(), (y, layer.weight), retain_graph=True)
    (y ** 2).sum().backward()
    grad_input, grad_output = seen[-1]
    assert grad_input == (None,)
    np.testing.assert_allclose(grad_output[0]._data, dy._data)
    np.testing.assert_allclose(layer.weight.grad._data, dw._data)
    layer.register_full_backward_hook(lambda m, gi, go: (ag.ones(2, 3),))
    with pytest.raises(RuntimeError, match="no input requires gradient should always return None"):
        layer(x).sum().backward()


def test_removed_backward_hooks_and_no_grad_calls_are_not_seen():
    layer, calls = float64_linear(), []
    handle = layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    x = leaf(2, 3)
    layer(x).sum().backward()
    handle.remove()
    layer(x).sum().backward()
    assert calls == [1]
    layer.register_full_backward_hook(lambda m, gi, go: calls.append(2))
    with ag.no_grad():
        out = layer(x)
    assert out.grad_fn is None and calls == [1]


def test_a_hook_returning_the_wrong_number_of_gradients_is_an_error():
    layer = float64_linear()
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of grad_input, got 2, but "
                                           "expected 1"):
        layer(leaf(2, 3)).sum().backward()


def test_gradients_of_gradients_flow_through_a_hooked_module():
    layer, calls = float64_linear(), []
    layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    x = leaf(2, 3)
    assert gradgradcheck(lambda x: layer(x).tanh(), (x,))
    assert calls
