"""Transformer layers, stacks and the encoder-decoder model: against the layer equations written in numpy here,
PyTorch's state_dict keys, and numbers PyTorch computed; and the fused LayerNorm node they use."""
import math

import numpy as np
import pytest
from attention_reference import fill, numpy_mha
from graph_nodes import node_names

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck
from nn.transformer import _is_causal


def numpy_layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def numpy_encoder_layer(layer, x, additive=None):
    """TransformerEncoderLayer's equations (batch first, ReLU, no dropout) on the layer's parameters."""
    p = {name: t.detach().numpy() for name, t in layer.named_parameters()}
    attn = [p["self_attn.in_proj_weight"], p["self_attn.in_proj_bias"], p["self_attn.out_proj.weight"],
            p["self_attn.out_proj.bias"]]

    def sa(h):
        return numpy_mha(h, h, h, attn, layer.self_attn.num_heads, additive)[0]

    def ff(h):
        return np.maximum(h @ p["linear1.weight"].T + p["linear1.bias"], 0) @ p["linear2.weight"].T + p["linear2.bias"]

    def norm1(h):
        return numpy_layer_norm(h, p["norm1.weight"], p["norm1.bias"])

    def norm2(h):
        return numpy_layer_norm(h, p["norm2.weight"], p["norm2.bias"])

    if layer.norm_first:
        x = x + sa(norm1(x))
        return x + ff(norm2(x))
    x = norm1(x + sa(x))
    return norm2(x + ff(x))


def randomized(module, seed):
    """The module with every parameter drawn from N(0, 0.5^2) (LayerNorm weights and biases too)."""
    rng = np.random.default_rng(seed)
    with ag.no_grad():
        for p in module.parameters():
            p.copy_(ag.tensor(rng.normal(0, 0.5, p.shape)))
    return module


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_its_equations(norm_first):
    layer = randomized(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=norm_first,
                                                  dtype=ag.float64), 0)
    x = np.random.default_rng(1).standard_normal((3, 5, 8))
    padding = np.zeros((3, 5), bool)
    padding[2, 4] = True
    causal = nn.Transformer.generate_square_subsequent_mask(5, dtype=ag.float64)
    out = layer(ag.tensor(x), src_mask=causal, src_key_padding_mask=ag.tensor(padding))
    additive = causal.numpy() + np.where(padding, -np.inf, 0)[:, None, None, :]
    np.testing.assert_allclose(out.detach().numpy(), numpy_encoder_layer(layer, x, additive), atol=1e-10)


def test_encoder_stacks_independent_copies_and_applies_the_final_norm():
    layer = randomized(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, dtype=ag.float64), 2)
    encoder = nn.TransformerEncoder(layer, 3, norm=nn.LayerNorm(4).double())
    assert len(encoder.layers) == 3 and all(c is not layer for c in encoder.layers)
    for copy in encoder.layers:  # the same initial values, in arrays of their own
        np.testing.assert_array_equal(copy.linear1.weight.detach().numpy(), layer.linear1.weight.detach().numpy())
        assert not np.shares_memory(copy.linear1.weight.detach().numpy(), layer.linear1.weight.detach().numpy())
    randomized(encoder, 3)
    x = np.random.default_rng(4).standard_normal((5, 2, 4))  # (S, N, E)
    out = encoder(ag.tensor(x))
    expected = x.transpose(1, 0, 2)
    for copy in encoder.layers:
        expected = numpy_encoder_layer(copy, expected)
    expected = numpy_layer_norm(expected, encoder.norm.weight.detach().numpy(), encoder.norm.bias.detach().numpy())
    np.testing.assert_allclose(out.detach().numpy(), expected.transpose(1, 0, 2), atol=1e-10)
    out.sum().backward()
    grads = [copy.linear1.weight.grad for copy in encoder.layers]
    assert all(g is not None for g in grads) and layer.linear1.weight.grad is None
    assert not np.allclose(grads[0].numpy(), grads[1].numpy())


