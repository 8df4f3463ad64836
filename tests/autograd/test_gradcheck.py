"""gradcheck and gradgradcheck catch wrong derivatives and say where; the strategies draw what they promise."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import GradcheckError, gradcheck, gradgradcheck
from autograd.testing import broadcastable_tensors, floats, shapes, tensors


class WrongSquare(ag.Function):
    """y = x^2 with a wrong derivative (x instead of 2x): gradcheck must notice."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._data ** 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x


class FirstOrderOnlyCube(ag.Function):
    """y = x^3 whose backward is right in value but not differentiable (computed on arrays)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x._data ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ag.tensor(3 * x._data ** 2)


def test_gradcheck_reports_input_element_and_both_values():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as error:
        gradcheck(WrongSquare.apply, (x,))
    message = str(error.value)
    assert "input 0" in message and "d input[0]" in message
    assert "2.0" in message and "1.0" in message  # numerical 2x = 2.0 against backward's x = 1.0
    assert gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    assert gradcheck(FirstOrderOnlyCube.apply, (x,))
    assert not gradgradcheck(FirstOrderOnlyCube.apply, (x,), raise_exception=False)


def test_gradcheck_leaves_inputs_unchanged():
    x = ag.tensor([0.3, -1.2, 2.0], dtype=np.float64, requires_grad=True)
    before = x._data.copy()
    gradcheck(lambda t: (t * t).sin(), (x,))
    np.testing.assert_array_equal(x._data, before)
    assert x.grad is None


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda t: t * 2, (ag.tensor([1.0], dtype=np.float64),))


def test_gradcheck_warns_on_float32():
    with pytest.warns(UserWarning, match="float64"):
        gradcheck(lambda t: t * 2, (ag.tensor([1.0], requires_grad=True),), atol=0.1, rtol=0.1)


@given(x=tensors(dtype=np.float32, shape=shapes(max_dims=2), elements=floats(-1, 1, np.float32)))
def test_tensors_strategy(x):
    assert x.dtype == np.float32 and x.requires_grad and x.is_leaf
    assert np.all(np.abs(x._data) <= 1)


@given(pair=broadcastable_tensors(3), data=st.data())
def test_broadcastable_tensors_strategy(pair, data):
    assert len(pair) == 3
    np.broadcast_shapes(*(t.shape for t in pair))  # raises if they do not broadcast
    assert all(t.dtype == np.float64 and t.requires_grad for t in pair)


def test_the_two_forms_of_backward_are_compared_to_the_precision_of_the_inputs():
    """In float32 the array form of a product's backward (computed transposed for a transposed weight) and the
    recorded form differ by rounding only: gradcheck with float32 tolerances passes, and still fails on a
    wrong derivative."""
    rng = np.random.default_rng(0)
    a = ag.tensor(rng.standard_normal((5, 3)).astype(np.float32), requires_grad=True)
    w = ag.tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    with pytest.warns(UserWarning, match="not float64"):
        assert gradcheck(lambda a, w: (a @ w.T).sum(), (a, w), eps=1e-2, atol=1e-2, rtol=1e-2)
    with pytest.warns(UserWarning, match="not float64"):
        assert not gradcheck(lambda a, w: (a @ w.T).sum() + (a.detach() * a).sum(), (a, w), eps=1e-2, atol=1e-2,
                             rtol=1e-2, raise_exception=False)
