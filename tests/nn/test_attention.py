"""scaled_dot_product_attention (one graph node) and MultiheadAttention: against attention written in numpy here,
against the composite of elementary ops the node replaces, and against numbers PyTorch computed."""
import math

import numpy as np
import pytest
from attention_reference import fill, numpy_attention, numpy_mha
from graph_nodes import node_names
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck
from autograd.random import numpy_rng
from autograd.testing import floats
from nn.attention import ScaledDotProductAttention


def leaves(*arrays):
    return [ag.tensor(a, requires_grad=True) for a in arrays]


@st.composite
def attention_problem(draw):
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    length, source, e, ev = (draw(st.integers(1, 5)) for _ in range(4))
    values = floats(-2, 2)
    q, k, v = (draw(hnp.arrays(np.float64, batch + shape, elements=values))
               for shape in ((length, e), (source, e), (source, ev)))
    return q, k, v


@settings(max_examples=40, deadline=None)
@given(problem=attention_problem(), kind=st.sampled_from(["none", "causal", "boolean", "additive"]), data=st.data())
def test_sdpa_matches_numpy_attention(problem, kind, data):
    q, k, v = problem
    length, source = q.shape[-2], k.shape[-2]
    scale = data.draw(st.none() | floats(0.1, 2))
    kwargs, additive = {"scale": scale}, None
    if kind == "causal":
        kwargs["is_causal"] = True
        additive = np.where(np.tri(length, source, dtype=bool), 0, -np.inf)
    elif kind == "boolean":
        allowed = data.draw(hnp.arrays(np.bool_, (length, source)))
        kwargs["attn_mask"] = ag.tensor(allowed)
        additive = np.where(allowed, 0, -np.inf)
    elif kind == "additive":
        additive = data.draw(hnp.arrays(np.float64, (length, source), elements=floats(-3, 3)))
        kwargs["attn_mask"] = ag.tensor(additive)
    out = F.scaled_dot_product_attention(*map(ag.tensor, problem), **kwargs)
    np.testing.assert_allclose(out.numpy(), numpy_attention(q, k, v, additive, scale), atol=1e-12)


def test_a_query_with_no_key_allowed_gets_zeros_and_zero_gradients():
    rng = np.random.default_rng(0)
    q, k, v = leaves(rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 2)))
    allowed = rng.random((3, 5)) > 0.4
    allowed[1] = False
    out = F.scaled_dot_product_attention(q, k, v, ag.tensor(allowed))
    assert np.all(out.detach().numpy()[:, 1] == 0) and np.isfinite(out.detach().numpy()).all()
    out.sum().backward()
    assert np.all(q.grad.numpy()[:, 1] == 0)
    expected = numpy_attention(q.detach().numpy(), k.detach().numpy(), v.detach().numpy(),
                               np.where(allowed, 0, -np.inf))
    np.testing.assert_allclose(out.detach().numpy(), expected, atol=1e-12)


def composite(q, k, v, additive, scale, factor=None):
    """What the node replaces, in the engine's elementary ops (matmul, mul, add, softmax, mul, matmul), written
    here rather than taken from the library: softmax(Q K^T * scale + M) V, M the additive mask if any, and the
    weights times `factor` (dropout's mask over 1 - p) if given."""
    scores = q @ k.transpose(-1, -2) * scale
    if additive is not None:
        scores = scores + ag.tensor(additive)
    weights = scores.softmax(-1)
    return (weights if factor is None else weights * ag.tensor(factor)) @ v


@pytest.mark.parametrize("mask", ["none", "additive", "causal"])
def test_the_node_gives_the_values_and_gradients_of_the_composite(mask):
    rng = np.random.default_rng(1)
    arrays = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 1, 6, 5)), rng.standard_normal((2, 1, 6, 3))
    additive = {"none": None, "additive": rng.standard_normal((4, 6)),
                "causal": np.where(np.tri(4, 6, dtype=bool), 0, -np.inf)}[mask]
    grad = rng.standard_normal((2, 3, 4, 3))
    fused, plain = leaves(*arrays), leaves(*arrays)
    kwargs = {"is_causal": True} if mask == "causal" else \
        {"attn_mask": None if additive is None else ag.tensor(additive)}
    out = F.scaled_dot_product_attention(*fused, scale=0.7, **kwargs)
    reference = composite(*plain, additive, 0.7)
    out.backward(ag.tensor(grad))
    reference.backward(ag.tensor(grad))
    np.testing.assert_allclose(out.detach().numpy(), reference.detach().numpy(), atol=1e-12)
    for a, b in zip(fused, plain):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)
    assert node_names(out).count("ScaledDotProductAttention") == 1 and "Softmax" not in node_names(out)
    assert "Softmax" in node_names(reference)


