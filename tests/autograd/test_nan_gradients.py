"""Values and gradients at NaN match PyTorch's for the ops with kinks and selections.

Every expected list below was computed by PyTorch 2.13 (CPU, float64) on the same inputs, and stored here;
"nan" stands for NaN. The backward pass starts from ones.
"""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

nan = float("nan")
X = [nan, -1.0, 0.0, 2.0, nan, 3.0]
Y = [1.0, nan, 0.0, nan, 2.0, 3.0]
X2 = [nan, -1.0, 0.0, 2.0, 5.0, 3.0]
Y2 = [1.0, 1.0, nan, nan, 2.0, 2.5]
Y3 = [1.0, 1.0, nan, nan, 2.0, 4.0]
M = [nan, 1.0, 2.0, 3.0, 5.0, 4.0, 7.0, 7.0, nan]  # a 3 x 3 matrix, row by row


def _as_array(values):
    return np.array([np.nan if v == "nan" else v for v in values], dtype=np.float64)


def _grad(fn, values, shape=None):
    x = ag.tensor(values, dtype=ag.float64).reshape(shape or (len(values),)).requires_grad_()
    out = fn(x)
    out.backward(ag.ones_like(out))
    return x.grad.numpy().reshape(-1)


def _grads(fn, first, second):
    x = ag.tensor(first, dtype=ag.float64, requires_grad=True)
    y = ag.tensor(second, dtype=ag.float64, requires_grad=True)
    out = fn(x, y)
    out.backward(ag.ones_like(out))
    return x.grad.numpy(), y.grad.numpy()


