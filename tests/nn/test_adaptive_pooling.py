"""Adaptive average and max pooling (1-d and 2-d): against loops over PyTorch's windows, rows
floor(i*n/out) .. ceil((i+1)*n/out) - 1, gradcheck on drawn sizes (bigger and smaller than the output), indices,
None entries, modules and errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_strategies import distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck


def window(i, size, out):
    return math.floor(i * size / out), math.ceil((i + 1) * size / out)


def adaptive_reference(x, out):
    """(mean, max, flat index of the max) of every window, one window at a time."""
    h, w = x.shape[-2:]
    means, maxima, where = (np.zeros(x.shape[:-2] + out) for _ in range(3))
    for i in range(out[0]):
        top, bottom = window(i, h, out[0])
        for j in range(out[1]):
            left, right = window(j, w, out[1])
            patch = x[..., top:bottom, left:right]
            means[..., i, j] = patch.mean(axis=(-2, -1))
            maxima[..., i, j] = patch.max(axis=(-2, -1))
            first = patch.reshape(*patch.shape[:-2], -1).argmax(-1)  # row-major: the first largest element
            where[..., i, j] = (top + first // patch.shape[-1]) * w + left + first % patch.shape[-1]
    return means, maxima, where


@settings(max_examples=25, deadline=None)
@given(lead=st.sampled_from([(1, 2), (2, 1), (3,)]), size=st.tuples(st.integers(1, 7), st.integers(1, 7)),
       out=st.tuples(st.integers(1, 5), st.integers(1, 5)), data=st.data())
def test_adaptive_pools_match_loops_over_pytorchs_windows_and_pass_gradcheck(lead, size, out, data):
    x = data.draw(distinct_tensors(lead + size))
    means, maxima, where = adaptive_reference(x._data, out)
    np.testing.assert_allclose(F.adaptive_avg_pool2d(x, out)._data, means, rtol=1e-12, atol=1e-12)
    pooled, indices = F.adaptive_max_pool2d(x, out, return_indices=True)
    np.testing.assert_array_equal(pooled._data, maxima)
    assert indices.dtype == np.int64
    np.testing.assert_array_equal(indices._data, where)
    assert gradcheck(lambda x: F.adaptive_avg_pool2d(x, out), (x,))
    assert gradcheck(lambda x: F.adaptive_max_pool2d(x, out), (x,))


@settings(max_examples=15, deadline=None)
@given(length=st.integers(1, 9), out=st.integers(1, 6), data=st.data())
def test_adaptive_1d_pools_pool_along_the_last_dimension(length, out, data):
    x = data.draw(distinct_tensors((2, 3, length)))
    means, maxima, where = adaptive_reference(x._data[..., None, :], (1, out))
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, out)._data, means[..., 0, :], rtol=1e-12, atol=1e-12)
    pooled, indices = nn.AdaptiveMaxPool1d(out, return_indices=True)(x)
    np.testing.assert_array_equal(pooled._data, maxima[..., 0, :])
    np.testing.assert_array_equal(indices._data, where[..., 0, :])
    assert gradcheck(lambda x: F.adaptive_max_pool1d(x, out), (x,))


def test_a_tie_gives_the_gradient_to_the_first_maximum_and_overlapping_windows_share_elements():
    x = ag.ones(1, 1, 2, 2, requires_grad=True)
    nn.AdaptiveMaxPool2d(1)(x).sum().backward()
    np.testing.assert_array_equal(x.grad._data[0, 0], [[1, 0], [0, 0]])
    y = ag.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)  # 3 -> 2: windows [0, 2) and [1, 3) share element 1
    out = F.adaptive_avg_pool1d(y, 2)
    np.testing.assert_allclose(out._data, [[[1.5, 2.5]]])
    out.sum().backward()
    np.testing.assert_allclose(y.grad._data, [[[0.5, 1.0, 0.5]]])


def test_output_size_forms_modules_and_global_average_pooling():
    x = ag.randn(2, 3, 6, 4)
    assert F.adaptive_avg_pool2d(x, 3).shape == (2, 3, 3, 3)
    assert F.adaptive_avg_pool2d(x, (None, 2)).shape == (2, 3, 6, 2)  # None keeps the input's size
    assert F.adaptive_max_pool2d(x, None).shape == (2, 3, 6, 4)
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d((1, 1))(x)._data, x._data.mean(axis=(2, 3), keepdims=True),
                               rtol=1e-5, atol=1e-6)
    assert nn.AdaptiveAvgPool2d(5)(ag.randn(3, 7, 7)).shape == (3, 5, 5)  # unbatched
    assert repr(nn.AdaptiveAvgPool2d((5, 7))) == "AdaptiveAvgPool2d(output_size=(5, 7))"
    assert repr(nn.AdaptiveMaxPool2d(1)) == "AdaptiveMaxPool2d(output_size=1)"
    assert not isinstance(nn.AdaptiveAvgPool1d(2), nn.AdaptiveAvgPool2d)
    assert x.dtype == F.adaptive_avg_pool2d(x, 2).dtype == np.float32
    assert list(nn.AdaptiveAvgPool2d(1).parameters()) == []


def test_adaptive_pooling_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"adaptive_avg_pool2d: expected an input of shape \(N, C, H, W\)"):
        F.adaptive_avg_pool2d(ag.zeros(4, 4), 2)
    with pytest.raises(ValueError, match="output_size must be a positive int"):
        F.adaptive_max_pool2d(ag.zeros(1, 4, 4), (2, 0))
    with pytest.raises(ValueError, match="output_size must be a positive int"):
        F.adaptive_avg_pool2d(ag.zeros(1, 4, 4), (1, 2, 3))
    with pytest.raises(ValueError, match=r"adaptive_max_pool1d: expected an input of shape \(N, C, L\)"):
        F.adaptive_max_pool1d(ag.zeros(4), 2)
