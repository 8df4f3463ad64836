"""Reductions over drawn dims (int, tuple, None; keepdim or not), softmax and log_softmax: forward against
numpy, gradients against central differences; max/min/prod on distinct, non-zero values."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, shapes, tensors


def _logsumexp(a, axis, keepdims):
    m = np.max(a, axis=axis, keepdims=True)
    out = m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


# name: (op with dim/keepdim, numpy reference, elements); the reductions accept tuples of dims
REDUCTIONS = {
    "sum": (ag.sum, lambda a, axis, k: a.sum(axis=axis, keepdims=k)),
    "mean": (ag.mean, lambda a, axis, k: a.mean(axis=axis, keepdims=k)),
    "var": (ag.var, lambda a, axis, k: a.var(axis=axis, keepdims=k, ddof=1)),
    "var_biased": (lambda x, d, keepdim: ag.var(x, d, unbiased=False, keepdim=keepdim),
                   lambda a, axis, k: a.var(axis=axis, keepdims=k)),
    "std": (ag.std, lambda a, axis, k: a.std(axis=axis, keepdims=k, ddof=1)),
    "std_correction_0": (lambda x, d, keepdim: ag.std(x, d, keepdim=keepdim, correction=0),
                         lambda a, axis, k: a.std(axis=axis, keepdims=k)),
    "amax": (ag.amax, lambda a, axis, k: a.max(axis=axis, keepdims=k)),
    "amin": (ag.amin, lambda a, axis, k: a.min(axis=axis, keepdims=k)),
    "logsumexp": (ag.logsumexp, _logsumexp),
}


GRID = st.integers(-300, 300).map(lambda i: i / 100)  # distinct values are then 0.01 apart at least


@st.composite
def tensor_and_dims(draw, unique=False, min_side=1, single=False):
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=min_side))
    data = draw(hnp.arrays(np.float64, shape, elements=GRID, unique=unique))
    x = ag.tensor(data, requires_grad=True)
    if single or len(shape) == 0:
        dim = draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    else:
        dim = draw(st.none() | st.integers(-len(shape), len(shape) - 1)
                   | st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple))
    return x, dim, draw(st.booleans())


def _axis(dim, ndim):
    if dim is None or ndim == 0:
        return None
    return dim if isinstance(dim, int) else tuple(dim)


@pytest.mark.parametrize("name", REDUCTIONS)
@given(case=tensor_and_dims(unique=True, min_side=2))
def test_reduction(name, case):
    op, reference = REDUCTIONS[name]
    x, dim, keepdim = case
    if name.startswith(("var", "std")):
        assume(x.ndim > 0)  # one element has no spread (n - 1 = 0): nan, as in PyTorch
    fn = lambda t: op(t, dim, keepdim=keepdim)  # noqa: E731
    expected = np.asarray(reference(x._data, _axis(dim, x.ndim), keepdim))
    out = fn(x)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out._data, expected, rtol=1e-10, atol=1e-12)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


@given(case=tensor_and_dims(unique=True, single=True))
def test_max_and_min_along_a_dim_give_values_and_indices(case):
    x, dim, keepdim = case
    axis = None if x.ndim == 0 else dim
    for op, values, indices in ((ag.max, np.max, np.argmax), (ag.min, np.min, np.argmin)):
        result = op(x, dim, keepdim)
        np.testing.assert_array_equal(result.values._data, values(x._data, axis=axis, keepdims=keepdim))
        np.testing.assert_array_equal(result.indices._data, indices(x._data, axis=axis, keepdims=keepdim))
        assert gradcheck(lambda t, op=op: op(t, dim, keepdim).values, (x,))


@given(case=tensor_and_dims(single=True))
def test_softmax_and_log_softmax(case):
    x, dim, _ = case
    axis = None if x.ndim == 0 else dim
    e = np.exp(x._data - x._data.max(axis=axis, keepdims=True))
    expected = e / e.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(x.softmax(dim)._data, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(x.log_softmax(dim)._data, np.log(expected), rtol=1e-10, atol=1e-12)
    for fn in (lambda t: t.softmax(dim), lambda t: t.log_softmax(dim)):
        assert gradcheck(fn, (x,))
        assert gradgradcheck(fn, (x,))


# factors near 1: a product of 27 factors up to 2 (about 1e8) leaves central differences too little precision
@given(x=tensors(shape=shapes(max_dims=3, max_side=3), elements=floats(0.7, 1.3)), data=st.data())
def test_prod(x, data):
    dim = data.draw(st.none() | st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    keepdim = data.draw(st.booleans())
    fn = lambda t: t.prod(dim, keepdim)  # noqa: E731
    axis = None if x.ndim == 0 else dim
    np.testing.assert_allclose(fn(x)._data, x._data.prod(axis=axis, keepdims=keepdim), rtol=1e-12)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_prod_gradient_with_zeros_is_the_product_of_the_others():
    x = ag.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]], dtype=np.float64, requires_grad=True)
    x.prod(1).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]])
    assert gradcheck(lambda t: t.prod(1), (x,))
    assert gradgradcheck(lambda t: t.prod(1), (x,))


def test_max_of_all_elements_shares_ties_and_max_along_a_dim_picks_the_index():
    x = ag.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad._data, [[0, 0.5, 0.5], [0, 0, 0]])
    x.grad = None
    x.amax(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad._data, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    x.grad = None
    result = x.max(dim=1)
    result.values.sum().backward()
    np.testing.assert_array_equal(result.indices._data, [1, 0])
    np.testing.assert_array_equal(x.grad._data, [[0, 1, 0], [1, 0, 0]])  # to the returned index, as PyTorch


def test_reductions_of_empty_tensors():
    empty = ag.zeros(0, 3, requires_grad=True)
    assert empty.amax(1).shape == (0,) and empty.max(1).values.shape == (0,)
    assert empty.softmax(0).shape == (0, 3) and empty.sum().item() == 0.0
    np.testing.assert_array_equal(ag.zeros(2, 0).logsumexp(1)._data, [-np.inf, -np.inf])
    with pytest.raises(IndexError, match=r"a reduced dimension of the tensor \(0, 3\) is empty"):
        empty.amax(0)


@given(x=tensors(shape=shapes(min_dims=1, max_dims=3)), data=st.data())
def test_gather(x, data):
    dim = data.draw(st.integers(0, x.ndim - 1))
    shape = tuple(data.draw(st.integers(1, 3)) if i == dim else n for i, n in enumerate(x.shape))
    index = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(0, x.shape[dim] - 1)))
    np.testing.assert_array_equal(ag.gather(x, dim, index)._data, np.take_along_axis(x._data, index, dim))
    assert gradcheck(lambda t: ag.gather(t, dim, index), (x,))
    assert gradgradcheck(lambda t: ag.gather(t, dim, index), (x,))


def test_softmax_and_logsumexp_are_stable_for_huge_logits():
    x = ag.tensor([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4]], requires_grad=True)
    for out in (x.softmax(1), x.log_softmax(1), x.logsumexp(1)):
        assert np.all(np.isfinite(out._data))
        out.sum().backward()
        assert np.all(np.isfinite(x.grad._data))
    np.testing.assert_allclose(x.logsumexp(1)._data, [1e4, 1e4 + np.log(3)], rtol=1e-6)


def test_var_defaults_to_the_unbiased_estimate():
    x = ag.tensor([1.0, 2.0, 3.0, 4.0])
    assert x.var().item() == pytest.approx(5 / 3)
    assert x.var(unbiased=False).item() == pytest.approx(1.25)
    assert x.std(correction=0).item() == pytest.approx(np.sqrt(1.25))


def test_argmax_and_argmin_are_outside_the_graph():
    x = ag.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], requires_grad=True)
    assert x.argmax().item() == 3 and x.argmin().item() == 4
    np.testing.assert_array_equal(x.argmax(dim=1)._data, [1, 0])
    np.testing.assert_array_equal(x.argmin(dim=0, keepdim=True)._data, [[0, 1, 0]])
    assert not x.argmax().requires_grad and x.argmax().dtype == np.int64


def test_reduction_dim_out_of_range_is_an_error():
    x = ag.ones(2, 3)
    with pytest.raises(IndexError, match=r"sum: dimension out of range .*\[-2, 1\], but got 2"):
        x.sum(2)
    with pytest.raises(RuntimeError, match="mean.*floating point"):
        ag.tensor([1, 2]).mean()
