"""(f) one training step of a small Transformer language model (token embedding + learned positions, d_model 64,
4 heads, feed-forward 256 with ReLU, 2 pre-norm layers, causal mask, final LayerNorm, vocabulary 64, sequence 64,
batch 32, float32, cross-entropy, AdamW): the library's nn.TransformerEncoder (demos.tiny_gpt_model), the same
step written by hand in numpy (forward, backward and update), and PyTorch CPU when installed, all from the same
initial weights."""
from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

import autograd as ag
from demos.benchmark.steps import LIBRARY, Framework, load_weights, over_positions, pytorch, training_step
from demos.benchmark.timing import compare, installed_torch, ratio_line
from demos.tiny_gpt_model import TinyGPT, tiny_gpt_class

VOCAB, CONTEXT, D_MODEL, HEADS, FEEDFORWARD, LAYERS, BATCH = 64, 64, 64, 4, 256, 2, 32
LR, WEIGHT_DECAY, BETAS, EPS, LN_EPS = 1e-3, 1e-2, (0.9, 0.999), 1e-8, 1e-5


def batch() -> tuple[np.ndarray, np.ndarray]:
    """Token ids (BATCH, CONTEXT) and the next token of each (the targets)."""
    ids = np.random.default_rng(0).integers(0, VOCAB, (BATCH, CONTEXT + 1))
    return ids[:, :-1], ids[:, 1:]


def library_model() -> TinyGPT:
    ag.manual_seed(0)
    return TinyGPT(VOCAB, CONTEXT, D_MODEL, HEADS, FEEDFORWARD, LAYERS)


def initial_weights() -> dict[str, np.ndarray]:
    """The library model's initial parameters by name (float32 arrays): every version starts from these."""
    return {name: p.detach().numpy().copy() for name, p in library_model().named_parameters()}


def adamw_step(framework: Framework, model: Any) -> Callable[[], None]:
    """The step on `model` of the framework."""
    optimizer = framework.optim.AdamW(model.parameters(), lr=LR, betas=BETAS, eps=EPS, weight_decay=WEIGHT_DECAY)
    x, y = batch()
    loss_fn = over_positions(framework.nn.functional.cross_entropy, VOCAB)
    return training_step(framework, model, loss_fn, optimizer, x, y.reshape(-1))


# ---- the same step in numpy, forward and backward written out ----
def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, tuple]:
    centered = x - x.mean(-1, keepdims=True)
    rstd = 1 / np.sqrt((centered * centered).mean(-1, keepdims=True) + LN_EPS)
    normalized = centered * rstd
    return normalized * weight + bias, (normalized, rstd, weight)