def test_dropout_acts_inside_the_node_with_the_mask_it_drew():
    rng = np.random.default_rng(2)
    arrays = rng.standard_normal((3, 4, 5)), rng.standard_normal((3, 6, 5)), rng.standard_normal((3, 6, 2))
    fused, plain = leaves(*arrays), leaves(*arrays)
    ag.manual_seed(7)
    out = F.scaled_dot_product_attention(*fused, dropout_p=0.25)
    ag.manual_seed(7)
    keep = numpy_rng(None, "test").random((3, 4, 6)) >= 0.25  # the draw the function makes
    reference = composite(*plain, None, 1 / math.sqrt(5), keep / 0.75)
    grad = rng.standard_normal((3, 4, 2))
    out.backward(ag.tensor(grad))
    reference.backward(ag.tensor(grad))
    np.testing.assert_allclose(out.detach().numpy(), reference.detach().numpy(), atol=1e-12)
    for a, b in zip(fused, plain):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)
    assert 0 < keep.mean() < 1
    assert node_names(out).count("ScaledDotProductAttention") == 1


def test_a_float_mask_that_requires_grad_gets_its_gradient():
    rng = np.random.default_rng(3)
    q, k, v = (ag.tensor(rng.standard_normal(s)) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 2)))
    bias = ag.tensor(rng.standard_normal((3, 5)), requires_grad=True)
    assert gradcheck(lambda b: F.scaled_dot_product_attention(q, k, v, b), (bias,))


def test_gqa_shares_each_key_and_value_head_with_a_group_of_query_heads():
    rng = np.random.default_rng(4)
    q, k, v = rng.standard_normal((2, 6, 3, 4)), rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((2, 2, 5, 3))
    out = F.scaled_dot_product_attention(ag.tensor(q), ag.tensor(k), ag.tensor(v), enable_gqa=True)
    expected = numpy_attention(q, np.repeat(k, 3, axis=1), np.repeat(v, 3, axis=1))
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)


def test_sdpa_refuses_bad_input_with_the_shapes():
    q, k, v = ag.randn(2, 3, 4), ag.randn(2, 5, 4), ag.randn(2, 5, 6)
    with pytest.raises(ValueError, match=r"query \(\.\.\., L, E\), key \(\.\.\., S, E\)"):
        F.scaled_dot_product_attention(q, ag.randn(2, 5, 3), v)
    with pytest.raises(ValueError, match="does not broadcast"):
        F.scaled_dot_product_attention(q, k, v, ag.ones(5, 3, dtype=ag.bool))
    with pytest.raises(TypeError, match="boolean or of the query's dtype"):
        F.scaled_dot_product_attention(q, k, v, ag.zeros(3, 5, dtype=ag.int64))
    with pytest.raises(ValueError, match="not both"):
        F.scaled_dot_product_attention(q, k, v, ag.ones(3, 5, dtype=ag.bool), is_causal=True)
    with pytest.raises(TypeError, match="one floating dtype"):
        F.scaled_dot_product_attention(q, k.double(), v)


