"""Reference computations shared by the attention and Transformer tests: attention and MultiheadAttention written
in numpy and the deterministic parameters the PyTorch numbers were made with."""
import math

import numpy as np

import autograd as ag


def numpy_attention(q, k, v, additive=None, scale=None):
    """softmax(q k^T * scale + mask) v, rows whose keys are all masked giving zeros (PyTorch's safe softmax)."""
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale + (0 if additive is None else additive)
    allowed = np.isfinite(scores)
    top = np.where(allowed, scores, -np.inf).max(-1, keepdims=True)
    e = np.where(allowed, np.exp(scores - np.where(np.isfinite(top), top, 0)), 0)
    total = e.sum(-1, keepdims=True)
    return (e / np.where(total == 0, 1, total)) @ v


def numpy_mha(query, key, value, params, heads, additive=None):
    """MultiheadAttention in numpy, batch first: (N, L, E) -> output (N, L, E), weights (N, H, L, S)."""
    w, b, wo, bo = params
    e = query.shape[-1]
    q, k, v = (x @ w[i * e:(i + 1) * e].T + b[i * e:(i + 1) * e] for i, x in enumerate((query, key, value)))

    def split(x):
        return x.reshape(x.shape[0], x.shape[1], heads, e // heads).transpose(0, 2, 1, 3)

    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(e // heads) + (0 if additive is None else additive)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    heads_out = (weights @ v).transpose(0, 2, 1, 3).reshape(query.shape)
    return heads_out @ wo.T + bo, weights


def fill(module):
    """Parameter i (in named_parameters order) = 0.5 sin(1 + i + 0.7 k), k = 0, 1, ... (as in the torch script)."""
    with ag.no_grad():
        for i, (_, p) in enumerate(module.named_parameters()):
            p.copy_(ag.tensor(0.5 * np.sin(1.0 + i + 0.7 * np.arange(p.numel()))).reshape(p.shape))