def _layer_norm_backward(g: np.ndarray, saved: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    normalized, rstd, weight = saved
    gw = g * weight
    dx = rstd * (gw - gw.mean(-1, keepdims=True) - normalized * (gw * normalized).mean(-1, keepdims=True))
    rows, flat = g.reshape(-1, g.shape[-1]), normalized.reshape(-1, g.shape[-1])
    return dx, (rows * flat).sum(0), rows.sum(0)


def _linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """x W^T + b as one 2-D product (numpy's stacked product by a transposed matrix does not call BLAS)."""
    return (x.reshape(-1, x.shape[-1]) @ weight.T + bias).reshape(*x.shape[:-1], weight.shape[0])


def _linear_backward(g: np.ndarray, x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, inputs = g.reshape(-1, g.shape[-1]), x.reshape(-1, x.shape[-1])
    return (rows @ weight).reshape(x.shape), rows.T @ inputs, rows.sum(0)


def _attention(a: np.ndarray, w_in: np.ndarray, b_in: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Causal self-attention before the out-projection: (N, L, E) -> (N, L, E)."""
    n, length, e = a.shape
    d = e // HEADS
    q, k, v = _linear(a, w_in, b_in).reshape(n, length, 3, HEADS, d).transpose(2, 0, 3, 1, 4)
    scale = 1 / math.sqrt(d)  # a Python float: a numpy float64 would turn the float32 arrays into float64
    scores = q @ k.swapaxes(-1, -2)
    scores *= scale
    scores += mask
    scores -= scores.max(-1, keepdims=True)
    probs = np.exp(scores, out=scores)
    probs /= probs.sum(-1, keepdims=True)
    heads = probs @ v
    return heads.transpose(0, 2, 1, 3).reshape(n, length, e), (q, k, v, probs, scale)


def _attention_backward(g: np.ndarray, a: np.ndarray, w_in: np.ndarray, saved: tuple) -> tuple:
    q, k, v, probs, scale = saved
    n, length, e = g.shape
    d = e // HEADS
    g_heads = g.reshape(n, length, HEADS, d).transpose(0, 2, 1, 3)
    dv = probs.swapaxes(-1, -2) @ g_heads
    dp = g_heads @ v.swapaxes(-1, -2)
    ds = probs * (dp - (dp * probs).sum(-1, keepdims=True))
    dq = ds @ k * scale
    dk = ds.swapaxes(-1, -2) @ q * scale
    d_qkv = np.stack([dq, dk, dv]).transpose(1, 3, 0, 2, 4).reshape(n, length, 3 * e)
    return _linear_backward(d_qkv, a, w_in)


def numpy_gradients(p: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The gradient of the mean cross-entropy with respect to every parameter, by hand."""
    grads: dict[str, np.ndarray] = {}
    flat_targets = y.reshape(-1)
    rows = np.arange(flat_targets.size)
    mask = np.triu(np.full((CONTEXT, CONTEXT), -np.inf, np.float32), 1)
    h = p["token.weight"][x] + p["position.weight"][:CONTEXT]
    saved = []
    for i in range(LAYERS):
        name = f"blocks.layers.{i}."
        a, ln1 = _layer_norm(h, p[name + "norm1.weight"], p[name + "norm1.bias"])
        heads, att = _attention(a, p[name + "self_attn.in_proj_weight"], p[name + "self_attn.in_proj_bias"], mask)
        h = h + _linear(heads, p[name + "self_attn.out_proj.weight"], p[name + "self_attn.out_proj.bias"])
        c, ln2 = _layer_norm(h, p[name + "norm2.weight"], p[name + "norm2.bias"])
        f = _linear(c, p[name + "linear1.weight"], p[name + "linear1.bias"])
        r = np.maximum(f, 0)
        h = h + _linear(r, p[name + "linear2.weight"], p[name + "linear2.bias"])
        saved.append((a, ln1, heads, att, c, ln2, f, r))
    top, ln = _layer_norm(h, p["blocks.norm.weight"], p["blocks.norm.bias"])
    logits = _linear(top, p["head.weight"], p["head.bias"])
    # cross-entropy's gradient: softmax - one_hot, over the mean of BATCH * CONTEXT positions
    flat = logits.reshape(-1, VOCAB)
    g = np.exp(flat - flat.max(1, keepdims=True))
    g /= g.sum(1, keepdims=True)
    g[rows, flat_targets] -= 1
    g /= rows.size
    g = g.reshape(logits.shape)
    g_top, grads["head.weight"], grads["head.bias"] = _linear_backward(g, top, p["head.weight"])
    g_h, grads["blocks.norm.weight"], grads["blocks.norm.bias"] = _layer_norm_backward(g_top, ln)
    for i in reversed(range(LAYERS)):
        name = f"blocks.layers.{i}."
        a, ln1, heads, att, c, ln2, f, r = saved[i]
        g_r, grads[name + "linear2.weight"], grads[name + "linear2.bias"] = _linear_backward(
            g_h, r, p[name + "linear2.weight"])
        g_c, grads[name + "linear1.weight"], grads[name + "linear1.bias"] = _linear_backward(
            g_r * (f > 0), c, p[name + "linear1.weight"])
        g_x, grads[name + "norm2.weight"], grads[name + "norm2.bias"] = _layer_norm_backward(g_c, ln2)
        g_h = g_h + g_x
        g_heads, grads[name + "self_attn.out_proj.weight"], grads[name + "self_attn.out_proj.bias"] = \
            _linear_backward(g_h, heads, p[name + "self_attn.out_proj.weight"])
        g_a, grads[name + "self_attn.in_proj_weight"], grads[name + "self_attn.in_proj_bias"] = \
            _attention_backward(g_heads, a, p[name + "self_attn.in_proj_weight"], att)
        g_x, grads[name + "norm1.weight"], grads[name + "norm1.bias"] = _layer_norm_backward(g_a, ln1)
        g_h = g_h + g_x
    grads["position.weight"] = np.zeros_like(p["position.weight"])
    grads["position.weight"][:CONTEXT] = g_h.sum(0)
    grads["token.weight"] = np.zeros_like(p["token.weight"])
    np.add.at(grads["token.weight"], x.reshape(-1), g_h.reshape(-1, D_MODEL))
    return grads


def numpy_step() -> Callable[[], None]:
    params = initial_weights()
    state = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}
    x, y = batch()
    count = [0]

    def step() -> None:
        grads = numpy_gradients(params, x, y)
        count[0] += 1
        beta1, beta2 = BETAS
        correction1, correction2 = 1 - beta1 ** count[0], 1 - beta2 ** count[0]
        for name, param in params.items():
            g, (m, v) = grads[name], state[name]
            param *= 1 - LR * WEIGHT_DECAY
            m += (1 - beta1) * (g - m)
            v *= beta2
            v += (1 - beta2) * g * g
            param -= (LR / correction1) * (m / (np.sqrt(v) / np.sqrt(correction2) + EPS))

    return step


def torch_step(torch: ModuleType) -> Callable[[], None]:
    model = tiny_gpt_class(torch.nn)(VOCAB, CONTEXT, D_MODEL, HEADS, FEEDFORWARD, LAYERS)
    framework = pytorch(torch)
    return adamw_step(framework, load_weights(framework, model, initial_weights()))


def report(full: bool) -> dict:
    torch = installed_torch()
    steps = [adamw_step(LIBRARY, library_model()), numpy_step()] + ([torch_step(torch)] if torch else [])
    times = compare(*steps, repeats=3, rounds=11)
    library, by_hand = times[:2]
    print("(f) Transformer LM training step: embedding + positions, d_model 64, 4 heads, feed-forward 256, 2 pre-norm "
          "layers, causal, sequence 64, batch 32, AdamW; ratios to numpy by hand")
    print(ratio_line("library, nn.TransformerEncoder", library, by_hand, goal="at most 1.2x"))
    print(ratio_line("numpy by hand", by_hand, by_hand))
    figures = {"transformer_step_ratio": library / by_hand}
    if torch:
        print(ratio_line("PyTorch CPU", times[2], by_hand))
        figures["transformer_torch_ratio"] = library / times[2]
        print(f"    library / PyTorch CPU: {library / times[2]:.2f}x   (goal: at most 1.5x)")
    return figures