# ---- MultiheadAttention ----
def mha_params(mha):
    return [p.detach().numpy() for p in (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight,
                                         mha.out_proj.bias)]


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_matches_numpy_with_masks(need_weights):
    ag.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True).double()
    with ag.no_grad():
        mha.in_proj_bias.normal_()
        mha.out_proj.bias.normal_()
    rng = np.random.default_rng(5)
    query, key = rng.standard_normal((3, 4, 8)), rng.standard_normal((3, 5, 8))
    value = rng.standard_normal((3, 5, 8))
    blocked = rng.random((4, 5)) > 0.7
    blocked[:, 0] = False  # every query keeps a key
    padding = np.zeros((3, 5), bool)
    padding[1, 3:] = True
    out, weights = mha(ag.tensor(query), ag.tensor(key), ag.tensor(value), key_padding_mask=ag.tensor(padding),
                       attn_mask=ag.tensor(blocked), need_weights=need_weights, average_attn_weights=False)
    additive = np.where(blocked, -np.inf, 0) + np.where(padding, -np.inf, 0)[:, None, None, :]
    expected, expected_weights = numpy_mha(query, key, value, mha_params(mha), 2, additive)
    np.testing.assert_allclose(out.detach().numpy(), expected, atol=1e-12)
    if need_weights:
        np.testing.assert_allclose(weights.detach().numpy(), expected_weights, atol=1e-12)
    else:
        assert weights is None


def test_mha_layouts_unbatched_and_averaged_weights_agree():
    ag.manual_seed(1)
    seq_first = nn.MultiheadAttention(6, 3).double()
    batch_first = nn.MultiheadAttention(6, 3, batch_first=True).double()
    batch_first.load_state_dict(seq_first.state_dict())
    x = ag.tensor(np.random.default_rng(6).standard_normal((4, 2, 6)))  # (L, N, E)
    out, weights = seq_first(x, x, x)
    out_bf, weights_bf = batch_first(*(x.transpose(0, 1),) * 3)
    np.testing.assert_allclose(out_bf.detach().numpy(), out.detach().numpy().transpose(1, 0, 2), atol=1e-12)
    np.testing.assert_allclose(weights_bf.detach().numpy(), weights.detach().numpy(), atol=1e-12)
    all_heads = seq_first(x, x, x, average_attn_weights=False)[1].detach().numpy()
    np.testing.assert_allclose(weights.detach().numpy(), all_heads.mean(1), atol=1e-12)
    single, single_weights = seq_first(x[:, 1], x[:, 1], x[:, 1])
    np.testing.assert_allclose(single.detach().numpy(), out.detach().numpy()[:, 1], atol=1e-12)
    np.testing.assert_allclose(single_weights.detach().numpy(), weights.detach().numpy()[1], atol=1e-12)


def test_a_fully_masked_query_gives_nan_with_weights_and_zeros_without_as_pytorch():
    mha = nn.MultiheadAttention(4, 2).double()
    x = ag.tensor(np.random.default_rng(7).standard_normal((3, 1, 4)))
    blocked = np.zeros((3, 3), bool)
    blocked[1] = True
    with np.errstate(invalid="ignore"):  # softmax of a row of -inf: 0/0, as in PyTorch
        with_weights, weights = mha(x, x, x, attn_mask=ag.tensor(blocked))
    without, _ = mha(x, x, x, attn_mask=ag.tensor(blocked), need_weights=False)
    assert np.isnan(with_weights.detach().numpy()[1]).all() and np.isnan(weights.detach().numpy()[0, 1]).all()
    np.testing.assert_allclose(without.detach().numpy()[1], np.broadcast_to(mha.out_proj.bias.detach().numpy(),
                                                                             (1, 4)))
    np.testing.assert_allclose(without.detach().numpy()[[0, 2]], with_weights.detach().numpy()[[0, 2]], atol=1e-12)


