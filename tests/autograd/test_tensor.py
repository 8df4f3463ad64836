"""Making tensors and asking what they are: dtype rules, factories, conversions, repr."""
import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd.testing import tensors


def test_dtypes_from_python_data_follow_pytorch():
    assert ag.tensor(1.5).dtype == np.float32 and ag.tensor(1.5).shape == ()
    assert ag.tensor([1, 2]).dtype == np.int64
    assert ag.tensor([True, False]).dtype == np.bool_
    assert ag.tensor([[1.0, 2.0]]).dtype == np.float32
    assert ag.tensor(np.zeros(2)).dtype == np.float64  # arrays keep their dtype
    assert ag.tensor([1, 2], dtype=np.float64).dtype == np.float64
    assert ag.Tensor([1.0, 2.0]).dtype == np.float32


def test_tensor_copies_its_data():
    source = np.array([1.0, 2.0])
    t = ag.tensor(source)
    source[0] = 5
    assert t._data[0] == 1.0


def test_factories():
    assert ag.zeros(2, 3).shape == (2, 3) and ag.zeros((2, 3)).dtype == np.float32
    assert np.all(ag.ones(4)._data == 1)
    assert ag.full((2,), 7).dtype == np.int64 and ag.full((2,), 7.0)._data.tolist() == [7.0, 7.0]
    assert ag.empty(3).shape == (3,)
    assert ag.arange(5).dtype == np.int64 and ag.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert ag.arange(0, 1, 0.25).dtype == np.float32
    np.testing.assert_allclose(ag.linspace(0, 1, 5)._data, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_array_equal(ag.eye(2)._data, np.eye(2))
    x = ag.ones(2, 2, dtype=np.float64)
    assert ag.zeros_like(x).dtype == np.float64 and np.all(ag.ones_like(x)._data == 1)
    assert ag.ones(2, requires_grad=True).requires_grad


def test_random_factories_are_reproducible_with_manual_seed():
    ag.manual_seed(0)
    a = (ag.rand(3), ag.randn(2, 2), ag.randint(0, 10, (5,)))
    ag.manual_seed(0)
    b = (ag.rand(3), ag.randn(2, 2), ag.randint(0, 10, (5,)))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x._data, y._data)
    assert a[0].dtype == np.float32 and a[2].dtype == np.int64
    assert np.all((a[0]._data >= 0) & (a[0]._data < 1)) and np.all((a[2]._data >= 0) & (a[2]._data < 10))


@given(x=tensors())
def test_properties_match_the_array(x):
    assert x.shape == x._data.shape and x.ndim == x._data.ndim and x.dim() == x.ndim
    assert x.size() == x.shape and x.numel() == x._data.size
    assert x.tolist() == x._data.tolist()
    np.testing.assert_array_equal(np.asarray(x), x._data)
    if x.ndim:
        assert len(x) == x.shape[0]
        assert [row.shape for row in x] == [x.shape[1:]] * x.shape[0]
        assert x.size(0) == x.shape[0]


def test_zero_dim_tensors_have_no_length():
    with pytest.raises(TypeError, match="0-d"):
        len(ag.tensor(1.0))
    with pytest.raises(TypeError, match="0-d"):
        iter(ag.tensor(1.0))


def test_repr_looks_like_pytorch():
    assert repr(ag.tensor([1.0, 2.0, 3.0])) == "tensor([1., 2., 3.])"
    assert repr(ag.tensor([0.5, 0.25])) == "tensor([0.5000, 0.2500])"
    assert repr(ag.tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert repr(ag.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(ag.tensor([1.0], dtype=np.float64)) == "tensor([1.], dtype=float64)"
    x = ag.tensor(2.0, requires_grad=True)
    assert repr(x * x) == "tensor(4., grad_fn=<MulBackward>)"


def test_to_and_casts():
    x = ag.tensor([1.5, 2.5], requires_grad=True)
    y = x.double()
    assert y.dtype == np.float64 and y.requires_grad
    y.sum().backward()
    assert x.grad.dtype == np.float32
    assert x.long().dtype == np.int64 and x.to(np.float32) is x