ONE_INPUT = {  # name: (function, input, shape, PyTorch's gradient)
    "relu": (ag.relu, X, None, [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "F.relu": (F.relu, X, None, [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "nn.ReLU": (nn.ReLU(), X, None, [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "max(dim=1)": (lambda x: x.max(1).values, M, (3, 3), [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]),
    "min(dim=1)": (lambda x: x.min(1).values, M, (3, 3), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
    "max(dim=0)": (lambda x: x.max(0).values, M, (3, 3), [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
    "amax(1)": (lambda x: x.amax(1), M, (3, 3), ["nan", "nan", "nan", 0.0, 1.0, 0.0, "nan", "nan", "nan"]),
    "amin(1)": (lambda x: x.amin(1), M, (3, 3), ["nan", "nan", "nan", 1.0, 0.0, 0.0, "nan", "nan", "nan"]),
    "max()": (lambda x: x.max(), M, (3, 3), [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]),
    "min()": (lambda x: x.min(), M, (3, 3), [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]),
    "amax()": (lambda x: x.amax(), M, (3, 3), ["nan"] * 9),
    "amin()": (lambda x: x.amin(), M, (3, 3), ["nan"] * 9),
    "clamp(min=0)": (lambda x: x.clamp(min=0.0), X, None, [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]),
    "clamp(max=1)": (lambda x: x.clamp(max=1.0), X, None, [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]),
    "clamp(0, 1)": (lambda x: x.clamp(0.0, 1.0), X, None, [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
    "clamp(min=tensor with NaN)": (lambda x: x.clamp(min=ag.tensor([nan, 0.0, nan, 0.0, 0.0, 5.0], dtype=ag.float64)),
                                   X, None, [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
    "hardtanh": (F.hardtanh, X, None, [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]),
    "nn.Hardtanh": (nn.Hardtanh(), X, None, [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]),
    "relu6": (F.relu6, X, None, [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "nn.ReLU6": (nn.ReLU6(), X, None, [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), X, None, [0.1, 0.1, 0.1, 1.0, 0.1, 1.0]),
    "abs": (ag.abs, X, None, [0.0, -1.0, 0.0, 1.0, 0.0, 1.0]),
}


@pytest.mark.parametrize("name", ONE_INPUT)
def test_gradient_at_nan_is_pytorchs(name):
    fn, values, shape, expected = ONE_INPUT[name]
    np.testing.assert_array_equal(_grad(fn, values, shape), _as_array(expected))


TWO_INPUTS = {  # name: (function, first input, second input, PyTorch's gradients of both)
    "maximum": (ag.maximum, X, Y, ([1.0, 1.0, 0.5, 1.0, 1.0, 0.5], [1.0, 1.0, 0.5, 1.0, 1.0, 0.5])),
    "minimum": (ag.minimum, X, Y, ([1.0, 1.0, 0.5, 1.0, 1.0, 0.5], [1.0, 1.0, 0.5, 1.0, 1.0, 0.5])),
    "maximum, with winners": (ag.maximum, X2, Y2, ([1.0, 0.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 0.0, 0.0])),
    "minimum, with winners": (ag.minimum, X2, Y2, ([1.0, 1.0, 1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 1.0, 1.0, 1.0])),
    "clamp(min=tensor)": (lambda x, y: x.clamp(min=y), X2, Y3,
                          ([0.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0, 1.0])),
    "clamp(max=tensor)": (lambda x, y: x.clamp(max=y), X, Y,
                          ([0.0, 0.0, 1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0])),
    "clamp(tensor, tensor)": (lambda x, y: x.clamp(min=y, max=y + 1), X2, Y2,
                              ([0.0, 0.0, 0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0, 1.0, 0.0])),
    "where(x > 0)": (lambda x, y: ag.where(x > 0, x, y), X, Y,
                     ([0.0, 0.0, 0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 0.0, 1.0, 0.0])),
    "where(x is NaN)": (lambda x, y: ag.where(x != x, x, y), X, Y,
                        ([1.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0, 0.0, 1.0])),
}


@pytest.mark.parametrize("name", TWO_INPUTS)
def test_gradients_of_two_inputs_at_nan_are_pytorchs(name):
    fn, first, second, (expected_first, expected_second) = TWO_INPUTS[name]
    grad_first, grad_second = _grads(fn, first, second)
    np.testing.assert_array_equal(grad_first, _as_array(expected_first))
    np.testing.assert_array_equal(grad_second, _as_array(expected_second))


VALUES = {  # name: (function, input, shape, PyTorch's value)
    "relu": (ag.relu, X, None, ["nan", 0.0, 0.0, 2.0, "nan", 3.0]),
    "clamp(0, 1)": (lambda x: x.clamp(0.0, 1.0), X, None, ["nan", 0.0, 0.0, 1.0, "nan", 1.0]),
    "hardtanh": (F.hardtanh, X, None, ["nan", -1.0, 0.0, 1.0, "nan", 1.0]),
    "relu6": (F.relu6, X, None, ["nan", 0.0, 0.0, 2.0, "nan", 3.0]),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), X, None, ["nan", -0.1, 0.0, 2.0, "nan", 3.0]),
    "abs": (ag.abs, X, None, ["nan", 1.0, 0.0, 2.0, "nan", 3.0]),
    "maximum": (lambda x: ag.maximum(x, ag.tensor(Y, dtype=ag.float64)), X, None,
                ["nan", "nan", 0.0, "nan", "nan", 3.0]),
    "clamp(tensor, tensor)": (lambda x: x.clamp(ag.tensor(Y2, dtype=ag.float64), ag.tensor(Y2, dtype=ag.float64) + 1),
                              X2, None, ["nan", 1.0, "nan", "nan", 3.0, 3.0]),
    "max(dim=1)": (lambda x: x.max(1).values, M, (3, 3), ["nan", 5.0, "nan"]),
    "max()": (lambda x: x.max(), M, (3, 3), ["nan"]),
}


@pytest.mark.parametrize("name", VALUES)
def test_values_at_nan_are_pytorchs(name):
    fn, values, shape, expected = VALUES[name]
    x = ag.tensor(values, dtype=ag.float64).reshape(shape or (len(values),))
    np.testing.assert_array_equal(fn(x).numpy().reshape(-1), _as_array(expected))


def test_max_over_a_dimension_points_at_the_first_nan():
    x = ag.tensor(M, dtype=ag.float64).reshape(3, 3)
    assert x.max(1).indices.tolist() == [0, 1, 2]  # PyTorch: [0, 1, 2]


def test_hardtanh_refuses_bounds_in_the_wrong_order():
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(1.0\) cannot be greater than max_val \(0.0\)"):
        F.hardtanh(ag.zeros(2), 1.0, 0.0)
    with pytest.raises(ValueError, match="Hardtanh: min_val"):
        nn.Hardtanh(1.0, 0.0)