def test_boolean_and_float_masks_mean_the_same():
    mha = nn.MultiheadAttention(4, 1, batch_first=True).double()
    x = ag.tensor(np.random.default_rng(8).standard_normal((2, 3, 4)))
    blocked = np.array([[False, True, True], [False, False, True], [False, False, False]])
    by_bool = mha(x, x, x, attn_mask=ag.tensor(blocked))[0]
    by_float = mha(x, x, x, attn_mask=ag.tensor(np.where(blocked, -np.inf, 0.0)))[0]
    causal = mha(x, x, x, attn_mask=nn.Transformer.generate_square_subsequent_mask(3, dtype=ag.float64),
                 is_causal=True, need_weights=False)[0]
    np.testing.assert_allclose(by_bool.detach().numpy(), by_float.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(causal.detach().numpy(), by_float.detach().numpy(), atol=1e-12)


def test_separate_kdim_vdim_bias_kv_and_zero_attention():
    ag.manual_seed(2)
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True, batch_first=True)
    mha = mha.double()
    assert [(name, tuple(p.shape)) for name, p in mha.named_parameters()] == [
        ("q_proj_weight", (4, 4)), ("k_proj_weight", (4, 3)), ("v_proj_weight", (4, 5)), ("in_proj_bias", (12,)),
        ("bias_k", (1, 1, 4)), ("bias_v", (1, 1, 4)), ("out_proj.weight", (4, 4)), ("out_proj.bias", (4,))]
    rng = np.random.default_rng(9)
    query, key, value = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 2, 3)), rng.standard_normal((2, 2, 5))
    out, weights = mha(ag.tensor(query), ag.tensor(key), ag.tensor(value), average_attn_weights=False)
    p = {name: t.detach().numpy() for name, t in mha.named_parameters()}
    b = p["in_proj_bias"]
    q = query @ p["q_proj_weight"].T + b[:4]
    k = np.concatenate([key @ p["k_proj_weight"].T + b[4:8], np.repeat(p["bias_k"], 2, 0)], 1)
    v = np.concatenate([value @ p["v_proj_weight"].T + b[8:], np.repeat(p["bias_v"], 2, 0)], 1)
    split = [x.reshape(2, -1, 2, 2).transpose(0, 2, 1, 3) for x in (q, k, v)]
    zero = np.zeros((2, 2, 1, 2))
    q, k, v = split[0], np.concatenate([split[1], zero], 2), np.concatenate([split[2], zero], 2)
    heads = numpy_attention(q, k, v)
    expected = heads.transpose(0, 2, 1, 3).reshape(2, 3, 4) @ p["out_proj.weight"].T + p["out_proj.bias"]
    np.testing.assert_allclose(out.detach().numpy(), expected, atol=1e-12)
    assert weights.shape == (2, 2, 3, 4)  # two keys, the bias key and the zero key


def test_mha_initialisation_follows_pytorch():
    ag.manual_seed(3)
    mha = nn.MultiheadAttention(64, 4)
    bound = math.sqrt(6 / (64 + 192))  # xavier_uniform_ on the (3E, E) in_proj_weight
    w = mha.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert not mha.in_proj_bias.detach().numpy().any() and not mha.out_proj.bias.detach().numpy().any()
    assert np.abs(mha.out_proj.weight.detach().numpy()).max() <= 1 / 8  # Linear's U(-1/sqrt(E), 1/sqrt(E))
    assert list(mha.state_dict()) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert mha.bias_k is None and mha.bias_v is None


def test_mha_gradients_match_finite_differences():
    ag.manual_seed(4)
    mha = nn.MultiheadAttention(4, 2, batch_first=True).double()
    x = ag.tensor(np.random.default_rng(10).standard_normal((1, 3, 4)), requires_grad=True)
    padding = ag.tensor(np.array([[False, False, True]]))
    assert gradcheck(lambda x, w: mha(x, x, x, key_padding_mask=padding)[0] * w.sum(),
                     (x, ag.ones(1, dtype=ag.float64, requires_grad=True)))
    assert gradcheck(lambda w: mha(x, x, x)[1], (mha.in_proj_weight,))


# Produced with PyTorch 2.13 (torch.nn.MultiheadAttention(4, 2, batch_first=True, dtype=torch.float64)), each
# parameter i (in named_parameters order) filled with 0.5 * sin(1 + i + 0.7 * arange(numel)), input
# x = cos(0.3 * arange(24)).reshape(2, 3, 4), key_padding_mask [[F, F, F], [F, F, T]], attn_mask the causal mask;
# then out.sum().backward().
TORCH_OUT = [[[-0.8317583966416919, -0.10628999486836199, -0.6748775115122874, 0.05890048682313832],
              [-0.6796963217304881, -0.31288416508089095, -0.4376243011711948, -0.18159589332180853],
              [-0.3376858439820934, -0.6625558896168242, -0.12069775740380256, -0.4291547085629553]],
             [[-0.2647043037125316, -0.8713815227152929, 0.1998410559459427, -0.8243667374435892],
              [-0.5494311395004372, -0.5519879510242253, -0.11731162569271314, -0.5461036250488249],
              [-0.6096645734040687, -0.5035126305430281, -0.14842725164599568, -0.5359432696958776]]]
