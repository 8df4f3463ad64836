"""Norms (torch.norm, Tensor.norm, autograd.linalg.norm/vector_norm/matrix_norm) against numpy.linalg.norm,
with the zero subgradient at the zero vector; F.pad's four modes against numpy.pad's."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, shapes, tensors

NONZERO = st.integers(-30, 29).map(lambda i: (i + 0.5) / 10)  # never 0, no ties among |x| within 0.1


@given(x=tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3), elements=NONZERO), data=st.data(),
       p=st.sampled_from([2, 1, math.inf, -math.inf, 3, 0.5, 0]))
def test_vector_norms_match_numpy(x, data, p):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    keepdim = data.draw(st.booleans())
    expected = np.linalg.norm(x._data, ord=p, axis=dim, keepdims=keepdim)
    np.testing.assert_allclose(x.norm(p, dim, keepdim)._data, expected, rtol=1e-12)
    np.testing.assert_allclose(ag.linalg.vector_norm(x, p, dim=dim, keepdim=keepdim)._data, expected, rtol=1e-12)
    np.testing.assert_allclose(ag.linalg.norm(x, p, dim=dim, keepdim=keepdim)._data, expected, rtol=1e-12)
    np.testing.assert_allclose(ag.norm(x, p)._data, np.linalg.norm(x._data.reshape(-1), ord=p), rtol=1e-12)
    if p not in (math.inf, -math.inf):  # with no ties, inf and -inf are amax/amin of |x|, checked elsewhere
        assert gradcheck(lambda t: t.norm(p, dim), (x,))
        assert gradgradcheck(lambda t: t.norm(p, dim), (x,))


@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, max_side=3), elements=floats(-3, 3)),
       ord=st.sampled_from(["fro", 1, -1, math.inf, -math.inf]))
def test_matrix_norms_match_numpy(x, ord):
    expected = np.linalg.norm(x._data, ord=ord, axis=(-2, -1))
    np.testing.assert_allclose(ag.linalg.matrix_norm(x, ord)._data, expected, rtol=1e-12)
    np.testing.assert_allclose(ag.linalg.norm(x, ord, dim=(-2, -1))._data, expected, rtol=1e-12)
    if x.ndim == 2:
        np.testing.assert_allclose(ag.linalg.norm(x, ord)._data, np.linalg.norm(x._data, ord=ord), rtol=1e-12)


def test_norm_defaults_and_the_gradient_at_zero():
    x = ag.tensor([[3.0, 4.0], [0.0, 0.0]], requires_grad=True)
    assert x.norm().item() == 5.0 and ag.norm(x, "fro").item() == 5.0 and ag.linalg.norm(x).item() == 5.0
    x.norm(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad._data, [[0.6, 0.8], [0.0, 0.0]])  # 0 at the zero row, as PyTorch
    z = ag.zeros(3, dtype=ag.float64, requires_grad=True)
    for p in (2, 3, 1, math.inf):
        z.grad = None
        z.norm(p).backward()
        np.testing.assert_array_equal(z.grad._data, np.zeros(3))
    assert ag.linalg.norm(x, axis=1, keepdims=True).shape == (2, 1)


def test_norm_errors():
    with pytest.raises(NotImplementedError, match="'nuc' needs singular values"):
        ag.linalg.matrix_norm(ag.ones(2, 2), "nuc")
    with pytest.raises(NotImplementedError, match="singular values"):
        ag.norm(ag.ones(2, 2), "nuc")
    with pytest.raises(RuntimeError, match="the input must be 1-D or 2-D"):
        ag.linalg.norm(ag.ones(2, 2, 2), 1)
    with pytest.raises(RuntimeError, match="vector_norm: ord must be a number"):
        ag.linalg.vector_norm(ag.ones(2), "fro")
    with pytest.raises(RuntimeError, match="floating point"):
        ag.tensor([1, 2]).norm()


MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}  # PyTorch's name: numpy's


@given(mode=st.sampled_from(list(MODES)), data=st.data())
def test_pad_modes_match_numpy(mode, data):
    padded = data.draw(st.integers(1, 3))  # dimensions padded, after a batch (and channel) dimension
    x = data.draw(tensors(shape=shapes(min_dims=padded + 1, max_dims=padded + 2, min_side=2, max_side=3)))
    limit = min(x.shape[-padded:]) - (1 if mode == "reflect" else 0)
    widths = data.draw(st.lists(st.integers(0, limit), min_size=2 * padded, max_size=2 * padded))
    pairs = [(widths[i], widths[i + 1]) for i in range(0, len(widths), 2)][::-1]
    expected = np.pad(x._data, [(0, 0)] * (x.ndim - padded) + pairs, mode=MODES[mode])
    np.testing.assert_array_equal(F.pad(x, widths, mode)._data, expected)
    assert gradcheck(lambda t: F.pad(t, widths, mode=mode), (x,))
    assert gradgradcheck(lambda t: F.pad(t, widths, mode=mode), (x,))


def test_constant_pad_takes_value_and_crops_with_negative_widths():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    np.testing.assert_array_equal(F.pad(x, (1, -1), value=9.0)._data, [[9.0, 0.0, 1.0], [9.0, 3.0, 4.0]])
    np.testing.assert_array_equal(F.pad(x, (0, 0, -1, 1))._data, [[3.0, 4.0, 5.0], [0.0, 0.0, 0.0]])
    F.pad(x, (1, -1)).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]])


def test_pad_errors():
    x = ag.ones(1, 1, 3)
    with pytest.raises(RuntimeError, match=r"reflect padding widths \(3, 0\) must be non-negative and at most 2"):
        F.pad(x, (3, 0), mode="reflect")
    with pytest.raises(NotImplementedError, match="needs a tensor of 2 or 3 dimensions"):
        F.pad(ag.ones(3), (1, 1), mode="replicate")
    with pytest.raises(ValueError, match="doesn't take a value"):
        F.pad(x, (1, 1), mode="circular", value=2.0)
    with pytest.raises(NotImplementedError, match="mode 'mirror'"):
        F.pad(x, (1, 1), mode="mirror")
    with pytest.raises(TypeError, match="give the fill as value="):
        F.pad(x, (1, 1), 2.0)
    with pytest.raises(RuntimeError, match="crop more than"):
        F.pad(x, (-2, -2))