def test_state_dict_keys_are_pytorchs():
    # the keys of torch.nn.Transformer(4, 2, 1, 1, 6).state_dict(), listed by PyTorch 2.13
    attn = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    tail = ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
    encoder = [f"encoder.layers.0.self_attn.{k}" for k in attn] + [f"encoder.layers.0.{k}" for k in tail] + [
        f"encoder.layers.0.norm{i}.{k}" for i in (1, 2) for k in ("weight", "bias")] + [
        "encoder.norm.weight", "encoder.norm.bias"]
    decoder = [f"decoder.layers.0.{m}.{k}" for m in ("self_attn", "multihead_attn") for k in attn] + [
        f"decoder.layers.0.{k}" for k in tail] + [
        f"decoder.layers.0.norm{i}.{k}" for i in (1, 2, 3) for k in ("weight", "bias")] + [
        "decoder.norm.weight", "decoder.norm.bias"]
    model = nn.Transformer(4, 2, 1, 1, 6)
    assert list(model.state_dict()) == encoder + decoder
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes["encoder.layers.0.self_attn.in_proj_weight"] == (12, 4)
    assert shapes["decoder.layers.0.linear1.weight"] == (6, 4) and shapes["decoder.norm.bias"] == (4,)


def test_transformer_initialises_every_matrix_with_xavier_uniform():
    ag.manual_seed(0)
    model = nn.Transformer(16, 2, 1, 1, 64)
    w = model.encoder.layers[0].linear1.weight.detach().numpy()  # (64, 16)
    bound = math.sqrt(6 / (16 + 64))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    np.testing.assert_array_equal(model.decoder.norm.weight.detach().numpy(), np.ones(16))


# Produced with PyTorch 2.13: torch.nn.Transformer(4, 2, 1, 1, 6, dropout=0.0, activation="gelu", norm_first=True,
# dtype=torch.float64), parameter i (in named_parameters order) = 0.5 sin(1 + i + 0.7 arange(numel)),
# src = cos(0.3 arange(24)).reshape(3, 2, 4), tgt = cos(1 + 0.3 arange(16)).reshape(2, 2, 4), tgt_mask the causal
# mask, src and memory key padding masks [[F, F, T], [F, F, F]]; then (out * arange(1, 17).reshape(2, 2, 4)).sum()
# .backward().
TORCH_OUT = [[[0.9202963181347616, -0.09313056167062012, -0.35456988217309326, -0.1151941027556157],
              [0.9724425522796557, -0.22784257737733146, -0.34864711741206117, -0.16074454771463667]],
             [[0.6340184764030865, -0.6687499017090262, -0.29718300550899673, -0.4671060246992489],
              [0.31279853959828635, -0.6687481355860759, -0.28033260829298834, -0.5774976730205089]]]
TORCH_DSRC = [[[0.7358703983620989, -0.3081059580107942, -0.9042459639170484, 0.47648152356574325],
               [0.4881325120656268, -0.2597344098429806, -0.7644704315739583, 0.5360723293513124]],
              [[0.5315234359555945, -0.3160550726680561, -0.834112496270283, 0.6186441329827449],
               [2.0522986078020247, -0.8132778057994452, -2.6927416029243174, 1.4537208009217357]],
              [[0.0, 0.0, 0.0, 0.0],
               [1.507981002450592, -0.40104914738248837, -1.5804402721950086, 0.4735084171269038]]]
TORCH_D_DECODER_LINEAR1_ROW_0 = [0.06166105723386957, 0.12879502755774871, 0.38140455224072756,
                                 -0.09673427635023574]


