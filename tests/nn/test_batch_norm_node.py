"""BatchNorm as one node: against the composite of elementary ops it replaces (values, gradients and gradients of
gradients, training and eval, 1-d and 2-d), its running statistics and options against numbers computed by
PyTorch 2.13, and float32 end to end."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor
from autograd.testing import floats


def composite(x, mean, var, weight, bias, eps=1e-5):
    """(x - mean) / sqrt(var + eps) * weight + bias per channel, from elementary ops."""
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    out = (x - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


def batch_statistics(x):
    dims = (0, *range(2, x.ndim))
    return x.mean(dims, keepdim=True), x.var(dims, unbiased=False, keepdim=True)


@settings(max_examples=15, deadline=None)
@given(shape=st.sampled_from([(4, 3), (3, 2, 5), (2, 3, 2, 3)]), training=st.booleans(), affine=st.booleans(),
       data=st.data())
def test_the_node_matches_the_composite_in_values_gradients_and_second_derivatives(shape, training, affine, data):
    draw = data.draw
    x = Tensor(draw(hnp.arrays(np.float64, shape, elements=floats(-3, 3), unique=True)), requires_grad=True)
    channels = (shape[1],)
    weight = Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(0.5, 2))), requires_grad=True) \
        if affine else None
    bias = Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(-1, 1))), requires_grad=True) \
        if affine else None
    running_mean = Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(-1, 1))))
    running_var = Tensor(draw(hnp.arrays(np.float64, channels, elements=floats(0.5, 2))))
    coefficients = Tensor(draw(hnp.arrays(np.float64, shape, elements=floats(-1, 1))))
    leaves = [t for t in (x, weight, bias) if t is not None]

    def through(fn):
        out = fn()
        grads = ag.grad((out * coefficients).sum(), leaves, create_graph=True)
        penalty = sum((g ** 2).sum() for g in grads)  # its gradient: second derivatives (none when linear)
        second = ag.grad(penalty, leaves, allow_unused=True) if penalty.requires_grad else [None] * len(leaves)
        return [out._data] + [g._data for g in grads] + [0 if g is None else g._data for g in second]

    fused = through(lambda: F.batch_norm(x, None if training else running_mean,
                                         None if training else running_var, weight, bias, training=training))
    shape1 = (1, shape[1]) + (1,) * (len(shape) - 2)
    reference = through(lambda: composite(x, *(batch_statistics(x) if training else (
        running_mean.reshape(shape1), running_var.reshape(shape1))), weight, bias))
    for a, b in zip(fused, reference):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)


def wave(shape, phase):
    """The deterministic input the PyTorch numbers below were computed from."""
    return Tensor(np.sin(np.arange(np.prod(shape)) * 0.7 + phase).reshape(shape))


@pytest.mark.parametrize("momentum, expected, expected_eval", [
    # computed by PyTorch 2.13 (float64): running_mean, running_var after three training batches, then
    # (out**2).sum(), (x.grad * wave(x.shape, 1.7)).sum(), weight.grad, bias.grad of the last batch, and in eval
    # (out**2).sum(), (x.grad * wave(x.shape, 2.0)).sum()
    (0.1, [0.2911777002644504, 0.2834424576815893, 0.27893480786194674, 1.409091514450438, 1.4194287210387455,
           1.424198462920676, 150.65496349603117, 19.870788614877263, -9.53661311850084, -9.623881883712432,
           -8.883399892421679, 1.0579399142384966, 0.7125862655458223, 0.01650086977962656],
     [12.632484456001155, 7.807084531116611]),
    (None, [1.0065399604962824, 0.9790929269627091, 0.96193626051465, 2.3677834689071595, 2.400881240799784,
            2.4177186729595745, 150.65496349603117, 19.870788614877263, -9.53661311850084, -9.623881883712432,
            -8.883399892421679, 1.0579399142384966, 0.7125862655458223, 0.01650086977962656],
     [4.56405666753771, 6.008820342018891]),
])
def test_running_statistics_momentum_and_eval_match_pytorch(momentum, expected, expected_eval):
    bn = nn.BatchNorm2d(3, momentum=momentum).double()
    bn.weight._data[...] = wave((3,), 1.3)._data
    bn.bias._data[...] = wave((3,), 1.4)._data
    for step in range(3):
        x = (wave((4, 3, 2, 5), 1.5 + step) * (step + 1) + step).requires_grad_()
        out = bn(x)
    (out * wave(out.shape, 1.6)).sum().backward()
    got = [*bn.running_mean._data, *bn.running_var._data, (out ** 2).sum().item(),
           (x.grad * wave(x.shape, 1.7)).sum().item(), *bn.weight.grad._data, *bn.bias.grad._data]
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert bn.num_batches_tracked.item() == 3
    bn.eval()
    x = wave((2, 3, 2, 2), 1.8).requires_grad_()
    out = bn(x)
    (out * wave(out.shape, 1.9)).sum().backward()
    np.testing.assert_allclose([(out ** 2).sum().item(), (x.grad * wave(x.shape, 2.0)).sum().item()], expected_eval,
                               rtol=1e-10)


def test_batch_norm1d_without_affine_or_running_statistics_uses_the_batch_in_eval_too():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False).double()
    x = wave((5, 2, 3), 2.1).requires_grad_()
    out = bn(x)
    bn.eval()
    out2 = bn(x)
    (out2 * wave(out.shape, 2.2)).sum().backward()
    got = [(out ** 2).sum().item(), (out2 ** 2).sum().item(), (out2 * wave(out.shape, 2.2)).sum().item(),
           (x.grad * wave(x.shape, 2.3)).sum().item()]
    expected = [29.99934768183185, 29.99934768183185, 20.203261747480074, 0.4439646051968688]  # PyTorch 2.13
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert bn.running_mean is None and bn.weight is None


def test_float32_in_float32_out_and_one_node():
    bn = nn.BatchNorm2d(4)
    x = ag.randn(3, 4, 5, 5, requires_grad=True)
    out = bn(x)
    assert out.dtype == np.float32 and type(out.grad_fn).__name__ == "BatchNorm"
    out.sum().backward()
    for t in (x.grad, bn.weight.grad, bn.bias.grad, bn.running_mean, bn.running_var):
        assert t.dtype == np.float32
    # the gradient of a sum through batch statistics is 0 for x (the mean takes every shift back out)
    np.testing.assert_allclose(x.grad._data, 0, atol=1e-5)
    np.testing.assert_allclose(bn.bias.grad._data, 75)
