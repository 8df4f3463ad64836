"""Checking backward against central finite differences: `gradcheck` (first) and `gradgradcheck` (second order).

For every input element x_k that requires grad, the numerical column is (f(x + eps e_k) - f(x - eps e_k)) / 2 eps;
the analytical row for every output element comes from one backward pass with a one-hot gradient.
They must agree within |a - n| <= atol + rtol |n|. Use float64 inputs: float32 is too coarse for eps = 1e-6.

The analytical rows are computed twice, by the two forms of backward (on arrays, and recorded on Tensors as
with create_graph=True), which must agree to rounding: so every gradcheck also checks that an op's one
derivative formula means the same on either form.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.tensor_class import Tensor


class GradcheckError(AssertionError):
    """Backward and finite differences disagree; the message names the input, the element and both values."""


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable(outputs: tuple) -> list[Tensor]:
    return [o for o in outputs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _numerical_jacobians(fn: Callable, inputs: tuple, wrt: list[int], eps: float,
                         out_sizes: list[int]) -> list[list[np.ndarray]]:
    """jac[i][o]: d output o / d input wrt[i], of shape (output size, input size), by central differences."""
    jacobians = []
    for i in wrt:
        x = inputs[i]._data
        flat = x.reshape(-1)  # a view: writing into it perturbs the input in place
        if x.size and not np.shares_memory(flat, x):
            raise ValueError(f"gradcheck: input {i} is not contiguous; pass a copy")
        columns = []
        for k in range(x.size):
            original = flat[k]
            flat[k] = original + eps
            plus = [o._data.astype(np.float64) for o in _differentiable(_as_tuple(fn(*inputs)))]
            flat[k] = original - eps
            minus = [o._data.astype(np.float64) for o in _differentiable(_as_tuple(fn(*inputs)))]
            flat[k] = original
            columns.append([((p - m) / (2 * eps)).reshape(-1) for p, m in zip(plus, minus)])
        jacobians.append([np.stack([c[o] for c in columns], axis=1) if columns else np.zeros((size, 0))
                          for o, size in enumerate(out_sizes)])
    return jacobians


def _analytical_jacobians(outputs: list[Tensor], inputs: tuple, wrt: list[int], create_graph: bool
                          ) -> list[list[np.ndarray]]:
    """jac[i][o]: the same Jacobians, one backward pass per output element."""
    jacobians = [[np.zeros((o._data.size, inputs[i]._data.size)) for o in outputs] for i in wrt]
    for o, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for j in range(out._data.size):
            onehot = np.zeros(out._data.size, dtype=out.dtype)
            onehot[j] = 1
            grads = grad(out, [inputs[i] for i in wrt], Tensor._wrap(onehot.reshape(out.shape)),
                         retain_graph=True, create_graph=create_graph, allow_unused=True)
            for n, g in enumerate(grads):
                if g is not None:
                    jacobians[n][o][j] = g._data.reshape(-1)
    return jacobians


def gradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """True when backward of `fn` matches central differences for every input that requires grad.

    On a mismatch, raises GradcheckError (or returns False with raise_exception=False).
    """
    inputs = _as_tuple(inputs)
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    if any(inputs[i].dtype != np.float64 for i in wrt):
        warnings.warn("gradcheck: inputs that are not float64 make finite differences too coarse to compare",
                      stacklevel=2)
    outputs = _differentiable(_as_tuple(fn(*inputs)))
    analytical = _analytical_jacobians(outputs, inputs, wrt, create_graph=False)
    recorded = _analytical_jacobians(outputs, inputs, wrt, create_graph=True)
    numerical = _numerical_jacobians(fn, inputs, wrt, eps, [o._data.size for o in outputs])
    # the two forms of backward may sum in different orders (a product computed transposed): equal up to rounding,
    # (relative) 1e-10 in float64, 1000 units in the last place of a lower precision; 100 times less absolutely
    tight = max(1e-10, 1000 * float(np.finfo(np.result_type(*(inputs[i].dtype for i in wrt))).eps))
    for n, i in enumerate(wrt):
        for o, out in enumerate(outputs):
            message = (_mismatch(analytical[n][o], recorded[n][o], tight * 1e-2, tight, "on arrays", "on Tensors")
                       or _mismatch(analytical[n][o], numerical[n][o], atol, rtol, "from backward", "numerically"))
            if message:
                if raise_exception:
                    raise GradcheckError(f"Jacobian mismatch for output {o} (shape {out.shape}) with respect to "
                                         f"input {i} (shape {inputs[i].shape}): {message(inputs[i].shape, out.shape)}")
                return False
    return True


def _mismatch(a: np.ndarray, reference: np.ndarray, atol: float, rtol: float, what: str, what_reference: str
              ) -> Callable[[tuple, tuple], str] | None:
    """None when |a - reference| <= atol + rtol |reference| everywhere; else what tells the first difference."""
    bad = ~(np.abs(a - reference) <= atol + rtol * np.abs(reference))
    if not np.any(bad):
        return None
    j, k = map(int, np.argwhere(bad)[0])

    def message(in_shape: tuple, out_shape: tuple) -> str:
        where_in = list(map(int, np.unravel_index(k, in_shape))) if in_shape else []
        where_out = list(map(int, np.unravel_index(j, out_shape))) if out_shape else []
        return (f"d output{where_out} / d input{where_in} is {float(reference[j, k])!r} {what_reference} but "
                f"{float(a[j, k])!r} {what} ({int(bad.sum())} of {bad.size} elements differ)")

    return message


def gradgradcheck(fn: Callable[..., Any], inputs: Any, grad_outputs: Sequence[Tensor] | None = None,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """gradcheck of the gradient itself: the backward pass (with create_graph=True) is differentiated again,
    with respect to the inputs and to the output gradients (random, fixed, when not given)."""
    inputs = _as_tuple(inputs)
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    outputs = _differentiable(_as_tuple(fn(*inputs)))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [Tensor(rng.standard_normal(o.shape), dtype=o.dtype, requires_grad=True) for o in outputs]
    grad_outputs = list(grad_outputs)

    def first_derivatives(*args: Any) -> tuple:
        xs, gos = args[: len(inputs)], args[len(inputs):]
        outs = [o for o in _differentiable(_as_tuple(fn(*xs)))]
        used = [(o, g) for o, g in zip(outs, gos) if o.requires_grad]
        if not used:
            return ()
        grads = grad([o for o, _ in used], [xs[i] for i in wrt], [g for _, g in used],
                     create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, (*inputs, *grad_outputs), eps, atol, rtol, raise_exception)
