"""Conv2d, MaxPool2d and AvgPool2d: against direct sliding-window loops, gradcheck on drawn sizes with several
strides, paddings and dilations, errors; and a LeNet-5 forward and backward pass."""
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


def conv_reference(x, w, b, stride, padding, dilation):
    """out[n, o, i, j] = b[o] + sum_{c,p,q} w[o, c, p, q] x_pad[n, c, i*sh + p*dh, j*sw + q*dw], one pixel at a time."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    o, _, kh, kw = w.shape
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((x.shape[0], o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3])) + (0 if b is None else b)
    return out


def pool_reference(x, kernel, stride, padding, reduce, fill):
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = reduce(xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw], axis=(2, 3))
    return out


@st.composite
def conv_cases(draw, max_side=6):
    """(input shape, weight shape, stride, padding, dilation) with at least one output pixel."""
    kernel = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    stride = draw(st.tuples(st.integers(1, 2), st.integers(1, 2)))
    dilation = draw(st.tuples(st.integers(1, 2), st.integers(1, 2)))
    padding = draw(st.tuples(st.integers(0, 1), st.integers(0, 1)))
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = [draw(st.integers(max(s - 2 * p, 1), max(s - 2 * p, 1) + 2)) for s, p in zip(span, padding)]
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    return (n, c, *size), (o, c, *kernel), stride, padding, dilation


@settings(max_examples=30)
@given(case=conv_cases(), bias=st.booleans(), data=st.data())
def test_conv2d_matches_a_direct_sliding_window_loop_and_passes_gradcheck(case, bias, data):
    x_shape, w_shape, stride, padding, dilation = case
    x = data.draw(distinct_tensors(x_shape))
    w = data.draw(distinct_tensors(w_shape))
    b = data.draw(distinct_tensors((w_shape[0],))) if bias else None
    out = F.conv2d(x, w, b, stride, padding, dilation)
    expected = conv_reference(x._data, w._data, None if b is None else b._data, stride, padding, dilation)
    np.testing.assert_allclose(out._data, expected, rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda *t: F.conv2d(t[0], t[1], t[2] if bias else None, stride, padding, dilation),
                     (x, w, b) if bias else (x, w))


def test_conv2d_gradient_of_gradient():
    ag.manual_seed(0)
    x, w = ag.randn(1, 2, 4, 4, dtype=np.float64, requires_grad=True), ag.randn(2, 2, 2, 2, dtype=np.float64,
                                                                                   requires_grad=True)
    assert gradgradcheck(lambda x, w: F.conv2d(x, w, stride=2, padding=1), (x, w))


def test_conv2d_layer_init_same_padding_and_unbatched_input():
    ag.manual_seed(0)
    conv = nn.Conv2d(3, 8, 3, padding="same")
    bound = 1 / math.sqrt(3 * 3 * 3)
    assert conv.weight.shape == (8, 3, 3, 3) and np.abs(conv.weight._data).max() <= bound
    assert np.abs(conv.bias._data).max() <= bound
    x = ag.randn(3, 7, 5)
    out = conv(x)
    assert out.shape == (8, 7, 5)
    np.testing.assert_allclose(out._data, conv(x.unsqueeze(0))._data[0])
    np.testing.assert_allclose(out._data, conv_reference(x._data[None], conv.weight._data, conv.bias._data, (1, 1),
                                                        (1, 1), (1, 1))[0], rtol=1e-5, atol=1e-6)


def same_conv_reference(x, w, dilation):
    """padding='same' one pixel at a time: out[i, j] = sum w[p, q] x[i + p*dh - top, j + q*dw - left], outside = 0,
    with PyTorch's split of the total d*(k - 1): top = total // 2, the odd pixel of an even kernel at the bottom."""
    (n, _, h, wd), (o, _, kh, kw), (dh, dw) = x.shape, w.shape, dilation
    top, left = dh * (kh - 1) // 2, dw * (kw - 1) // 2
    out = np.zeros((n, o, h, wd))
    for i in range(h):
        for j in range(wd):
            for p in range(kh):
                for q in range(kw):
                    r, s = i + p * dh - top, j + q * dw - left
                    if 0 <= r < h and 0 <= s < wd:
                        out[:, :, i, j] += x[:, :, r, s] @ w[:, :, p, q].T
    return out


@settings(max_examples=15)
@given(kernel=st.sampled_from([(2, 2), (2, 4), (4, 1), (3, 2)]), dilation=st.sampled_from([(1, 1), (1, 2), (2, 1)]),
       size=st.tuples(st.integers(1, 5), st.integers(1, 5)), data=st.data())
def test_conv2d_same_padding_with_an_even_kernel_matches_a_direct_loop(kernel, dilation, size, data):
    x = data.draw(distinct_tensors((2, 2, *size)))
    w = data.draw(distinct_tensors((3, 2, *kernel)))
    out = F.conv2d(x, w, padding="same", dilation=dilation)
    assert out.shape == (2, 3, *size)
    np.testing.assert_allclose(out._data, same_conv_reference(x._data, w._data, dilation), rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda x, w: F.conv2d(x, w, padding="same", dilation=dilation), (x, w))
    conv = nn.Conv2d(2, 3, kernel, padding="same", dilation=dilation, bias=False).double()
    conv.weight._data[...] = w._data
    np.testing.assert_array_equal(conv(x)._data, out._data)