TORCH_WEIGHTS_SAMPLE_1 = [[1.0, 0.0, 0.0], [0.45320937940663464, 0.5467906205933653, 0.0],
                          [0.39291548143871136, 0.6070845185612886, 0.0]]
TORCH_DX_SAMPLE_0 = [[0.15531482466983576, 0.12983936297390872, 0.04329842007534239, -0.06360644634113435],
                     [0.014549261059448183, 0.029603568535309623, 0.030734855160496868, 0.017411059158342786],
                     [-0.035626022982906104, -0.06430034852574736, -0.06273321543626899, -0.03166167089358293]]
TORCH_D_IN_PROJ_ROW_0 = [-0.005429831248541895, -0.00010181802851867358, 0.005235290292752451, 0.010104745724181654]


def test_mha_gives_pytorchs_numbers():
    mha = nn.MultiheadAttention(4, 2, batch_first=True, dtype=ag.float64)
    fill(mha)
    x = ag.tensor(np.cos(0.3 * np.arange(24)).reshape(2, 3, 4), requires_grad=True)
    padding = ag.tensor(np.array([[False, False, False], [False, False, True]]))
    out, weights = mha(x, x, x, key_padding_mask=padding,
                       attn_mask=nn.Transformer.generate_square_subsequent_mask(3, dtype=ag.float64))
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), TORCH_OUT, atol=1e-12)
    np.testing.assert_allclose(weights.detach().numpy()[1], TORCH_WEIGHTS_SAMPLE_1, atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy()[0], TORCH_DX_SAMPLE_0, atol=1e-12)
    np.testing.assert_allclose(mha.in_proj_weight.grad.numpy()[0], TORCH_D_IN_PROJ_ROW_0, atol=1e-12)


def test_mha_refuses_bad_input_naming_the_module_and_the_shape():
    with pytest.raises(ValueError, match="MultiheadAttention: embed_dim must be divisible by num_heads"):
        nn.MultiheadAttention(10, 3)
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    x = ag.randn(2, 3, 8)
    with pytest.raises(ValueError, match=r"MultiheadAttention: expected query of shape \(N, L, E\) with E = 8"):
        mha(ag.randn(2, 3, 6), x, x)
    with pytest.raises(ValueError, match="MultiheadAttention: .* one batch size"):
        mha(x, ag.randn(4, 3, 8), ag.randn(4, 3, 8))
    with pytest.raises(ValueError, match="one sequence length"):
        mha(x, ag.randn(2, 5, 8), ag.randn(2, 4, 8))
    with pytest.raises(ValueError, match=r"attn_mask must have shape \(3, 3\) or \(4, 3, 3\), got \(3, 4\)"):
        mha(x, x, x, attn_mask=ag.zeros(3, 4, dtype=ag.bool))
    with pytest.raises(ValueError, match=r"key_padding_mask must have shape \(2, 3\)"):
        mha(x, x, x, key_padding_mask=ag.zeros(3, 2, dtype=ag.bool))
    with pytest.raises(TypeError, match="MultiheadAttention: a mask must be boolean or of the query's dtype"):
        mha(x, x, x, key_padding_mask=ag.zeros(2, 3, dtype=ag.int64))
    with pytest.raises(RuntimeError, match="is_causal=True needs attn_mask"):
        mha(x, x, x, is_causal=True)
    with pytest.raises(ValueError, match="all be 3-D"):
        mha(x, x[0], x[0])


def test_the_node_is_used_by_mha_without_weights_and_dropout_only_in_training():
    mha = nn.MultiheadAttention(4, 2, dropout=0.5, batch_first=True).double()
    x = ag.tensor(np.random.default_rng(11).standard_normal((2, 3, 4)), requires_grad=True)
    out = mha(x, x, x, need_weights=False)[0]
    assert node_names(out).count(ScaledDotProductAttention.__name__) == 1
    mha.eval()
    first, second = mha(x, x, x)[0], mha(x, x, x, need_weights=False)[0]
    np.testing.assert_allclose(first.detach().numpy(), second.detach().numpy(), atol=1e-12)
    mha.train()
    ag.manual_seed(0)
    dropped = mha(x, x, x, need_weights=False)[0]
    assert not np.allclose(dropped.detach().numpy(), second.detach().numpy())
