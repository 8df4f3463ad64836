"""Pooling options beyond the defaults (ceil_mode, count_include_pad, divisor_override, return_indices) and the
1-d pools MaxPool1d / AvgPool1d: against element-by-element loops that follow PyTorch's documented rules, and
gradcheck on drawn sizes."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nn_strategies import distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck


def pooled_length(n, k, s, p, d, ceil_mode):
    """PyTorch's output size: floor (or ceil) of (n + 2p - d(k-1) - 1)/s + 1, where with ceil_mode a last window
    that would start in the right padding is dropped."""
    exact = (n + 2 * p - d * (k - 1) - 1) / s
    count = (math.ceil(exact) if ceil_mode else math.floor(exact)) + 1
    if ceil_mode and (count - 1) * s >= n + p:
        count -= 1
    return count


def pool_reference(x, kernel, stride, padding, dilation, ceil_mode, count_include_pad):
    """(max, flat index of the max, mean) of every window, one output pixel at a time. The max looks at the
    window's elements inside the input; the mean divides their sum by the count of its positions inside the
    padded input (count_include_pad) or inside the input, the overhang of ceil_mode never counting.
    None if a (dilated) window has no element inside the input."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (dh, dw) = x.shape[-2:], kernel, stride, padding, dilation
    oh, ow = pooled_length(h, kh, sh, ph, dh, ceil_mode), pooled_length(w, kw, sw, pw, dw, ceil_mode)
    maxima, where, means = (np.zeros(x.shape[:-2] + (oh, ow)) for _ in range(3))
    for i in range(oh):
        for j in range(ow):
            rows = [i * sh - ph + a * dh for a in range(kh)]
            cols = [j * sw - pw + b * dw for b in range(kw)]
            inside = [(r, c) for r in rows for c in cols if 0 <= r < h and 0 <= c < w]  # row-major order
            if not inside:
                return None
            values = np.stack([x[..., r, c] for r, c in inside], axis=-1)
            maxima[..., i, j] = values.max(-1)
            first = values.argmax(-1)
            where[..., i, j] = np.array([r * w + c for r, c in inside])[first]
            low_r, high_r = (-ph, h + ph) if count_include_pad else (0, h)
            low_c, high_c = (-pw, w + pw) if count_include_pad else (0, w)
            counted = sum(low_r <= r < high_r for r in rows) * sum(low_c <= c < high_c for c in cols)
            means[..., i, j] = values.sum(-1) / counted
    return maxima, where, means


@st.composite
def pool_cases(draw, one_dimensional=False):
    kernel = (1, draw(st.integers(1, 4))) if one_dimensional else (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = tuple(draw(st.integers(1, 3)) for _ in kernel)
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dilation = (1, draw(st.integers(1, 2))) if one_dimensional else tuple(draw(st.integers(1, 2)) for _ in kernel)
    ceil_mode = draw(st.booleans())
    size = []
    for k, p, d in zip(kernel, padding, dilation):
        smallest = max(d * (k - 1) + 1 - 2 * p, 1)
        size.append(draw(st.integers(smallest, smallest + 4)))
    return tuple(size), kernel, stride, padding, dilation, ceil_mode


@settings(max_examples=40, deadline=None)
@given(case=pool_cases(), count_include_pad=st.booleans(), data=st.data())
def test_2d_pools_with_ceil_mode_and_count_include_pad_match_loops_and_pass_gradcheck(case, count_include_pad, data):
    size, kernel, stride, padding, dilation, ceil_mode = case
    x = data.draw(distinct_tensors((2, 1) + size))
    reference = pool_reference(x._data, kernel, stride, padding, dilation, ceil_mode, count_include_pad)
    assume(reference is not None)
    maxima, where, _ = reference
    pooled, indices = F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    np.testing.assert_array_equal(pooled._data, maxima)
    np.testing.assert_array_equal(indices._data, where)
    _, _, means = pool_reference(x._data, kernel, stride, padding, (1, 1), ceil_mode, count_include_pad)
    averaged = F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad)
    np.testing.assert_allclose(averaged._data, means, rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode), (x,))
    assert gradcheck(lambda x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad), (x,))


