"""Activations: erf against math.erf, values against numpy formulas, gradcheck on drawn shapes away from
kinks, stability at huge inputs, modules versus functions."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_strategies import distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.ops.unary import _ZERO_ARRAYS
from autograd.testing import shapes, tensors
from nn.erf import erf, erf_array


def test_erf_agrees_with_math_erf_to_the_last_bits():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-7, 7, 20000), rng.normal(0, 1, 20000), np.linspace(-6.5, 6.5, 2001),
                        [0.0, -0.0, 1e-300, 0.84375, 1.25, 1 / 0.35, 6.0, -6.0, 30.0]])
    expected = np.array([math.erf(v) for v in x])
    got = erf_array(x)
    assert np.all(np.abs(got - expected) <= 4e-16 * np.maximum(np.abs(expected), 1e-300))
    # evaluated a chunk at a time: a 2-d array across several chunks keeps its shape and every value
    np.testing.assert_array_equal(erf_array(x[:42000].reshape(6, 7000)), got[:42000].reshape(6, 7000))
    assert math.copysign(1, erf_array(np.array(-0.0))) == -1
    np.testing.assert_array_equal(erf_array(np.array([np.inf, -np.inf])), [1, -1])
    assert np.isnan(erf_array(np.array(np.nan)))
    assert erf_array(np.float32(0.5)).dtype == np.float32


@settings(max_examples=20)
@given(x=tensors(shape=shapes(max_dims=2), elements=st.floats(-5, 5)))
def test_erf_gradient_and_gradient_of_gradient(x):
    assert gradcheck(erf, (x,))
    assert gradgradcheck(erf, (x,))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


CASES = {  # name: (function, numpy formula); kinks (0, softplus at 2.5) are multiples of 0.01, never drawn
    "relu": (F.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "elu": (lambda x: F.elu(x, 1.5), lambda x: np.where(x > 0, x, 1.5 * (np.exp(x) - 1))),
    "gelu": (F.gelu, lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), gelu_tanh),
    "silu": (F.silu, lambda x: x / (1 + np.exp(-x))),
    "sigmoid": (F.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (F.tanh, np.tanh),
    "softplus": (lambda x: F.softplus(x, beta=2.0, threshold=5.0),
                 lambda x: np.where(2 * x > 5, x, np.log1p(np.exp(2 * x)) / 2)),
    "logsigmoid": (F.logsigmoid, lambda x: -np.log1p(np.exp(-x))),
    "softmax": (lambda x: F.softmax(x, -1), lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    "log_softmax": (lambda x: F.log_softmax(x, -1),
                    lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True))),
}


@pytest.mark.parametrize("name", CASES)
@settings(max_examples=10)
@given(data=st.data())
def test_activation_values_and_gradcheck(name, data):
    fn, formula = CASES[name]
    x = data.draw(distinct_tensors(shapes(min_dims=1, max_dims=3), bound=10.0))
    np.testing.assert_allclose(fn(x)._data, formula(x._data), rtol=1e-12, atol=1e-14)
    assert gradcheck(fn, (x,))


def test_relu_and_leaky_relu_derivatives_at_zero_follow_pytorch():
    x = ag.zeros(1, requires_grad=True)
    F.relu(x).backward()
    assert x.grad.item() == 0
    x.grad = None
    F.leaky_relu(x, 0.2).backward()
    assert x.grad.item() == pytest.approx(0.2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(5, 500), (3, 70, 11), (4100,)])
def test_relu_of_large_tensors_matches_the_small_path_value_for_value(shape, dtype):
    """From 2048 elements ReLU takes the max against shared read-only zeros: the same values (NaN, infinities,
    signed zeros), a gradient mask, and nothing shared between calls."""
    rng = np.random.default_rng(len(shape))
    data = rng.standard_normal(shape).astype(dtype)
    data.reshape(-1)[:6] = [np.nan, -np.nan, np.inf, -np.inf, -0.0, 0.0]
    for array in (data, np.swapaxes(data, 0, -1)):  # also a non-contiguous input
        x = ag.tensor(array, requires_grad=True)
        y = F.relu(x)
        expected = np.where(np.isnan(array) | (array > 0), array, 0)
        np.testing.assert_array_equal(y._data, expected)
        (y * 2).sum().backward()
        np.testing.assert_array_equal(x.grad._data, np.where(expected != 0, 2, 0))
        assert y._data.flags.writeable and not np.shares_memory(y._data, F.relu(x)._data)
    assert np.nanmin(F.relu(ag.tensor(-data))._data) == 0  # the shared zeros were not written
    assert _ZERO_ARRAYS[np.dtype(dtype)].size >= data.size  # (the path taken)


@pytest.mark.parametrize("fn", [F.elu, F.gelu, F.silu, F.sigmoid, F.tanh, F.softplus, F.logsigmoid,
                                lambda x: F.softmax(x, 0), lambda x: F.log_softmax(x, 0)])
def test_huge_inputs_give_finite_values_and_gradients(fn):
    x = ag.tensor([-1e4, -100.0, 0.0, 100.0, 1e4], requires_grad=True)
    y = fn(x)
    (y * ag.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
    assert np.isfinite(y._data).all() and np.isfinite(x.grad._data).all()


def test_logsigmoid_is_exact_where_log_of_sigmoid_would_round_to_minus_infinity():
    x = ag.tensor([-200.0, 50.0], dtype=np.float64)
    np.testing.assert_allclose(F.logsigmoid(x)._data, [-200.0, -math.exp(-50)], rtol=1e-12)


def test_softmax_without_dim_warns_and_uses_pytorchs_implicit_choice():
    x = ag.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = F.softmax(x)
    np.testing.assert_allclose(y._data.sum(1), 1, rtol=1e-6)


@pytest.mark.parametrize("module, fn", [
    (nn.ReLU(), F.relu), (nn.LeakyReLU(0.3), lambda x: F.leaky_relu(x, 0.3)), (nn.ELU(0.5), lambda x: F.elu(x, 0.5)),
    (nn.GELU("tanh"), lambda x: F.gelu(x, "tanh")), (nn.SiLU(), F.silu), (nn.Sigmoid(), F.sigmoid),
    (nn.Tanh(), F.tanh), (nn.Softplus(2.0), lambda x: F.softplus(x, 2.0)), (nn.LogSigmoid(), F.logsigmoid),
    (nn.Softmax(dim=1), lambda x: F.softmax(x, 1)), (nn.LogSoftmax(dim=0), lambda x: F.log_softmax(x, 0))])
def test_activation_modules_apply_their_functions(module, fn):
    x = Tensor(np.linspace(-3, 3, 12).reshape(3, 4))
    np.testing.assert_array_equal(module(x)._data, fn(x)._data)
    assert list(module.parameters()) == []


def test_activation_reprs_and_errors():
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.ELU()) == "ELU(alpha=1.0)"
    assert repr(nn.Softplus()) == "Softplus(beta=1.0, threshold=20.0)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh', got 'fast'"):
        nn.GELU("fast")
