"""Gradients handed back by user code (a custom Function's backward, a tensor hook, a module backward hook) are
checked by the engine: type, shape (one that broadcasts to the input is summed back, as PyTorch does), dtype,
and number; a bad one is an error naming the Function or the hook, and no .grad is touched."""
import re

import numpy as np
import pytest

import autograd as ag
import nn


class Returns(ag.Function):
    """y = 2x, whose backward returns whatever the test asks for."""

    @staticmethod
    def forward(ctx, x, answer):
        ctx.answer = answer
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return ctx.answer(grad)


def _backward_through(answer, intermediate):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    Returns.apply(x * 1 if intermediate else x, answer).sum().backward()
    return x


@pytest.fixture(params=[False, True], ids=["leaf", "intermediate"])
def intermediate(request):
    return request.param


def test_a_gradient_of_a_shape_that_does_not_fit_is_refused(intermediate):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = Returns.apply(x * 1 if intermediate else x, lambda g: (ag.ones(5, dtype=ag.float64), None)).sum()
    with pytest.raises(RuntimeError, match=r"the gradient ReturnsBackward returned for input 0 has shape \(5,\), "
                                           r"which does not fit the input's shape \(3,\)"):
        y.backward()
    assert x.grad is None


def test_a_gradient_of_a_broadcast_shape_is_summed_back_as_pytorch_does(intermediate):
    x = _backward_through(lambda g: (ag.tensor([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]], dtype=ag.float64), None),
                          intermediate)
    assert x.grad.tolist() == [11.0, 22.0, 33.0]


@pytest.mark.parametrize(("wrong", "kind"), [(1.0, "float"), ([1.0, 1.0, 1.0], "list"), ("grad", "str"),
                                             (np.array(["a", "b", "c"]), "ndarray")],
                         ids=["float", "list", "str", "array of str"])
def test_a_gradient_that_is_not_a_tensor_is_refused(intermediate, wrong, kind):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = Returns.apply(x * 1 if intermediate else x, lambda g: (wrong, None)).sum()
    with pytest.raises(TypeError, match=rf"the gradient ReturnsBackward returned for input 0 is a {kind}; a gradient "
                                        r"must be a Tensor \(or None\)"):
        y.backward()
    assert x.grad is None


def _one_input(answer):
    """y = 2x with x its only input, whose backward returns `answer` bare (not in a tuple)."""
    class Bare(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return answer

    return Bare


@pytest.mark.parametrize(("answer", "error", "message"), [
    (ag.ones(5, dtype=ag.float64), RuntimeError,
     r"the gradient BareBackward returned for input 0 has shape \(5,\), which does not fit the input's shape \(3,\)"),
    (2.0, TypeError, r"the gradient BareBackward returned for input 0 is a float; a gradient must be a Tensor"),
], ids=["shape", "float"])
def test_a_bare_gradient_of_a_one_input_function_is_checked_as_one_in_a_tuple(intermediate, answer, error, message):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = _one_input(answer).apply(x * 1 if intermediate else x).sum()
    with pytest.raises(error, match=message):
        y.backward()
    assert x.grad is None


@pytest.mark.parametrize("dtype", [ag.float32, ag.int64, ag.bool_])
def test_a_gradient_of_another_dtype_is_cast_to_the_inputs_as_pytorch_does(intermediate, dtype):
    x = _backward_through(lambda g: (ag.ones(3, dtype=dtype), None), intermediate)
    assert x.grad.dtype == ag.float64 and x.grad.tolist() == [1.0, 1.0, 1.0]


def test_too_few_gradients_is_pytorchs_error(intermediate):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = Returns.apply(x * 1 if intermediate else x, lambda g: (g * 2,)).sum()
    with pytest.raises(RuntimeError, match=r"function ReturnsBackward returned an incorrect number of gradients "
                                           r"\(expected 2, got 1\)"):
        y.backward()
    assert x.grad is None


def test_extra_gradients_may_only_be_none(intermediate):
    x = _backward_through(lambda g: (g * 3, None, None, None), intermediate)
    assert x.grad.tolist() == [3.0, 3.0, 3.0]  # extra Nones are dropped, as PyTorch does
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = Returns.apply(x, lambda g: (g, None, g)).sum()
    with pytest.raises(RuntimeError, match=r"returned an incorrect number of gradients \(expected 2, got 3\)"):
        y.backward()
    assert x.grad is None


def _hooked(result, intermediate):
    x = ag.ones(3, dtype=ag.float64, requires_grad=True)
    y = x * 1 if intermediate else x

    def replace(grad):
        return result

    y.register_hook(replace)
    return x, (y * 2).sum()


@pytest.mark.parametrize(("wrong", "kind"), [(1.0, "float"), ([1.0, 1.0, 1.0], "list"), (np.ones(3), "ndarray")],
                         ids=["float", "list", "array"])
def test_a_hook_returning_something_other_than_a_tensor_is_named(intermediate, wrong, kind):
    x, loss = _hooked(wrong, intermediate)
    with pytest.raises(TypeError, match=rf"hook .*replace returned a {kind}; a gradient must be a Tensor or None"):
        loss.backward()
    assert x.grad is None


@pytest.mark.parametrize("shape", [(5,), (2, 3), ()])
def test_a_hook_changing_the_shape_is_named(intermediate, shape):
    x, loss = _hooked(ag.ones(shape, dtype=ag.float64), intermediate)
    with pytest.raises(RuntimeError, match=rf"hook .*replace returned a gradient of shape {re.escape(str(shape))} for "
                                           r"a gradient of shape \(3,\)"):
        loss.backward()
    assert x.grad is None


@pytest.mark.parametrize("dtype", [ag.float32, ag.int64])
def test_a_hook_changing_the_dtype_is_named_as_pytorch_refuses_it(intermediate, dtype):
    x, loss = _hooked(ag.ones(3, dtype=dtype), intermediate)
    with pytest.raises(RuntimeError, match=r"hook .*replace has changed the type of value: it returned a gradient "
                                           rf"of dtype {np.dtype(dtype)} for a gradient of dtype float64"):
        loss.backward()
    assert x.grad is None


def test_a_hook_returning_a_tensor_of_the_right_kind_replaces_the_gradient(intermediate):
    x, loss = _hooked(ag.tensor([1.0, 2.0, 3.0], dtype=ag.float64), intermediate)
    loss.backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(("answer", "error", "message"), [
    ((1.0,), TypeError, r"\(for grad_input\[0\]\) returned a float; a gradient must be a Tensor or None"),
    ((ag.ones(5),), RuntimeError,
     r"\(for grad_input\[0\]\) returned a gradient of shape \(5,\) for a gradient of shape \(4, 3\)"),
    ((ag.ones(4, 3), ag.ones(4, 3)), RuntimeError, r"invalid number of grad_input, got 2, but expected 1"),
], ids=["float", "shape", "count"])
def test_a_module_backward_hook_returning_a_bad_gradient_is_refused(answer, error, message):
    layer = nn.Linear(3, 2)
    layer.register_full_backward_hook(lambda module, grad_input, grad_output: answer)
    x = ag.ones(4, 3, requires_grad=True)
    loss = layer(x).sum()
    with pytest.raises(error, match=message):
        loss.backward()
    assert x.grad is None
