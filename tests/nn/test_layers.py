"""Layers (Linear, Identity, Flatten, Unflatten, Maxout, Dropout, BatchNorm, LayerNorm, GroupNorm, PReLU,
Embedding) and nn.init:
values against numpy formulas, gradcheck on drawn shapes, train/eval behaviour, defaults and errors."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from nn_strategies import batch_shapes, distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor, gradcheck
from autograd.testing import tensors


def check_layer(layer: nn.Module, x: Tensor) -> None:
    """gradcheck of a float64 layer with respect to its input and all its parameters."""
    layer.double()
    assert gradcheck(lambda x, *params: layer(x), (x, *layer.parameters()))


# ---- Linear, Identity, Flatten, Maxout ----

def test_linear_default_init_is_pytorchs_uniform_with_bound_one_over_sqrt_fan_in():
    ag.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (layer.weight, layer.bias):
        assert p.dtype == np.float32 and np.abs(p._data).max() <= bound
        assert np.abs(p._data).max() > 0.99 * bound  # spread over the whole interval
    assert abs(layer.weight._data.std() - bound / math.sqrt(3)) < 0.01 * bound  # std of U(-b, b) is b/sqrt(3)
    ag.manual_seed(0)
    again = nn.Linear(400, 300)
    np.testing.assert_array_equal(again.weight._data, layer.weight._data)  # manual_seed reproduces init


@settings(max_examples=20)
@given(x=tensors(shape=batch_shapes(max_dims=3).map(lambda s: s[:-1] + (3,))), bias=st.booleans())
def test_linear_matches_x_wt_plus_b_and_passes_gradcheck(x, bias):
    layer = nn.Linear(3, 2, bias=bias).double()
    expected = x._data @ layer.weight._data.T + (layer.bias._data if bias else 0)
    np.testing.assert_allclose(layer(x)._data, expected, rtol=1e-12)
    check_layer(layer, x)


def test_linear_rejects_an_input_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"last dimension must be in_features=3 .* got an input of shape \(2, 4\)"):
        nn.Linear(3, 2)(ag.zeros(2, 4))


@settings(max_examples=10)
@given(x=tensors(shape=batch_shapes(min_dims=2, max_dims=4)))
def test_flatten_and_dropout_pass_gradcheck(x):
    assert gradcheck(nn.Flatten(), (x,))

    def dropout_with_a_fixed_mask(x):
        ag.manual_seed(0)  # the same mask at every finite-difference evaluation
        return F.dropout(x, 0.3)

    assert gradcheck(dropout_with_a_fixed_mask, (x,))


def test_identity_and_flatten():
    x = ag.randn(2, 3, 4, 5)
    assert nn.Identity(54, unused=True)(x) is x
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 2)(x).shape == (24, 5)


@settings(max_examples=15)
@given(x=distinct_tensors(batch_shapes(max_dims=2).map(lambda s: s[:-1] + (3,))), pieces=st.integers(1, 3))
def test_maxout_is_the_max_of_its_affine_pieces_and_passes_gradcheck(x, pieces):
    ag.manual_seed(pieces)
    layer = nn.Maxout(3, 2, pieces=pieces).double()
    w = layer.weight._data.reshape(2, pieces, 3)
    b = layer.bias._data.reshape(2, pieces)
    expected = (np.einsum("kjf,...f->...kj", w, x._data) + b).max(-1)
    np.testing.assert_allclose(layer(x)._data, expected, rtol=1e-12)
    check_layer(layer, x)


def test_maxout_with_two_pieces_is_the_lectures_max_of_two_affine_maps():
    layer = nn.Maxout(1, 1, pieces=2)
    layer.weight._data[:] = [[2.0], [-1.0]]  # w1 = 2, w2 = -1
    layer.bias._data[:] = [0.0, 1.0]  # b1 = 0, b2 = 1
    x = ag.tensor([[-2.0], [0.0], [3.0]])
    np.testing.assert_array_equal(layer(x)._data, [[3.0], [1.0], [6.0]])


# ---- Dropout ----

def test_dropout_zeroes_with_probability_p_and_scales_the_rest_in_training_only():
    ag.manual_seed(0)
    layer = nn.Dropout(0.25)
    x = ag.ones(200, 100, requires_grad=True)
    y = layer(x)
    kept = y._data != 0
    np.testing.assert_allclose(y._data[kept], 1 / 0.75, rtol=1e-6)
    assert abs(kept.mean() - 0.75) < 0.01
    y.sum().backward()
    np.testing.assert_array_equal(x.grad._data, kept / np.float32(0.75))  # the same mask in backward
    layer.eval()
    assert layer(x) is x


def test_dropout_extremes_and_errors():
    x = ag.randn(10)
    assert not F.dropout(x, 1.0)._data.any()
    assert F.dropout(x, 0.0) is x and F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


# ---- BatchNorm ----

def test_batchnorm1d_training_uses_batch_statistics_and_updates_running_ones():
    rng = np.random.default_rng(0)
    data = rng.normal(3.0, 2.0, (32, 4)).astype(np.float32)
    bn = nn.BatchNorm1d(4)
    bn.weight._data[:] = [1.0, 2.0, 0.5, -1.0]
    bn.bias._data[:] = [0.0, 1.0, -1.0, 0.5]
    y = bn(ag.tensor(data))
    expected = (data - data.mean(0)) / np.sqrt(data.var(0) + 1e-5) * bn.weight._data + bn.bias._data
    np.testing.assert_allclose(y._data, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.running_mean._data, 0.1 * data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var._data, 0.9 + 0.1 * data.var(0, ddof=1), rtol=1e-5)
    assert int(bn.num_batches_tracked._data) == 1


def test_batchnorm_eval_uses_running_statistics_and_leaves_them_alone():
    bn = nn.BatchNorm2d(3)
    x = ag.randn(4, 3, 5, 5) * 2 + 1
    for _ in range(3):
        bn(x)
    bn.eval()
    mean, var = bn.running_mean._data.copy(), bn.running_var._data.copy()
    y = bn(x)
    expected = (x._data - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(y._data, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(bn.running_mean._data, mean)
    assert int(bn.num_batches_tracked._data) == 3
    assert not np.allclose(bn.train()(x)._data, y._data)  # training mode normalises with the batch's own stats


def test_batchnorm_momentum_none_keeps_a_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None)
    batches = [ag.randn(8, 2) + i for i in range(3)]
    for b in batches:
        bn(b)
    np.testing.assert_allclose(bn.running_mean._data, np.mean([b._data.mean(0) for b in batches], axis=0), rtol=1e-5)


def test_batchnorm_without_running_stats_always_uses_the_batch():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False).eval()
    assert bn.running_mean is None and list(bn.state_dict()) == []
    y = bn(ag.tensor([[1.0, 2.0], [3.0, 6.0]]))
    np.testing.assert_allclose(y._data, [[-1, -1], [1, 1]], rtol=1e-4)


@settings(max_examples=15)
@given(data=st.data())
def test_batchnorm_passes_gradcheck_on_1d_3d_and_4d_inputs(data):
    shape = data.draw(st.sampled_from([(4, 2), (3, 2, 2), (2, 2, 2, 2)]))
    x = data.draw(distinct_tensors(shape))
    ag.manual_seed(0)
    bn = nn.BatchNorm2d(2) if len(shape) == 4 else nn.BatchNorm1d(2)
    for p in bn.parameters():
        p._data[:] = ag.randn(2)._data
    check_layer(bn, x)
    bn.eval()
    check_layer(bn, x)


def test_batchnorm_errors_name_the_problem_and_change_nothing():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"expected 3 channels in dimension 1, got input of shape \(2, 4\)"):
        bn(ag.zeros(2, 4))
    with pytest.raises(ValueError, match="BatchNorm2d: expected a 4D input"):
        nn.BatchNorm2d(3)(ag.zeros(2, 3))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        bn(ag.zeros(1, 3))
    assert int(bn.num_batches_tracked._data) == 0


def test_batchnorm1d_on_sequences_takes_statistics_over_the_batch_and_the_length():
    rng = np.random.default_rng(1)
    data = rng.normal(1.0, 3.0, (5, 2, 7))
    bn = nn.BatchNorm1d(2).double()
    y = bn(Tensor(data))
    mean, var = data.mean(axis=(0, 2)), data.var(axis=(0, 2))
    np.testing.assert_allclose(y._data, (data - mean[:, None]) / np.sqrt(var[:, None] + 1e-5), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(bn.running_var._data, 0.9 + 0.1 * data.var(axis=(0, 2), ddof=1), rtol=1e-12)


# ---- LayerNorm ----

@settings(max_examples=15)
@given(x=distinct_tensors(batch_shapes(min_dims=2, max_dims=3).map(lambda s: s[:-1] + (3,))))
def test_layernorm_normalises_each_sample_over_the_last_dims_and_passes_gradcheck(x):
    ln = nn.LayerNorm(3).double()
    ln.weight._data[:] = [1.0, -2.0, 0.5]
    ln.bias._data[:] = [0.1, 0.2, 0.3]
    d = x._data
    expected = (d - d.mean(-1, keepdims=True)) / np.sqrt(d.var(-1, keepdims=True) + 1e-5) * [1, -2, 0.5] + [.1, .2, .3]
    np.testing.assert_allclose(ln(x)._data, expected, rtol=1e-10, atol=1e-12)
    check_layer(ln, x)


def test_layernorm_over_two_dims_and_shape_errors():
    x = ag.randn(2, 3, 4)
    y = nn.LayerNorm([3, 4])(x)
    np.testing.assert_allclose(y._data.reshape(2, -1).mean(-1), 0, atol=1e-6)
    with pytest.raises(ValueError, match=r"last dimensions must be normalized_shape=\[4\], got an input of shape"):
        nn.LayerNorm(4)(ag.zeros(2, 3))


# ---- GroupNorm ----

def group_norm_reference(x, groups, weight, bias, eps=1e-5):
    """One sample and one group at a time: normalise the group's channels (all positions) together."""
    out = np.empty_like(x)
    per_group = x.shape[1] // groups
    for n in range(x.shape[0]):
        for g in range(groups):
            part = x[n, g * per_group:(g + 1) * per_group]
            out[n, g * per_group:(g + 1) * per_group] = (part - part.mean()) / np.sqrt(part.var() + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return out * weight.reshape(shape) + bias.reshape(shape)


@settings(max_examples=20, deadline=None)
@given(groups=st.integers(1, 3), per_group=st.integers(1, 2), spatial=batch_shapes(min_dims=0, max_dims=2, max_side=3),
       data=st.data())
def test_groupnorm_normalises_each_group_of_channels_per_sample_and_passes_gradcheck(groups, per_group, spatial,
                                                                                     data):
    channels = groups * per_group
    x = data.draw(distinct_tensors((2, channels) + spatial))
    assume(channels > groups or spatial)  # a group of one value has no spread to normalise (0 / sqrt(eps))
    layer = nn.GroupNorm(groups, channels).double()
    layer.weight._data[:] = np.linspace(0.5, 2.0, channels)
    layer.bias._data[:] = np.linspace(-1.0, 1.0, channels)
    expected = group_norm_reference(x._data, groups, layer.weight._data, layer.bias._data)
    np.testing.assert_allclose(layer(x)._data, expected, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(F.group_norm(x, groups, eps=1e-3)._data,
                               group_norm_reference(x._data, groups, np.ones(channels), np.zeros(channels), 1e-3),
                               rtol=1e-9, atol=1e-10)
    check_layer(layer, x)


def test_groupnorm_parameters_repr_and_errors():
    layer = nn.GroupNorm(2, 6)
    assert list(layer.state_dict()) == ["weight", "bias"] and layer.weight.shape == (6,)
    assert (layer.weight._data == 1).all() and (layer.bias._data == 0).all()
    assert repr(layer) == "GroupNorm(2, 6, eps=1e-05, affine=True)"
    assert list(nn.GroupNorm(3, 3, affine=False).parameters()) == []
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match=r"expected an input of shape \(N, 6, ...\), got \(2, 4\)"):
        layer(ag.zeros(2, 4))
    with pytest.raises(ValueError, match="can not be split into num_groups=4"):
        F.group_norm(ag.zeros(2, 6), 4)


# ---- PReLU ----

@settings(max_examples=15)
@given(x=distinct_tensors(batch_shapes(min_dims=2, max_dims=4, max_side=3).map(lambda s: (s[0], 3) + s[2:])),
       per_channel=st.booleans())
def test_prelu_scales_negative_inputs_by_learned_slopes_and_passes_gradcheck(x, per_channel):
    layer = nn.PReLU(3 if per_channel else 1).double()
    slopes = np.array([0.1, -0.5, 2.0]) if per_channel else np.array([0.3])
    layer.weight._data[:] = slopes
    a = slopes.reshape((1, -1) + (1,) * (x.ndim - 2)) if per_channel else slopes[0]
    np.testing.assert_allclose(layer(x)._data, np.where(x._data > 0, x._data, a * x._data), rtol=1e-15)
    check_layer(layer, x)


def test_prelu_defaults_repr_and_errors():
    layer = nn.PReLU()
    assert layer.weight.shape == (1,) and layer.weight._data[0] == np.float32(0.25)
    assert repr(nn.PReLU(4, init=0.1)) == "PReLU(num_parameters=4)"
    assert nn.PReLU(4, 0.1).weight._data[3] == np.float32(0.1)
    np.testing.assert_allclose(F.prelu(ag.tensor([-2.0, 3.0]), ag.tensor([0.5]))._data, [-1.0, 3.0])
    with pytest.raises(ValueError, match=r"the weight has 4 slopes but the input \(shape \(2, 3\)\) has 3 channels"):
        nn.PReLU(4)(ag.zeros(2, 3))


# ---- Unflatten ----

def test_unflatten_splits_one_dimension_and_undoes_flatten():
    x = ag.randn(2, 3, 4, 5)
    flat = nn.Flatten()(x)
    back = nn.Unflatten(1, (3, 4, 5))(flat)
    assert back.shape == (2, 3, 4, 5)
    np.testing.assert_array_equal(back._data, x._data)
    assert nn.Unflatten(-1, (2, -1))(ag.zeros(3, 8)).shape == (3, 2, 4)
    assert nn.Unflatten(0, [1, 3])(ag.zeros(3)).shape == (1, 3)
    assert repr(nn.Unflatten(1, (3, 4))) == "Unflatten(dim=1, unflattened_size=(3, 4))"
    x64 = Tensor(np.arange(6.0), requires_grad=True)
    assert gradcheck(lambda x: nn.Unflatten(0, (2, 3))(x), (x64,))
    with pytest.raises(ValueError, match=r"sizes \[2, 2\] don't multiply up to the size of dim 1 \(5\)"):
        nn.Unflatten(1, (2, 2))(ag.zeros(3, 5))
    with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints, but found element of type float"):
        nn.Unflatten(1, (2, 2.5))
    with pytest.raises(IndexError, match="dim 2 is out of range"):
        nn.Unflatten(2, (1, 2))(ag.zeros(3, 2))


# ---- Embedding ----

@settings(max_examples=15)
@given(idx=hnp.arrays(np.int64, batch_shapes(min_dims=0, max_dims=2), elements=st.integers(0, 3)),
       padding=st.sampled_from([None, 3, -1, 0]))
def test_embedding_passes_gradcheck_on_drawn_index_shapes_that_look_up_the_padding_row(idx, padding):
    ag.manual_seed(0)
    weight = ag.randn(4, 2, dtype=np.float64, requires_grad=True)
    out = F.embedding(ag.tensor(idx), weight, padding)
    assert out.shape == idx.shape + (2,)
    np.testing.assert_array_equal(out._data, weight._data[idx])  # the padding row's value is used
    out.sum().backward()
    counts = np.bincount(idx.ravel(), minlength=4).astype(np.float64)
    if padding is not None:
        counts[padding] = 0  # ... but it gets no gradient, even where it is looked up
    np.testing.assert_array_equal(weight.grad._data, np.repeat(counts[:, None], 2, 1))
    # gradcheck of the other rows, the padding row held at a constant (its finite differences would not be 0)
    is_padding = np.zeros((4, 1), bool)
    if padding is not None:
        is_padding[padding] = True
    constant = Tensor(weight._data.copy())
    assert gradcheck(lambda w: F.embedding(ag.tensor(idx), ag.where(is_padding, constant, w), padding), (weight,))


def test_embedding_looks_up_rows_and_accumulates_gradients_of_repeated_indices():
    emb = nn.Embedding(5, 2).double()
    idx = ag.tensor([[0, 3], [3, 4]])
    out = emb(idx)
    np.testing.assert_array_equal(out._data, emb.weight._data[idx._data])
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad._data[:, 0], [1, 0, 0, 2, 1])
    assert gradcheck(lambda w: F.embedding(idx, w), (emb.weight,))


