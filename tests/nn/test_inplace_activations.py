"""PyTorch's inplace= on activations and dropout (nn.ReLU(inplace=True), F.relu(x, inplace=True), F.relu_, ...):
the same values and gradients as out of place, the input itself returned with its version bumped, PyTorch's
errors (a leaf that requires grad; a tensor an earlier op saved for backward), plain overwriting under no_grad,
and PyTorch's reprs."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
import optim
from autograd.testing import shapes, tensors


def _dropout(x, inplace):
    ag.manual_seed(7)  # the same mask for the in-place and the out-of-place call
    return F.dropout(x, 0.4, True, inplace)


# name -> (the function with inplace=, a Module factory taking inplace)
FUNCTIONS = {
    "relu": (lambda x, inplace: F.relu(x, inplace=inplace), lambda inplace: nn.ReLU(inplace=inplace)),
    "leaky_relu": (lambda x, inplace: F.leaky_relu(x, 0.2, inplace), lambda inplace: nn.LeakyReLU(0.2, inplace)),
    "hardtanh": (lambda x, inplace: F.hardtanh(x, -2.0, 3.0, inplace), lambda inplace: nn.Hardtanh(-2.0, 3.0, inplace)),
    "relu6": (lambda x, inplace: F.relu6(x, inplace), lambda inplace: nn.ReLU6(inplace)),
    "elu": (lambda x, inplace: F.elu(x, 0.7, inplace), lambda inplace: nn.ELU(0.7, inplace)),
    "silu": (lambda x, inplace: F.silu(x, inplace), lambda inplace: nn.SiLU(inplace)),
    "dropout": (_dropout, lambda inplace: _SeededDropout(0.4, inplace)),
}
NAMES = sorted(FUNCTIONS)


class _SeededDropout(nn.Dropout):
    def forward(self, input):
        ag.manual_seed(7)
        return super().forward(input)


def _run(apply, x, linear, inplace):
    """Linear, scaled (so that every side of every kink is reached), then the activation; returns the output and
    the Linear's gradients for a fixed weighting of the output."""
    hidden = linear(x) * 4.0
    version = hidden.version
    out = apply(hidden, inplace)
    if inplace:
        assert out is hidden
        assert hidden.version > version
    else:
        assert out is not hidden
        assert hidden.version == version
    weights = ag.tensor(np.linspace(-1.0, 2.0, out.numel()).reshape(out.shape))
    (out * weights).sum().backward()
    return out.detach().numpy().copy(), linear.weight.grad.numpy(), linear.bias.grad.numpy()


@settings(max_examples=15)
@given(name=st.sampled_from(NAMES), as_module=st.booleans(),
       x=tensors(shape=shapes(min_dims=0, max_dims=2).map(lambda s: s + (3,)), requires_grad=False))
def test_inplace_gives_the_values_and_gradients_of_out_of_place(name, as_module, x):
    function, module = FUNCTIONS[name]
    apply = (lambda h, inplace: module(inplace)(h)) if as_module else function
    ag.manual_seed(0)
    linear = nn.Linear(3, 5).double()
    twin = copy.deepcopy(linear)
    expected = _run(apply, x, linear, inplace=False)
    got = _run(apply, x, twin, inplace=True)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_an_inplace_activation_of_a_leaf_that_requires_grad_is_refused(name):
    function, module = FUNCTIONS[name]
    x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    for call in (lambda: function(x, True), lambda: module(True)(x)):
        with pytest.raises(RuntimeError, match="leaf"):
            call()
        np.testing.assert_array_equal(x.detach().numpy(), [-1.0, 0.5, 2.0])
        assert x.version == 0


