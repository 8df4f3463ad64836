"""Gradient clipping, in place on the parameters' .grad, between backward() and the optimizer's step().

    clip_grad_norm_:  total = || (||g_1||_p, ||g_2||_p, ...) ||_p   (the p-norm of all gradients together)
                      every g *= min(max_norm / (total + 1e-6), 1);  returns total (before clipping)
    clip_grad_value_: every element of every g is clamped to [-clip_value, clip_value]
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from autograd.tensor_class import Tensor


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> Tensor:
    """Scale all gradients together so that their total p-norm is at most max_norm; return the total norm.

    norm_type may be any p of numpy's vector norms, float('inf') included. A non-finite total raises a
    RuntimeError when error_if_nonfinite, before any gradient is changed.
    """
    grads = _grads(parameters)
    if not grads:
        return Tensor(0.0)
    norm_type = float(norm_type)
    dtype = np.result_type(*[g.dtype for g in grads])
    norms = np.array([np.linalg.norm(g._data.reshape(-1), ord=norm_type) for g in grads], dtype=dtype)
    total = np.linalg.norm(norms, ord=norm_type).astype(dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    coef = np.minimum(np.asarray(max_norm, dtype) / (total + np.asarray(1e-6, dtype)), np.asarray(1.0, dtype))
    for g in grads:
        g._data *= coef.astype(g.dtype)
        g.bump_version()
    return Tensor._wrap(np.asarray(total))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient element to [-clip_value, clip_value]."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        np.clip(g._data, -clip_value, clip_value, out=g._data)
        g.bump_version()