def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient():
    emb = nn.Embedding(4, 3, padding_idx=1)
    assert not emb.weight._data[1].any() and emb.weight._data[0].any()
    emb.weight._data[1] = 5.0  # its value is still used
    out = emb(ag.tensor([1, 2, 1]))
    np.testing.assert_array_equal(out._data[0], [5.0, 5.0, 5.0])
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad._data[:, 0], [0, 0, 1, 0])


def test_embedding_index_errors():
    emb = nn.Embedding(4, 3)
    with pytest.raises(IndexError, match="index 4 is out of range for 4 embeddings"):
        emb(ag.tensor([0, 4]))
    with pytest.raises(TypeError, match="indices must be an integer tensor, got dtype float32"):
        emb(ag.tensor([0.0, 1.0]))
    weight = nn.Parameter(np.arange(15, dtype=np.float32).reshape(5, 3))
    for padding_idx in (5, 7, -6):  # no silent modulo: the same error as Embedding(5, 3, padding_idx)
        with pytest.raises(ValueError, match=f"embedding: padding_idx must be within num_embeddings=5, got "
                                             f"{padding_idx}"):
            F.embedding(ag.tensor([2, 3]), weight, padding_idx=padding_idx)
        with pytest.raises(ValueError, match=f"Embedding: padding_idx must be within num_embeddings=5, got "
                                             f"{padding_idx}"):
            nn.Embedding(5, 3, padding_idx=padding_idx)
    assert weight.grad is None


