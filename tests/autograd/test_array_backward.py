"""Ops with an `array_backward` (the derivative on arrays, used when create_graph=False) and their `backward`
(on Tensors, used when create_graph=True) give the same gradients, and both agree with central differences."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn  # noqa: F401  (defines the layers' ops)
import nn.functional as F
from autograd import Function, gradcheck, gradgradcheck
from autograd.testing import floats, tensors

AWAY_FROM_ZERO = floats(-3, 3).filter(lambda v: abs(v) > 1e-2)


@st.composite
def affine_case(draw):
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    x = draw(tensors(shape=lead + (n_in,), elements=floats(-2, 2)))
    w = draw(tensors(shape=(n_out, n_in), elements=floats(-2, 2)))
    b = draw(st.one_of(st.none(), tensors(shape=(n_out,), elements=floats(-2, 2))))
    inputs = (x, w) if b is None else (x, w, b)
    return (lambda x, w, b=None: F.linear(x, w, b)), inputs


@st.composite
def relu_case(draw):
    return ag.relu, (draw(tensors(elements=AWAY_FROM_ZERO)),)


@st.composite
def log_softmax_case(draw):
    x = draw(tensors(shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=floats(-3, 3)))
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    return (lambda t: F.log_softmax(t, dim)), (x,)


@st.composite
def class_index_case(draw):
    """Scores (C,), (N, C) or (N, C, d), class indices (some ignored), optional class weights, a reduction."""
    shape = draw(st.sampled_from([(4,), (3, 4), (2, 4, 3)]))
    x = draw(tensors(shape=shape, elements=floats(-3, 3)))
    dim = 0 if len(shape) == 1 else 1
    target_shape = shape[:dim] + shape[dim + 1:]
    target = draw(hnp.arrays(np.int64, target_shape, elements=st.sampled_from([0, 1, 2, 3, -100])))
    weight = draw(st.one_of(st.none(), hnp.arrays(np.float64, (shape[dim],), elements=floats(0.5, 2))))
    reduction = draw(st.sampled_from(["none", "mean", "sum"]))
    if reduction == "mean" and np.all(target == -100):
        target = np.zeros_like(target)  # all samples ignored: the mean is 0 / 0
    return x, target, weight, reduction


@st.composite
def nll_case(draw):
    x, target, weight, reduction = draw(class_index_case())
    return (lambda t: F.nll_loss(t, target, weight, reduction=reduction)), (x,)


@st.composite
def cross_entropy_case(draw):
    x, target, weight, reduction = draw(class_index_case())
    return (lambda t: F.cross_entropy(t, target, weight, reduction=reduction)), (x,)


CASES = {"Affine": affine_case(), "Relu": relu_case(), "LogSoftmax": log_softmax_case(),
         "_NegativeLogLikelihood": nll_case(), "_CrossEntropy": cross_entropy_case()}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_op_with_an_array_backward_is_tested_here():
    with_arrays = {c.__name__ for c in _subclasses(Function) if c.array_backward is not None}
    assert with_arrays == set(CASES)


def _gradients(fn, inputs, g, create_graph):
    out = fn(*inputs)
    return ag.grad(out, inputs, g(out), create_graph=create_graph)


@pytest.mark.parametrize("name", CASES)
@given(data=st.data())
def test_array_backward_equals_backward(name, data):
    fn, inputs = data.draw(CASES[name], label="case")
    for t in inputs:
        t.requires_grad_(True)
    shape = fn(*inputs).shape
    upstream = data.draw(hnp.arrays(np.float64, shape, elements=floats(-2, 2)), label="upstream gradient")
    g = lambda out: ag.tensor(upstream)  # noqa: E731
    on_arrays = _gradients(fn, inputs, g, create_graph=False)
    on_tensors = _gradients(fn, inputs, g, create_graph=True)
    assert all(a.grad_fn is None for a in on_arrays)
    for a, t in zip(on_arrays, on_tensors):
        assert a.shape == t.shape and a.dtype == t.dtype
        np.testing.assert_allclose(a.data, t.data, rtol=1e-13, atol=1e-15)
    assert gradcheck(fn, inputs)  # create_graph=False: array_backward
    assert gradgradcheck(fn, inputs)  # create_graph=True: backward, differentiated again
