"""Shape, indexing, joining and matmul ops: forward against numpy, gradients against central differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, shapes, tensors


def check(fn, *inputs, second_order=True):
    assert gradcheck(fn, inputs)
    if second_order:
        assert gradgradcheck(fn, inputs)


@given(x=tensors(), data=st.data())
def test_reshape_view_and_flatten(x, data):
    target = data.draw(st.permutations(x.shape).map(tuple)) if x.ndim else ()
    np.testing.assert_array_equal(x.reshape(target)._data, x._data.reshape(target))
    np.testing.assert_array_equal(x.view(-1)._data, x._data.reshape(-1))
    np.testing.assert_array_equal(x.flatten()._data, x._data.reshape(-1))
    check(lambda t: t.reshape(target), x)
    check(lambda t: t.view(-1), x)
    if x.ndim >= 2:
        np.testing.assert_array_equal(x.flatten(1)._data, x._data.reshape(x.shape[0], -1))
        check(lambda t: t.flatten(1), x)


@given(x=tensors(shape=shapes(min_dims=1)), data=st.data())
def test_permute_transpose_and_T(x, data):
    order = data.draw(st.permutations(range(x.ndim)))
    d0, d1 = data.draw(st.integers(0, x.ndim - 1)), data.draw(st.integers(-x.ndim, -1))
    np.testing.assert_array_equal(x.permute(*order)._data, x._data.transpose(order))
    np.testing.assert_array_equal(x.transpose(d0, d1)._data, np.swapaxes(x._data, d0, d1))
    np.testing.assert_array_equal(x.T._data, x._data.T)
    check(lambda t: t.permute(*order), x)
    check(lambda t: t.transpose(d0, d1), x)
    check(lambda t: t.T, x)


@given(x=tensors(shape=shapes(min_side=1, max_side=2)), data=st.data())
def test_squeeze_unsqueeze(x, data):
    dim = data.draw(st.integers(-x.ndim - 1, x.ndim))
    np.testing.assert_array_equal(x.unsqueeze(dim)._data, np.expand_dims(x._data, dim))
    np.testing.assert_array_equal(x.squeeze()._data, np.squeeze(x._data))
    check(lambda t: t.unsqueeze(dim).squeeze(), x)
    if x.ndim:
        d = data.draw(st.integers(0, x.ndim - 1))
        expected = np.squeeze(x._data, d) if x.shape[d] == 1 else x._data
        np.testing.assert_array_equal(x.squeeze(d)._data, expected)


@given(data=st.data())
def test_expand(data):
    shapes_ = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=1, max_dims=3, max_side=3))
    x = data.draw(tensors(shape=shapes_.input_shapes[0]))
    target = shapes_.result_shape
    np.testing.assert_array_equal(x.expand(*target)._data, np.broadcast_to(x._data, target))
    check(lambda t: t.expand(target), x)


@given(data=st.data())
def test_basic_indexing(data):
    x = data.draw(tensors(shape=shapes(min_dims=1, max_side=5)))
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True, allow_ellipsis=True))
    np.testing.assert_array_equal(x[index]._data, x._data[index])
    check(lambda t: t[index], x)


@given(data=st.data())
def test_integer_array_indexing_accumulates_repeated_indices(data):
    x = data.draw(tensors(shape=shapes(min_dims=1, max_side=4)))
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=hnp.array_shapes(max_dims=2, max_side=5)))
    np.testing.assert_array_equal(x[index]._data, x._data[index])
    check(lambda t: t[index], x)
    x.grad = None
    x[index].sum().backward()
    expected = np.zeros(x.shape)
    np.add.at(expected, index, 1.0)
    np.testing.assert_array_equal(x.grad._data, expected)


@given(x=tensors(shape=shapes(min_dims=1)))
def test_boolean_mask_indexing(x):
    mask = x._data > 0
    np.testing.assert_array_equal(x[mask]._data, x._data[mask])
    np.testing.assert_array_equal(x[ag.tensor(mask)]._data, x._data[mask])
    check(lambda t: t[mask], x)


def test_indexing_with_steps_lists_and_tensors():
    x = ag.arange(24, dtype=np.float64).reshape(2, 3, 4).requires_grad_()
    np.testing.assert_array_equal(x[:, ::2, 1::2]._data, x._data[:, ::2, 1::2])
    np.testing.assert_array_equal(x[..., [0, 0, 3]]._data, x._data[..., [0, 0, 3]])
    np.testing.assert_array_equal(x[ag.tensor([1, 0])]._data, x._data[[1, 0]])
    np.testing.assert_array_equal(x[1, None, -1]._data, x._data[1, None, -1])
    x[0, [1, 1, 2]].sum().backward()
    expected = np.zeros((2, 3, 4))
    expected[0, 1] = 2
    expected[0, 2] = 1
    np.testing.assert_array_equal(x.grad._data, expected)
    with pytest.raises(IndexError, match=r"does not fit a tensor of shape \(2, 3, 4\)"):
        x[5]


@given(data=st.data())
def test_cat_and_stack(data):
    base = data.draw(shapes(min_dims=1, max_dims=3))
    dim = data.draw(st.integers(-len(base), len(base) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    parts = []
    for n in sizes:
        shape = list(base)
        shape[dim] = n
        parts.append(data.draw(tensors(shape=tuple(shape))))
    np.testing.assert_array_equal(ag.cat(parts, dim)._data, np.concatenate([p._data for p in parts], dim))
    check(lambda *ts: ag.cat(ts, dim), *parts)
    same = [data.draw(tensors(shape=base)) for _ in sizes]
    np.testing.assert_array_equal(ag.stack(same, dim)._data, np.stack([p._data for p in same], dim))
    check(lambda *ts: ag.stack(ts, dim), *same)


@given(x=tensors(shape=shapes(min_dims=1, max_side=6)), data=st.data())
def test_split_and_chunk(x, data):
    dim = data.draw(st.integers(0, x.ndim - 1))
    size = data.draw(st.integers(1, 4))
    pieces = x.split(size, dim)
    boundaries = list(range(size, x.shape[dim], size))
    for piece, expected in zip(pieces, np.split(x._data, boundaries, axis=dim)):
        np.testing.assert_array_equal(piece._data, expected)
    assert sum(p.shape[dim] for p in pieces) == x.shape[dim]
    check(lambda t: ag.cat([p * (i + 1) for i, p in enumerate(t.split(size, dim))], dim), x)
    chunks = data.draw(st.integers(1, 4))
    per = -(-x.shape[dim] // chunks)
    assert [c.shape[dim] for c in x.chunk(chunks, dim)] == [len(range(s, min(s + per, x.shape[dim])))
                                                           for s in range(0, x.shape[dim], per)]


@given(x=tensors(shape=shapes(min_dims=1, max_dims=3)), data=st.data())
def test_constant_pad(x, data):
    widths = data.draw(st.lists(st.integers(0, 2), min_size=2, max_size=2 * x.ndim).filter(lambda w: len(w) % 2 == 0))
    value = data.draw(floats(-2, 2))
    pairs = [(widths[i], widths[i + 1]) for i in range(0, len(widths), 2)][::-1]
    expected = np.pad(x._data, [(0, 0)] * (x.ndim - len(pairs)) + pairs, constant_values=value)
    np.testing.assert_array_equal(ag.pad(x, widths, value=value)._data, expected)
    check(lambda t: ag.pad(t, widths, value=value), x)


@given(data=st.data())
def test_matmul_vectors_matrices_and_broadcast_batches(data):
    drawn = data.draw(hnp.mutually_broadcastable_shapes(signature="(m?,n),(n,p?)->(m?,p?)", max_dims=4,
                                                        max_side=3))
    a = data.draw(tensors(shape=drawn.input_shapes[0]))
    b = data.draw(tensors(shape=drawn.input_shapes[1]))
    out = a @ b
    assert out.shape == drawn.result_shape
    np.testing.assert_allclose(out._data, np.matmul(a._data, b._data), rtol=1e-12, atol=1e-12)
    check(lambda p, q: p @ q, a, b)


def test_matmul_mismatch_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) cannot be multiplied"):
        ag.ones(2, 3) @ ag.ones(4, 5)


def test_shape_errors_are_clear():
    x = ag.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"reshape: shape \[4, 2\] is invalid for input of shape \(2, 3\)"):
        x.reshape(4, 2)
    with pytest.raises(RuntimeError, match=r"expand: the tensor's shape \(2, 3\) can not be expanded to \(2, 4\)"):
        x.expand(2, 4)
    with pytest.raises(ValueError, match=r"cat: tensor 1 has shape \(2, 4\)"):
        ag.cat([x, ag.ones(2, 4)], dim=0)
    with pytest.raises(RuntimeError, match="permute"):
        x.permute(0, 0)
