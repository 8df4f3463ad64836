"""Conv1d and grouped convolutions (Conv1d and Conv2d with groups): against direct loops, gradcheck on drawn
sizes, PyTorch's parameter shapes, initialisation and repr, and errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_strategies import distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor, gradcheck


def conv1d_reference(x, w, b, stride, padding, dilation, groups):
    """out[n, o, i] = b[o] + sum_{c, p} w[o, c, p] x_pad[n, g*C/G + c, i*s + p*d], g the group of o, one output
    element at a time."""
    xp = np.pad(x, ((0, 0), (0, 0), padding))
    o, cg, k = w.shape
    length = (xp.shape[2] - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((x.shape[0], o, length))
    for n in range(x.shape[0]):
        for oc in range(o):
            g = oc // (o // groups)
            for i in range(length):
                for c in range(cg):
                    for p in range(k):
                        out[n, oc, i] += w[oc, c, p] * xp[n, g * cg + c, i * stride + p * dilation]
                out[n, oc, i] += 0 if b is None else b[oc]
    return out


@st.composite
def conv1d_cases(draw):
    groups = draw(st.integers(1, 3))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k, stride, dilation = draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.sampled_from([0, 1, "valid", "same"] if stride == 1 else [0, 1, "valid"]))
    span = dilation * (k - 1) + 1
    length = draw(st.integers(max(span - (2 if padding == 1 else 0), 1), span + 3))
    return (draw(st.integers(1, 2)), c, length), (o, c // groups, k), stride, padding, dilation, groups


def as_widths(padding, k, dilation):
    """(left, right) of an int, 'valid' or 'same' (total d*(k-1), the odd one on the right)."""
    if padding == "same":
        total = dilation * (k - 1)
        return total // 2, total - total // 2
    return (0, 0) if padding == "valid" else (padding, padding)


@settings(max_examples=30, deadline=None)
@given(case=conv1d_cases(), bias=st.booleans(), data=st.data())
def test_conv1d_matches_a_direct_loop_and_passes_gradcheck(case, bias, data):
    x_shape, w_shape, stride, padding, dilation, groups = case
    x, w = data.draw(distinct_tensors(x_shape)), data.draw(distinct_tensors(w_shape))
    b = data.draw(distinct_tensors((w_shape[0],))) if bias else None
    out = F.conv1d(x, w, b, stride, padding, dilation, groups)
    expected = conv1d_reference(x._data, w._data, None if b is None else b._data, stride,
                                as_widths(padding, w_shape[2], dilation), dilation, groups)
    np.testing.assert_allclose(out._data, expected, rtol=1e-12, atol=1e-12)
    if padding == "same":
        assert out.shape[2] == x_shape[2]
    np.testing.assert_allclose(F.conv1d(x[0], w, b, stride, padding, dilation, groups)._data, expected[0],
                               rtol=1e-12, atol=1e-12)  # one sequence (C, L)
    inputs = (x, w, b) if bias else (x, w)
    assert gradcheck(lambda *t: F.conv1d(t[0], t[1], t[2] if bias else None, stride, padding, dilation, groups),
                     inputs)


@settings(max_examples=15, deadline=None)
@given(groups=st.integers(1, 3), per_group=st.tuples(st.integers(1, 2), st.integers(1, 2)), data=st.data())
def test_grouped_conv2d_is_each_group_convolved_with_its_own_weights(groups, per_group, data):
    c, o = groups * per_group[0], groups * per_group[1]
    x, w = data.draw(distinct_tensors((2, c, 4, 3))), data.draw(distinct_tensors((o, per_group[0], 2, 2)))
    out = F.conv2d(x, w, None, 1, 1, 1, groups)
    pieces = [F.conv2d(x[:, g * per_group[0]:(g + 1) * per_group[0]], w[g * per_group[1]:(g + 1) * per_group[1]],
                       padding=1) for g in range(groups)]
    np.testing.assert_allclose(out._data, np.concatenate([p._data for p in pieces], axis=1), rtol=1e-12, atol=1e-12)
    assert gradcheck(lambda x, w: F.conv2d(x, w, stride=2, groups=groups), (x, w))


def test_conv1d_layer_shapes_init_and_repr_follow_pytorch():
    ag.manual_seed(0)
    conv = nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2)
    assert conv.weight.shape == (6, 2, 3) and conv.bias.shape == (6,)
    bound = 1 / math.sqrt(2 * 3)  # fan_in = in_channels / groups * kernel_size
    assert np.abs(conv.weight._data).max() <= bound and np.abs(conv.weight._data).max() > 0.7 * bound
    assert np.abs(conv.bias._data).max() <= bound
    assert (conv.kernel_size, conv.stride, conv.padding, conv.dilation) == ((3,), (2,), (1,), (1,))
    assert repr(conv) == "Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), groups=2)"
    assert repr(nn.Conv1d(2, 3, 5, padding="same", bias=False)) == \
        "Conv1d(2, 3, kernel_size=(5,), stride=(1,), padding=same, bias=False)"
    assert repr(nn.Conv2d(2, 3, 3, dilation=2)) == "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2))"
    assert list(conv.state_dict()) == ["weight", "bias"]
    x = ag.randn(5, 4, 9)
    assert conv(x).shape == (5, 6, 5)
    # positional arguments in PyTorch's order: stride, padding, dilation, groups, bias
    assert nn.Conv2d(4, 4, 3, 1, 1, 1, 4, False).weight.shape == (4, 1, 3, 3)


@pytest.mark.parametrize("mode, numpy_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
def test_padding_modes_convolve_the_input_padded_as_numpy_pads_it(mode, numpy_mode):
    ag.manual_seed(0)
    conv1 = nn.Conv1d(2, 3, 3, padding=2, dilation=2, padding_mode=mode).double()
    x = ag.randn(2, 2, 6, dtype=np.float64, requires_grad=True)
    padded = np.pad(x._data, ((0, 0), (0, 0), (2, 2)), mode=numpy_mode)
    np.testing.assert_allclose(conv1(x)._data, conv1d_reference(padded, conv1.weight._data, conv1.bias._data, 1,
                                                                (0, 0), 2, 1), rtol=1e-12, atol=1e-12)
    assert gradcheck(conv1, (x,))
    conv2 = nn.Conv2d(2, 2, (2, 3), padding="same", padding_mode=mode, bias=False).double()
    image = ag.randn(2, 4, 5, dtype=np.float64)  # one image (C, H, W); 'same' pads (0, 1) rows and (1, 1) columns
    expected = F.conv2d(Tensor(np.pad(image._data, ((0, 0), (0, 1), (1, 1)), mode=numpy_mode)), conv2.weight)
    np.testing.assert_allclose(conv2(image)._data, expected._data, rtol=1e-12)
    assert repr(conv2).endswith(f"padding=same, bias=False, padding_mode={mode})")


def test_convolution_errors_name_the_problem():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv1d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match=r"conv1d: the input has 3 channels \(shape \(1, 3, 8\)\) but the weight "
                                         r"expects 4"):
        nn.Conv1d(4, 2, 3)(ag.zeros(1, 3, 8))
    with pytest.raises(ValueError, match=r"conv1d: expected an input of shape \(N, C, L\) or \(C, L\)"):
        nn.Conv1d(4, 2, 3)(ag.zeros(1, 4, 8, 8))
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv1d(4, 2, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv1d(4, 2, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="the padded input"):
        F.conv1d(ag.zeros(1, 1, 2), ag.zeros(1, 1, 3))