@settings(max_examples=30, deadline=None)
@given(case=pool_cases(one_dimensional=True), count_include_pad=st.booleans(), data=st.data())
def test_1d_pools_match_loops_and_pass_gradcheck(case, count_include_pad, data):
    (_, length), (_, k), (_, s), (_, p), (_, d), ceil_mode = case
    x = data.draw(distinct_tensors((2, 3, length)))
    reference = pool_reference(x._data[..., None, :], (1, k), (1, s), (0, p), (1, d), ceil_mode, True)
    assume(reference is not None)
    maxima, where, _ = reference
    pooled, indices = F.max_pool1d(x, k, s, p, d, ceil_mode, return_indices=True)
    np.testing.assert_array_equal(pooled._data, maxima[..., 0, :])
    np.testing.assert_array_equal(indices._data, where[..., 0, :])
    _, _, means = pool_reference(x._data[..., None, :], (1, k), (1, s), (0, p), (1, 1), ceil_mode, count_include_pad)
    layer = nn.AvgPool1d(k, s, p, ceil_mode, count_include_pad)
    np.testing.assert_allclose(layer(x)._data, means[..., 0, :], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer(x[0])._data, means[0, :, 0, :], rtol=1e-12, atol=1e-12)  # unbatched (C, L)
    assert gradcheck(lambda x: nn.MaxPool1d(k, s, p, d, ceil_mode=ceil_mode)(x), (x,))
    assert gradcheck(layer, (x,))


def test_ceil_mode_keeps_the_last_partial_window_and_divisor_override_replaces_the_count():
    x = ag.arange(25.0).reshape(1, 1, 5, 5)
    assert nn.MaxPool2d(2)(x).shape == (1, 1, 2, 2)
    np.testing.assert_array_equal(nn.MaxPool2d(2, ceil_mode=True)(x)._data[0, 0], [[6, 8, 9], [16, 18, 19],
                                                                                     [21, 23, 24]])
    # the corner window holds 24 alone: its mean is 24 (the overhang does not count)
    assert nn.AvgPool2d(2, ceil_mode=True)(x)._data[0, 0, 2, 2] == 24
    np.testing.assert_allclose(F.avg_pool2d(x, 2, divisor_override=1)._data[0, 0], [[12, 20], [52, 60]])
    np.testing.assert_allclose(F.avg_pool1d(ag.ones(1, 1, 3), 2, 1, 1, count_include_pad=False)._data, [[[1, 1, 1, 1]]])
    np.testing.assert_allclose(F.avg_pool1d(ag.ones(1, 1, 3), 2, 1, 1)._data, [[[0.5, 1, 1, 0.5]]])


def test_pool_1d_modules_store_pytorchs_settings_and_refuse_bad_input():
    assert repr(nn.MaxPool1d(3, 2)) == "MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool1d(3)) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"
    assert not isinstance(nn.MaxPool1d(2), nn.MaxPool2d)
    with pytest.raises(ValueError, match=r"max_pool1d: expected an input of shape \(N, C, L\) or \(C, L\)"):
        F.max_pool1d(ag.zeros(1, 1, 4, 4), 2)
    with pytest.raises(TypeError, match="avg_pool1d: kernel_size must be an int or a tuple of one int"):
        F.avg_pool1d(ag.zeros(1, 1, 4), (2, 2))
    with pytest.raises(ValueError, match="max_pool1d: the padded input"):
        F.max_pool1d(ag.zeros(1, 1, 2), 3)
    with pytest.raises(ValueError, match="divisor_override must be non-zero"):
        F.avg_pool2d(ag.zeros(1, 1, 2, 2), 2, divisor_override=0)