# ---- nn.init ----

def test_calculate_gain_values():
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert nn.init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert nn.init.calculate_gain("sigmoid") == nn.init.calculate_gain("linear") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity swish"):
        nn.init.calculate_gain("swish")


@pytest.mark.parametrize("fill, check", [
    (lambda t: nn.init.xavier_uniform_(t, gain=2.0),
     lambda d: (np.abs(d).max() <= 2 * math.sqrt(6 / 500), d.std(), 2 * math.sqrt(6 / 500) / math.sqrt(3))),
    (lambda t: nn.init.xavier_normal_(t), lambda d: (True, d.std(), math.sqrt(2 / 500))),
    (lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu"),
     lambda d: (np.abs(d).max() <= math.sqrt(6 / 200), d.std(), math.sqrt(2 / 200))),
    (lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
     lambda d: (True, d.std(), math.sqrt(2 / 300))),
    (lambda t: nn.init.normal_(t, 1.0, 0.5), lambda d: (abs(d.mean() - 1) < 0.01, d.std(), 0.5)),
    (lambda t: nn.init.uniform_(t, -3, 3), lambda d: (np.abs(d).max() <= 3, d.std(), 3 / math.sqrt(3))),
])
def test_random_initialisers_have_the_documented_spread(fill, check):
    ag.manual_seed(0)
    t = Tensor(np.zeros((300, 200), dtype=np.float32))  # fan_in 200, fan_out 300
    assert fill(t) is t
    in_range, std, expected_std = check(t._data)
    assert in_range and std == pytest.approx(expected_std, rel=0.02)


def test_constant_initialisers_and_fan_errors():
    t = ag.zeros(2, 3)
    np.testing.assert_array_equal(nn.init.constant_(t, 0.5)._data, 0.5)
    np.testing.assert_array_equal(nn.init.ones_(t)._data, 1)
    np.testing.assert_array_equal(nn.init.zeros_(t)._data, 0)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(ag.zeros(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        nn.init.kaiming_normal_(ag.zeros(3, 3), mode="fan_avg")