def test_conv2d_errors_name_shapes():
    conv = nn.Conv2d(3, 4, 5)
    with pytest.raises(ValueError, match=r"the input has 2 channels \(shape \(1, 2, 8, 8\)\) but the weight expects 3"):
        conv(ag.zeros(1, 2, 8, 8))
    with pytest.raises(ValueError, match=r"padded input \(4 x 4\) is smaller than the dilated kernel \(5 x 5\)"):
        conv(ag.zeros(1, 3, 4, 4))
    with pytest.raises(ValueError, match=r"expected an input of shape \(N, C, H, W\)"):
        conv(ag.zeros(3, 8))
    with pytest.raises(TypeError, match="stride must be an int or a pair of ints"):
        nn.Conv2d(3, 4, 3, stride=1.5)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")


@st.composite
def pool_cases(draw):
    kernel = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    size = [draw(st.integers(max(k - 2 * p, 1), max(k - 2 * p, 1) + 3)) for k, p in zip(kernel, padding)]
    return (draw(st.integers(1, 2)), draw(st.integers(1, 2)), *size), kernel, stride, padding


@settings(max_examples=30)
@given(case=pool_cases(), data=st.data())
def test_max_and_avg_pool_match_direct_loops_and_pass_gradcheck(case, data):
    shape, kernel, stride, padding = case
    x = data.draw(distinct_tensors(shape))  # distinct values: no ties for the max
    expected_stride = kernel if stride is None else stride
    np.testing.assert_array_equal(F.max_pool2d(x, kernel, stride, padding)._data,
                                  pool_reference(x._data, kernel, expected_stride, padding, np.max, -np.inf))
    np.testing.assert_allclose(F.avg_pool2d(x, kernel, stride, padding)._data,
                               pool_reference(x._data, kernel, expected_stride, padding, np.mean, 0.0), rtol=1e-12)
    assert gradcheck(lambda x: F.max_pool2d(x, kernel, stride, padding), (x,))
    assert gradcheck(lambda x: F.avg_pool2d(x, kernel, stride, padding), (x,))


def test_max_pool_gives_a_tied_windows_gradient_to_its_first_maximum_and_supports_dilation():
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    nn.MaxPool2d(2)(x).sum().backward()
    np.testing.assert_array_equal(x.grad._data[0, 0], [[1, 0], [0, 0]])  # as PyTorch: one winner
    y = ag.arange(25).reshape(1, 1, 5, 5).double()
    np.testing.assert_array_equal(F.max_pool2d(y, 2, stride=1, dilation=2)._data[0, 0], [[12, 13, 14], [17, 18, 19],
                                                                                          [22, 23, 24]])


def test_pool_modules_defaults_repr_and_errors():
    pool = nn.MaxPool2d(2)
    assert pool.stride == 2
    assert repr(pool) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool2d(3, 1, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=1)"
    assert nn.AvgPool2d(2)(ag.ones(3, 4, 4)).shape == (3, 2, 2)  # (C, H, W) input
    with pytest.raises(ValueError, match="at most half of the kernel size"):
        F.max_pool2d(ag.zeros(1, 1, 4, 4), 2, padding=2)
    with pytest.raises(ValueError, match=r"padded input \(1 x 4\) is smaller than the kernel \(2, 2\)"):
        F.avg_pool2d(ag.zeros(1, 1, 1, 4), 2)


# ---- LeNet-5 ----

def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # 6 x 28 x 28 -> 6 x 14 x 14
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2),  # 16 x 10 x 10 -> 16 x 5 x 5
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def test_lenet5_runs_forward_and_backward_on_a_batch_of_mnist_sized_images():
    ag.manual_seed(0)
    model = lenet5()
    x, y = ag.randn(8, 1, 28, 28), ag.randint(0, 10, (8,))
    logits = model(x)
    assert logits.shape == (8, 10) and logits.dtype == np.float32
    loss = F.cross_entropy(logits, y)
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.shape == p.shape and np.isfinite(p.grad._data).all(), name
        assert p.grad._data.any(), name
    for p in model.parameters():  # one small step along -grad lowers the loss on this batch
        p._data -= 0.01 * p.grad._data
    assert F.cross_entropy(model(x), y).item() < loss.item()


def test_lenet5_first_conv_gradient_matches_finite_differences():
    ag.manual_seed(1)
    model = lenet5().double()
    x, y = ag.randn(2, 1, 28, 28, dtype=np.float64), ag.randint(0, 10, (2,))
    weight = model[0].weight
    F.cross_entropy(model(x), y).backward()
    for index in [(0, 0, 0, 0), (3, 0, 2, 4), (5, 0, 4, 1)]:
        original = weight._data[index]
        weight._data[index] = original + 1e-6
        plus = F.cross_entropy(model(x), y).item()
        weight._data[index] = original - 1e-6
        minus = F.cross_entropy(model(x), y).item()
        weight._data[index] = original
        assert weight.grad._data[index] == pytest.approx((plus - minus) / 2e-6, rel=1e-4, abs=1e-8)
