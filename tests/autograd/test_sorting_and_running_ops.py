"""sort, argsort and topk against numpy's stable sort (ties, NaN, descending order), their gradients going back
to the chosen elements; cumsum and cumprod against numpy, cumprod's gradient with zeros against the product of
the other factors."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, shapes, tensors

TIES = st.integers(-3, 3).map(float)  # repeated values: stability shows


@st.composite
def tensor_and_dim(draw, elements=TIES, min_dims=0):
    x = draw(tensors(shape=shapes(min_dims=min_dims, max_dims=3, max_side=4), elements=elements))
    return x, draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))


def _descending(a, axis):
    """numpy's stable descending order: stable ascending order of the negated values."""
    return np.argsort(-a, axis=axis, kind="stable")


@given(case=tensor_and_dim(min_dims=1))
def test_sort_and_argsort_are_stable(case):
    x, dim = case
    values, indices = ag.sort(x, dim)
    np.testing.assert_array_equal(indices._data, np.argsort(x._data, axis=dim, kind="stable"))
    np.testing.assert_array_equal(values._data, np.sort(x._data, axis=dim))
    result = x.sort(dim=dim, descending=True)
    np.testing.assert_array_equal(result.indices._data, _descending(x._data, dim))
    np.testing.assert_array_equal(x.argsort(dim, descending=True)._data, _descending(x._data, dim))
    assert indices.dtype == ag.int64 and not indices.requires_grad


@given(case=tensor_and_dim(min_dims=1), data=st.data())
def test_topk(case, data):
    x, dim = case
    k = data.draw(st.integers(0, x.shape[dim]))
    largest = data.draw(st.booleans())
    values, indices = x.topk(k, dim=dim, largest=largest)
    order = _descending(x._data, dim) if largest else np.argsort(x._data, axis=dim, kind="stable")
    expected = np.take(order, np.arange(k), axis=dim)
    np.testing.assert_array_equal(indices._data, expected)
    np.testing.assert_array_equal(values._data, np.take_along_axis(x._data, expected, dim))


@given(data=st.data())
def test_sorted_values_are_differentiable(data):
    shape = data.draw(shapes(max_dims=3, max_side=4))
    distinct = st.integers(-30, 30).map(lambda i: i / 10)  # no ties: the order is the same nearby
    x = ag.tensor(data.draw(hnp.arrays(np.float64, shape, elements=distinct, unique=True)), requires_grad=True)
    dim = data.draw(st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1))
    assert gradcheck(lambda t: t.sort(dim).values, (x,))
    assert gradgradcheck(lambda t: t.sort(dim, descending=True).values, (x,))
    assert gradcheck(lambda t: t.topk(1, dim).values, (x,))


def test_sort_puts_nan_last_and_topk_checks_k():
    x = ag.tensor([2.0, np.nan, -1.0, 5.0], requires_grad=True)
    assert x.sort().indices.tolist() == [2, 0, 3, 1] and x.sort(descending=True).indices.tolist() == [1, 3, 0, 2]
    values, indices = ag.topk(x, 2, largest=False)
    assert indices.tolist() == [2, 0]
    values.sum().backward()
    np.testing.assert_array_equal(x.grad._data, [1.0, 0.0, 1.0, 0.0])
    with pytest.raises(RuntimeError, match=r"topk: k \(5\) is out of range for a dimension of size 4"):
        x.topk(5)


@given(case=tensor_and_dim(elements=floats(-3, 3)))
def test_cumsum_and_cumprod_match_numpy(case):
    x, dim = case
    axis = dim if x.ndim else None
    np.testing.assert_allclose(ag.cumsum(x, dim)._data, np.cumsum(x._data, axis).reshape(x.shape), rtol=1e-12)
    np.testing.assert_allclose(x.cumprod(dim)._data, np.cumprod(x._data, axis).reshape(x.shape), rtol=1e-12)
    assert gradcheck(lambda t: t.cumsum(dim), (x,))


@given(x=hnp.arrays(np.float64, st.integers(1, 6), elements=st.sampled_from([0.0, 0.5, -2.0, 1.5])), data=st.data())
def test_cumprod_gradient_with_zeros_is_the_product_of_the_other_factors(x, data):
    g = data.draw(hnp.arrays(np.float64, x.shape, elements=floats(-2, 2)))
    t = ag.tensor(x, requires_grad=True)
    (t.cumprod(0) * ag.tensor(g)).sum().backward()
    n = len(x)
    expected = [sum(g[i] * np.prod([x[k] for k in range(i + 1) if k != j]) for i in range(j, n)) for j in range(n)]
    np.testing.assert_allclose(t.grad._data, expected, rtol=1e-12, atol=1e-12)
    assert gradgradcheck(lambda u: u.cumprod(0), (t,))


def test_running_ops_of_integers_accumulate_in_int64():
    assert ag.cumsum(ag.tensor([True, True, False]), 0).tolist() == [1, 2, 2]
    assert ag.tensor([1, 2, 3], dtype=ag.int32).cumprod(0).dtype == ag.int64
    assert ag.cumsum(ag.tensor([1, 2]), 0, dtype=ag.float64).dtype == ag.float64