def test_transformer_gives_pytorchs_numbers():
    model = nn.Transformer(4, 2, 1, 1, 6, dropout=0.0, activation="gelu", norm_first=True, dtype=ag.float64)
    fill(model)
    src = ag.tensor(np.cos(0.3 * np.arange(24)).reshape(3, 2, 4), requires_grad=True)
    tgt = ag.tensor(np.cos(1 + 0.3 * np.arange(16)).reshape(2, 2, 4), requires_grad=True)
    padding = ag.tensor(np.array([[False, False, True], [False, False, False]]))
    out = model(src, tgt, tgt_mask=nn.Transformer.generate_square_subsequent_mask(2, dtype=ag.float64),
                src_key_padding_mask=padding, memory_key_padding_mask=padding)
    (out * ag.arange(1.0, 17.0, dtype=ag.float64).reshape(2, 2, 4)).sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), TORCH_OUT, atol=1e-10)
    np.testing.assert_allclose(src.grad.numpy(), TORCH_DSRC, atol=1e-10)
    np.testing.assert_allclose(model.decoder.layers[0].linear1.weight.grad.numpy()[0],
                               TORCH_D_DECODER_LINEAR1_ROW_0, atol=1e-10)


def test_decoder_layer_cross_attends_to_memory_with_its_masks():
    layer = randomized(nn.TransformerDecoderLayer(4, 1, 8, dropout=0.0, batch_first=True, dtype=ag.float64), 5)
    rng = np.random.default_rng(6)
    tgt, memory = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    memory_mask = rng.random((3, 5)) > 0.6
    memory_mask[:, 0] = False
    out = layer(ag.tensor(tgt), ag.tensor(memory), memory_mask=ag.tensor(memory_mask))
    p = {name: t.detach().numpy() for name, t in layer.named_parameters()}

    def attention(prefix, q, kv, additive=None):
        params = [p[f"{prefix}.{k}"] for k in ("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias")]
        return numpy_mha(q, kv, kv, params, 1, additive)[0]

    def norm(i, h):
        return numpy_layer_norm(h, p[f"norm{i}.weight"], p[f"norm{i}.bias"])

    x = norm(1, tgt + attention("self_attn", tgt, tgt))
    x = norm(2, x + attention("multihead_attn", x, memory, np.where(memory_mask, -np.inf, 0)))
    ff = np.maximum(x @ p["linear1.weight"].T + p["linear1.bias"], 0) @ p["linear2.weight"].T + p["linear2.bias"]
    np.testing.assert_allclose(out.detach().numpy(), norm(3, x + ff), atol=1e-10)


def test_activation_can_be_gelu_or_a_callable():
    x = ag.tensor(np.random.default_rng(7).standard_normal((3, 2, 4)))
    by_name = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation="gelu").double()
    by_callable = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation=F.gelu).double()
    by_module = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation=nn.GELU()).double()
    for other in (by_callable, by_module):
        other.load_state_dict(by_name.state_dict())
        np.testing.assert_allclose(other(x).detach().numpy(), by_name(x).detach().numpy(), atol=1e-12)
    with pytest.raises(RuntimeError, match="activation should be relu/gelu"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")


def test_dropout_only_in_training():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3).double()
    x = ag.tensor(np.random.default_rng(8).standard_normal((4, 2, 8)))
    train_a, train_b = layer(x), layer(x)
    assert not np.allclose(train_a.detach().numpy(), train_b.detach().numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())


def test_square_subsequent_mask_and_the_causal_hint():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert mask.dtype == ag.float32
    np.testing.assert_array_equal(mask.numpy(), [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True), 1)
    x = ag.randn(2, 3, 4)
    hinted = encoder(x, mask=mask, is_causal=True)
    # as in PyTorch, is_causal=True (without a key padding mask) is trusted: the mask given is then not read
    no_mask = ag.zeros(3, 3)
    np.testing.assert_allclose(encoder(x, mask=no_mask, is_causal=True).detach().numpy(), hinted.detach().numpy(),
                               atol=1e-6)
    assert not np.allclose(encoder(x, mask=no_mask).detach().numpy(), hinted.detach().numpy(), atol=1e-3)
    with pytest.raises(RuntimeError, match="is_causal=True needs attn_mask"):
        encoder(x, is_causal=True)


