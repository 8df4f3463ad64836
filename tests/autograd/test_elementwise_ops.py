"""Elementwise ops: forward against numpy, first and second derivatives against central differences,
over hypothesis-drawn shapes (0-d included) and broadcast pairs, away from kinks and ties."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, tensors

ANY = floats(-3, 3)
POSITIVE = floats(0.2, 3)
AWAY_FROM_ZERO = floats(-3, 3).filter(lambda v: abs(v) > 1e-2)
AWAY_FROM_ONE = floats(-3, 3).filter(lambda v: abs(abs(v) - 1) > 1e-2)

# name: (op on Tensors, the same on arrays, elements away from kinks)
UNARY = {
    "neg": (lambda x: -x, np.negative, ANY),
    "abs": (ag.abs, np.abs, AWAY_FROM_ZERO),
    "exp": (ag.exp, np.exp, ANY),
    "log": (ag.log, np.log, POSITIVE),
    "sqrt": (ag.sqrt, np.sqrt, POSITIVE),
    "sin": (ag.sin, np.sin, ANY),
    "cos": (ag.cos, np.cos, ANY),
    "tanh": (ag.tanh, np.tanh, ANY),
    "sigmoid": (ag.sigmoid, lambda a: 1 / (1 + np.exp(-a)), ANY),
    "relu": (ag.relu, lambda a: np.maximum(a, 0), AWAY_FROM_ZERO),
    "clamp": (lambda x: x.clamp(-1, 1), lambda a: np.clip(a, -1, 1), AWAY_FROM_ONE),
    "clamp_min": (lambda x: ag.clamp(x, min=-1), lambda a: np.maximum(a, -1), AWAY_FROM_ONE),
    "square": (lambda x: x ** 2, np.square, ANY),
    "power_2.5": (lambda x: x ** 2.5, lambda a: a ** 2.5, POSITIVE),
    "reciprocal": (lambda x: 1 / x, np.reciprocal, AWAY_FROM_ZERO),
    "rsub": (lambda x: 2 - x, lambda a: 2 - a, ANY),
    "scalar_base_pow": (lambda x: 2 ** x, lambda a: 2.0 ** a, ANY),
}


@pytest.mark.parametrize("name", UNARY)
@given(data=st.data())
def test_unary_op(name, data):
    op, reference, elements = UNARY[name]
    x = data.draw(tensors(elements=elements), label="x")
    np.testing.assert_allclose(op(x)._data, reference(x._data), rtol=1e-12, atol=1e-12)
    assert gradcheck(op, (x,))
    assert gradgradcheck(op, (x,))


def _distinct(a, b):
    return np.all(np.abs(np.subtract(np.asarray(a), np.asarray(b))) > 1e-2)


# name: (op on Tensors, the same on arrays, elements of a, elements of b, extra condition on the pair)
BINARY = {
    "add": (lambda a, b: a + b, np.add, ANY, ANY, None),
    "sub": (lambda a, b: a - b, np.subtract, ANY, ANY, None),
    "mul": (lambda a, b: a * b, np.multiply, ANY, ANY, None),
    "div": (lambda a, b: a / b, np.divide, ANY, AWAY_FROM_ZERO, None),
    "pow": (lambda a, b: a ** b, np.power, POSITIVE, ANY, None),
    "maximum": (ag.maximum, np.maximum, ANY, ANY, _distinct),
    "minimum": (ag.minimum, np.minimum, ANY, ANY, _distinct),
    "where": (lambda a, b: ag.where(a._data > b._data, a, b), lambda a, b: np.where(a > b, a, b), ANY, ANY,
              _distinct),
}


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data())
def test_binary_op_with_broadcasting(name, data):
    op, reference, elements_a, elements_b, condition = BINARY[name]
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), label="shapes")
    a = data.draw(tensors(shape=shapes.input_shapes[0], elements=elements_a), label="a")
    b = data.draw(tensors(shape=shapes.input_shapes[1], elements=elements_b), label="b")
    if condition is not None:
        assume(condition(*np.broadcast_arrays(a._data, b._data)))
    expected = reference(a._data, b._data)
    out = op(a, b)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out._data, expected, rtol=1e-12, atol=1e-12)
    assert gradcheck(op, (a, b))
    assert gradgradcheck(op, (a, b))


@given(x=tensors(elements=ANY))
def test_number_on_either_side_takes_the_tensor_dtype(x):
    for out in (x + 1, 1 + x, x * 2.5, 2.5 * x, x - 1, 1 - x, x / 2, 2 / (x * x + 1), x ** 2):
        assert out.dtype == np.float64
    y = ag.tensor(x._data, dtype=np.float32)
    assert (y * 2.5).dtype == np.float32 and (2.5 - y).dtype == np.float32


def test_dtype_promotion_follows_pytorch():
    ints = ag.tensor([1, 2, 3])
    assert ints.dtype == np.int64
    assert (ints * 2).dtype == np.int64
    assert (ints * 2.5).dtype == np.float32  # a float number on an integer tensor: the default dtype
    assert (ints / 2).dtype == np.float32  # true division of integers
    assert (ints + ag.tensor([1.0, 2.0, 3.0])).dtype == np.float32
    assert (ag.tensor([1.0], dtype=np.float64) + ag.tensor([1.0])).dtype == np.float64


def test_broadcast_mismatch_names_both_shapes():
    a, b = ag.ones(2, 3, requires_grad=True), ag.ones(4)
    for op, name in ((lambda: a * b, "mul"), (lambda: a + b, "add")):  # PyTorch's error, with both shapes
        with pytest.raises(RuntimeError, match=rf"{name}: the size of tensor a \(3\) must match the size of tensor b "
                                               r"\(4\) at non-singleton dimension 1 \(shapes \(2, 3\), \(4,\)\)"):
            op()


def test_gradient_of_broadcast_operand_has_its_shape():
    a = ag.ones(3, 1, requires_grad=True)
    b = ag.ones(4, requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,)
    np.testing.assert_array_equal(a.grad._data, np.full((3, 1), 4.0))
    np.testing.assert_array_equal(b.grad._data, np.full(4, 3.0))


def test_kinks_follow_pytorch():
    x = ag.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [-1.0, 0.0, 2.0])  # relu'(0) = 0, |x|'(0) = 0
    x = ag.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    x.clamp(0.0, 1.0).sum().backward()  # clamp passes the gradient on the closed interval [min, max]
    np.testing.assert_array_equal(x.grad._data, [0.0, 1.0, 1.0])


def test_ties_split_the_gradient_evenly():
    a = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = ag.tensor([1.0, 1.0, 4.0], requires_grad=True)
    ag.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad._data, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(b.grad._data, [0.5, 0.0, 1.0])


def test_sigmoid_is_stable_for_large_inputs():
    x = ag.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=np.float64, requires_grad=True)
    y = x.sigmoid()
    assert np.all(np.isfinite(y._data))
    np.testing.assert_allclose(y._data, [0.0, np.exp(-50.0), 0.5, 1.0, 1.0], rtol=1e-12, atol=0)
    y.sum().backward()
    assert np.all(np.isfinite(x.grad._data))


def test_pow_with_tensor_exponent_at_zero_base():
    a = ag.tensor([0.0, 2.0], dtype=np.float64, requires_grad=True)
    b = ag.tensor([2.0, 3.0], dtype=np.float64, requires_grad=True)
    (a ** b).sum().backward()
    np.testing.assert_allclose(b.grad._data, [0.0, 8.0 * np.log(2.0)])
    np.testing.assert_allclose(a.grad._data, [0.0, 12.0])


def test_comparisons_give_boolean_tensors_outside_the_graph():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result, expected in ((x == 2, [False, True, False]), (x != 2, [True, False, True]),
                             (x < 2, [True, False, False]), (x <= 2, [True, True, False]),
                             (x > 2, [False, False, True]), (x >= 2, [False, True, True])):
        assert result.dtype == np.bool_ and not result.requires_grad and result.grad_fn is None
        np.testing.assert_array_equal(result._data, expected)


def test_power_zero_at_zero_has_a_zero_gradient():
    x = ag.tensor([0.0, 1.0], dtype=np.float64, requires_grad=True)
    (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 0.0])


def test_clamp_with_tensor_bounds_routes_the_gradient_as_pytorch():
    x = ag.tensor([-1.0, 0.5, 0.5, 3.0], dtype=np.float64, requires_grad=True)
    low = ag.tensor([0.0, 0.5, 0.0, 0.0], dtype=np.float64, requires_grad=True)
    high = ag.tensor(2.0, dtype=np.float64, requires_grad=True)
    x.clamp(low, high).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 1.0, 1.0, 0.0])  # x = low counts as inside
    np.testing.assert_array_equal(low.grad._data, [1.0, 0.0, 0.0, 0.0])
    assert high.grad.item() == 1.0
    bounds = (low.detach().requires_grad_(), high.detach().requires_grad_())
    assert gradcheck(lambda t, lo, hi: t.clamp(lo, hi), (ag.tensor([-1.0, 0.2, 1.0, 3.0], dtype=np.float64,
                                                                     requires_grad=True), *bounds))


def test_zero_dimensional_tensors_do_not_widen_within_a_category():
    vector32 = ag.ones(3)
    assert (vector32 + ag.tensor(1.0, dtype=np.float64)).dtype == np.float32
    assert (ag.tensor([1, 2]) + ag.tensor(1.5, dtype=np.float64)).dtype == np.float64  # a higher category does
    assert (vector32 + ag.ones(3, dtype=np.float64)).dtype == np.float64
    assert ag.cat([ag.tensor([1]), ag.ones(2)]).dtype == np.float32
    assert ag.stack([ag.tensor([1, 2], dtype=np.int32), ag.ones(2)]).dtype == np.float32
    w = ag.tensor(2.0, dtype=np.float64, requires_grad=True)
    (vector32 * w).sum().backward()  # the 0-d float64 is cast down on the way in, and its gradient back up
    assert w.grad.dtype == np.float64 and w.grad.item() == 3.0


def test_float32_sigmoid_is_accurate_to_a_few_units_in_the_last_place():
    x = np.linspace(-30, 30, 20001, dtype=np.float32)
    ours = ag.tensor(x).sigmoid()._data
    exact = 1 / (1 + np.exp(-x.astype(np.float64)))
    ulps = np.abs(ours.astype(np.float64) - exact) / np.spacing(exact.astype(np.float32)).astype(np.float64)
    assert ulps.max() <= 4
