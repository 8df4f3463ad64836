"""The convolution and max-pooling nodes: one node each, float32 end to end, the batch processed in chunks giving
what one pass gives, and numbers computed by PyTorch 2.13 (float64) for grouped, strided, dilated, padded and
depthwise convolutions and a padded, dilated, ceil_mode max-pooling."""
import numpy as np
import pytest
from graph_nodes import node_names
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor
from nn import im2col


def wave(shape, phase):
    """The deterministic input the PyTorch numbers below were computed from."""
    return Tensor(np.sin(np.arange(np.prod(shape)) * 0.7 + phase).reshape(shape), requires_grad=True)


def test_grouped_strided_dilated_padded_conv2d_matches_pytorch():
    x, w, b = wave((2, 4, 7, 6), 0.1), wave((6, 2, 3, 2), 0.2), wave((6,), 0.3)
    out = F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)
    assert out.shape == (2, 6, 4, 8)
    (out * wave(out.shape, 0.4).detach()).sum().backward()
    # computed by PyTorch 2.13: out.sum(), (out**2).sum(), (x.grad**2).sum(), (w.grad**2).sum(), b.grad.sum(),
    # (x.grad * wave(x.shape, 0.5)).sum(), (w.grad * wave(w.shape, 0.6)).sum()
    expected = [143.08803327440242, 562.4049308144954, 813.9749498647342, 247.87801089161593, 1.1043100478192687,
                8.928643166103814, 9.843493467429361]
    got = [out.sum().item(), (out ** 2).sum().item(), (x.grad ** 2).sum().item(), (w.grad ** 2).sum().item(),
           b.grad.sum().item(), (x.grad * wave(x.shape, 0.5)).sum().item(), (w.grad * wave(w.shape, 0.6)).sum().item()]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_depthwise_conv2d_with_same_padding_and_an_even_kernel_matches_pytorch():
    x, w = wave((1, 3, 5, 5), 0.7), wave((3, 1, 4, 3), 0.8)
    out = F.conv2d(x, w, padding="same", groups=3)
    assert out.shape == (1, 3, 5, 5)
    (out * wave(out.shape, 0.9).detach()).sum().backward()
    expected = [1.3829775122409265, 211.13566936491597, -0.1531008732254744, -0.08408187380201149]  # PyTorch 2.13
    got = [out.sum().item(), (out ** 2).sum().item(), (x.grad * wave(x.shape, 0.5)).sum().item(),
           (w.grad * wave(w.shape, 0.6)).sum().item()]
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-13)


def test_padded_dilated_ceil_mode_max_pool_matches_pytorch():
    x = wave((2, 3, 7, 8), 1.0)
    out, indices = F.max_pool2d(x, (3, 2), stride=(2, 2), padding=(1, 1), dilation=(1, 2), ceil_mode=True,
                                return_indices=True)
    assert out.shape == (2, 3, 4, 5) and indices.dtype == np.int64
    (out * wave(out.shape, 1.1).detach()).sum().backward()
    # PyTorch 2.13: out.sum(), (x.grad * wave(x.shape, 1.2)).sum(), indices.sum()
    np.testing.assert_allclose([out.sum().item(), (x.grad * wave(x.shape, 1.2)).sum().item()],
                               [63.037285211530225, 5.627127503743045], rtol=1e-12)
    assert int(indices.sum().item()) == 3372


def test_a_convolution_and_a_max_pool_are_one_node_each_and_stay_float32():
    ag.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3, padding=1)
    x = ag.randn(2, 3, 8, 8, requires_grad=True)
    out = F.max_pool2d(conv(x), 2)
    assert node_names(out) == ["AccumulateGrad"] * 3 + ["Convolution", "MaxPool"]
    out.sum().backward()
    for t in (out, x.grad, conv.weight.grad, conv.bias.grad):
        assert t.dtype == np.float32