CAUSAL_3 = [[0.0, -np.inf, -np.inf], [0.0, 0.0, -np.inf], [0.0, 0.0, 0.0]]  # position i sees 0..i


@pytest.mark.parametrize(("mask", "size", "causal"), [
    (CAUSAL_3, 3, True),
    (np.array(CAUSAL_3, np.float32), 3, True),
    (np.triu(np.ones((3, 3), bool), 1), 3, True),  # boolean: True where a query may not attend
    (np.zeros((3, 3)), 3, False),
    (np.array(CAUSAL_3).T, 3, False),  # the future, not the past
    (np.tril(np.ones((3, 3), bool), -1), 3, False),  # boolean, but each position hidden from itself and after
    ([[0.0, -1e9, -1e9], [0.0, 0.0, -1e9], [0.0, 0.0, 0.0]], 3, False),  # large, not -inf
    (CAUSAL_3, 4, False),  # the causal mask of another length
    ([[0.0, -np.inf], [0.0, 0.0]], 3, False),
    (None, 3, False),
])
def test_a_mask_is_detected_as_causal_only_when_it_is_the_causal_mask_of_the_length(mask, size, causal):
    given = None if mask is None else ag.tensor(np.asarray(mask))
    assert _is_causal(given, None, size) is causal
    assert _is_causal(given, True, size) is True and _is_causal(given, False, size) is False  # a hint is taken


@pytest.mark.parametrize("causal", [True, False])
def test_the_encoder_and_decoder_hand_the_detected_hint_to_attention(monkeypatch, causal):
    """With is_causal=None the stacks pass is_causal=True down to scaled_dot_product_attention (which then makes
    the causal mask itself, the mask given not read) exactly when the mask given is the causal one."""
    seen = []
    original = nn.multihead_attention.scaled_dot_product_attention

    def spy(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, *args, **kwargs):
        seen.append((is_causal, attn_mask is None))
        return original(q, k, v, attn_mask, dropout_p, is_causal, *args, **kwargs)

    monkeypatch.setattr(nn.multihead_attention, "scaled_dot_product_attention", spy)
    mask = ag.tensor(np.array(CAUSAL_3 if causal else np.zeros((3, 3)), np.float32))
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True), 2)
    encoder(ag.randn(2, 3, 4), mask=mask)
    assert seen == [(causal, causal)] * 2  # each layer: the hint, and then no mask handed on
    seen.clear()
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0), 1)
    decoder(ag.randn(3, 2, 4), ag.randn(5, 2, 4), tgt_mask=mask)
    assert seen == [(causal, causal), (False, True)]  # self-attention, then cross-attention to the memory


def test_transformer_refuses_mismatched_inputs():
    model = nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="batch number of src"):
        model(ag.randn(3, 2, 8), ag.randn(3, 4, 8))
    with pytest.raises(RuntimeError, match="d_model=8"):
        model(ag.randn(3, 2, 6), ag.randn(3, 2, 8))


# ---- the LayerNorm node ----
def test_layer_norm_is_one_node_matching_numpy_and_finite_differences():
    rng = np.random.default_rng(9)
    x = ag.tensor(rng.standard_normal((3, 4, 5)), requires_grad=True)
    weight, bias = (ag.tensor(rng.standard_normal(5), requires_grad=True) for _ in range(2))
    out = F.layer_norm(x, (5,), weight, bias)
    np.testing.assert_allclose(out.detach().numpy(), numpy_layer_norm(x.detach().numpy(), weight.detach().numpy(),
                                                                      bias.detach().numpy()), atol=1e-12)
    assert "_LayerNorm" in node_names(out) and "Mean" not in node_names(out)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (4, 5), w, b),
                     (x, *(ag.tensor(rng.standard_normal((4, 5)), requires_grad=True) for _ in range(2))))
    module = nn.LayerNorm(5, elementwise_affine=False).double()
    np.testing.assert_allclose(module(x).detach().numpy(), numpy_layer_norm(x.detach().numpy(), 1, 0), atol=1e-12)