@pytest.mark.parametrize("name", NAMES)
def test_changing_a_tensor_an_earlier_op_saved_makes_backward_raise(name):
    # as PyTorch: exp saves its output for backward, so changing that output in place breaks exp's backward
    function, _ = FUNCTIONS[name]
    x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = x.exp()
    function(y, True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


@pytest.mark.parametrize("name", NAMES)
def test_under_no_grad_the_input_is_simply_overwritten(name):
    function, _ = FUNCTIONS[name]
    values = [-3.0, -0.5, 0.0, 0.5, 7.0]
    expected = function(ag.tensor(values), False).numpy()
    x = ag.tensor(values, requires_grad=True)
    with ag.no_grad():
        out = function(x, True)
    assert out is x
    assert x.version == 1 and x.is_leaf and x.grad_fn is None
    np.testing.assert_array_equal(x.detach().numpy(), expected)


def test_the_underscore_functions_are_the_inplace_ones():
    values = [-3.0, -0.5, 0.5, 7.0]
    for underscore, function in [(F.relu_, F.relu), (ag.Tensor.relu_, F.relu),
                                 (lambda x: F.elu_(x, 0.5), lambda x: F.elu(x, 0.5)),
                                 (lambda x: F.leaky_relu_(x, 0.3), lambda x: F.leaky_relu(x, 0.3)),
                                 (lambda x: F.hardtanh_(x, -1.0, 2.0), lambda x: F.hardtanh(x, -1.0, 2.0))]:
        x = ag.tensor(values)
        assert underscore(x) is x and x.version == 1
        np.testing.assert_array_equal(x.numpy(), function(ag.tensor(values)).numpy())
    assert {"relu_", "elu_", "leaky_relu_", "hardtanh_"} <= set(F.__all__)


@pytest.mark.parametrize("relu", [nn.ReLU(), nn.ReLU(inplace=True), F.relu, ag.Tensor.relu])
def test_relu_of_a_boolean_tensor_is_refused_as_in_pytorch(relu):
    with pytest.raises(RuntimeError, match="Boolean inputs not supported"):
        relu(ag.tensor([True, False]))


def test_out_of_place_is_still_the_default_and_leaves_the_input_alone():
    for name in NAMES:
        function, module = FUNCTIONS[name]
        assert module(False).inplace is False and nn.ReLU().inplace is False
        x = ag.tensor([-1.0, 0.5, 2.0])
        assert function(x, False) is not x and module(False)(x) is not x
        np.testing.assert_array_equal(x.numpy(), [-1.0, 0.5, 2.0])
        assert x.version == 0


def test_dropout_that_changes_nothing_returns_the_input_unchanged_even_in_place():
    x = ag.tensor([1.0, 2.0, 3.0])
    assert F.dropout(x, 0.5, False, True) is x
    assert F.dropout(x, 0.0, True, True) is x
    layer = nn.Dropout(0.5, True).eval()
    assert layer(x) is x
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0, 3.0])
    assert x.version == 0
    y = ag.ones(1000)
    assert F.dropout(y, 1.0, inplace=True) is y and not y.numpy().any()


def test_reprs_are_pytorchs():
    assert repr(nn.ReLU()) == "ReLU()"
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.ReLU(True)) == "ReLU(inplace=True)"
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.LeakyReLU(0.2, True)) == "LeakyReLU(negative_slope=0.2, inplace=True)"
    assert repr(nn.Hardtanh(-2.0, 2.0)) == "Hardtanh(min_val=-2.0, max_val=2.0)"
    assert repr(nn.Hardtanh(-2.0, 2.0, True)) == "Hardtanh(min_val=-2.0, max_val=2.0, inplace=True)"
    assert repr(nn.ReLU6()) == "ReLU6()"
    assert repr(nn.ReLU6(inplace=True)) == "ReLU6(inplace=True)"
    assert repr(nn.ELU()) == "ELU(alpha=1.0)"
    assert repr(nn.ELU(0.5, inplace=True)) == "ELU(alpha=0.5, inplace=True)"
    assert repr(nn.SiLU()) == "SiLU()"
    assert repr(nn.SiLU(inplace=True)) == "SiLU(inplace=True)"
    assert repr(nn.Dropout()) == "Dropout(p=0.5, inplace=False)"
    assert repr(nn.Dropout(0.2, inplace=True)) == "Dropout(p=0.2, inplace=True)"


def test_inplace_must_be_a_bool():
    with pytest.raises(TypeError, match="inplace must be a bool"):
        nn.ReLU(inplace="yes")
    with pytest.raises(TypeError, match="inplace must be a bool"):
        nn.Dropout(0.5, 1)


def test_a_network_with_batch_norm_then_inplace_relu_trains():
    # BatchNorm does not save its output for backward, so the ReLU may overwrite it (as in torchvision's ResNet)
    nets = []
    for inplace in (True, False):
        ag.manual_seed(0)
        nets.append(nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(inplace=inplace), nn.Linear(8, 2)))
    model, twin = nets
    x, target = ag.randn(16, 4), ag.randn(16, 2)
    losses = []
    for net in (model, twin):
        optimizer = optim.SGD(net.parameters(), lr=0.1)
        loss = F.mse_loss(net(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] == losses[1]
    for p, q in zip(model.parameters(), twin.parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