@pytest.mark.parametrize("per_chunk", [1, 2, 3, 4, 5])
@settings(max_examples=4, deadline=None)
@given(groups=st.sampled_from([1, 2]), stride=st.integers(1, 2), data=st.data())
def test_the_batch_cut_into_chunks_gives_what_one_pass_gives(per_chunk, groups, stride, data):
    rng = np.random.default_rng(data.draw(st.integers(0, 100)))
    geometry = im2col.Geometry((3, 2), (stride, 1), (1, 2), (1, 0, 2, 1), groups)
    x = rng.standard_normal((5, 2 * groups, 6, 5))
    w = rng.standard_normal((2 * groups, 2, 3, 2))
    whole = (im2col.convolve(x, w, None, geometry), )
    g = rng.standard_normal(whole[0].shape)
    whole += (im2col.weight_grad(x, g, geometry, w.shape), im2col.input_grad(g, w, geometry, x.shape))
    # one sample's columns: C*kh*kw rows by OH*OW windows; the input (6, 5) padded to (7, 8) has OH = 4 // stride
    # + 1 rows and OW = (8 - 2 - 1) + 1 = 6 columns of windows. A COLUMN_BUDGET of per_chunk samples' columns cuts
    # the 5 samples into chunks of per_chunk, the last one shorter when per_chunk does not divide 5 (batches never
    # budgets less than the input's size, 5*C*30 elements: below one sample's columns, or, at stride 2, between
    # one and two samples', so that it leaves the chunks as asked)
    per_sample = 2 * groups * 3 * 2 * (4 // stride + 1) * 6
    assert x.size < 2 * per_sample
    chunks = []
    original = im2col.batches

    def recorded(count, per_sample, input_size):
        parts = list(original(count, per_sample, input_size))
        chunks.append([part.stop - part.start for part in parts])
        return iter(parts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(im2col, "COLUMN_BUDGET", per_chunk * per_sample)
        patch.setattr(im2col, "batches", recorded)
        chunked = (im2col.convolve(x, w, None, geometry), im2col.weight_grad(x, g, geometry, w.shape),
                   im2col.input_grad(g, w, geometry, x.shape))
    expected = [per_chunk] * (5 // per_chunk) + ([5 % per_chunk] if 5 % per_chunk else [])
    assert chunks == [expected] * 3  # each of the three maps went through the batch in those chunks
    for a, b in zip(chunked, whole):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    # and the adjoint identities that make the three maps each other's derivatives: <conv(x, w), g> equals
    # <x, input_grad(g, w)> and <w, weight_grad(x, g)>
    inner = np.sum(whole[0] * g)
    assert np.sum(x * whole[2]) == pytest.approx(inner, rel=1e-10)
    assert np.sum(w * whole[1]) == pytest.approx(inner, rel=1e-10)


def test_gradient_of_gradient_through_conv_and_max_pool_against_finite_differences():
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal((1, 2, 5, 5)), requires_grad=True)
    w = Tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)

    def penalty(x, w):
        out = F.max_pool2d(F.conv2d(x, w, padding=1), 2, stride=1)
        (gx,) = ag.grad((out ** 2).sum(), (x,), create_graph=True)
        return (gx ** 2).sum()

    penalty(x, w).backward()
    for index in [(0, 0, 1, 1), (1, 1, 2, 0)]:
        original = w._data[index]
        w._data[index] = original + 1e-6
        plus = penalty(x, w).item()
        w._data[index] = original - 1e-6
        minus = penalty(x, w).item()
        w._data[index] = original
        assert w.grad._data[index] == pytest.approx((plus - minus) / 2e-6, rel=1e-5)


def test_conv1d_and_the_1d_max_pool_go_through_the_same_nodes():
    x = wave((2, 4, 9), 2.4)
    w = wave((4, 1, 3), 2.5)
    out = F.max_pool1d(F.conv1d(x, w, padding=1, groups=4), 2)
    assert {"Convolution", "MaxPool"} <= set(node_names(out))
    windows = np.stack([np.pad(x._data, ((0, 0), (0, 0), (1, 1)))[:, :, p:p + 9] for p in range(3)], -1)
    depthwise = (windows * w._data[:, 0][None, :, None, :]).sum(-1)  # (2, 4, 9): each channel its own kernel
    np.testing.assert_allclose(out._data, depthwise[:, :, :8].reshape(2, 4, 4, 2).max(-1), rtol=1e-12)


def test_an_infinite_gradient_reaches_only_its_windows_winner():
    x = Tensor(np.array([[[[1.0, 4.0], [2.0, 3.0]]]]), requires_grad=True)
    out = F.max_pool2d(x, 2)
    out.backward(Tensor(np.full((1, 1, 1, 1), np.inf)))
    np.testing.assert_array_equal(x.grad._data[0, 0], [[0, np.inf], [0, 0]])  # as PyTorch: no nan elsewhere
