"""Reverse-mode differentiation over the recorded graph: `backward` (into .grad) and `grad` (returned).

The graph is walked without recursion: first every node counts how many consumers it has, then nodes run
once all their consumers have sent their gradient (Kahn's order), so each node sees the sum of all paths.
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.grad_mode import current as grad_mode
from autograd.tensor import Tensor


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return [x] if isinstance(x, Tensor) else list(x)


def _initial_grads(outputs: list[Tensor], grad_outputs: list) -> list[Tensor]:
    """The gradient each output starts with: ones for a scalar, else the one given (of the output's shape)."""
    if grad_outputs and len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    grads = []
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        g = grad_outputs[i] if grad_outputs else None
        if g is None:
            if out.data.size != 1:
                raise RuntimeError(f"grad can be implicitly created only for scalar outputs: output {i} has "
                                   f"shape {out.shape}; pass gradient= of that shape")
            g = Tensor._wrap(np.array(1, dtype=out.data.dtype).reshape(out.data.shape))  # d out / d out
        elif not isinstance(g, Tensor):
            g = Tensor(g, dtype=out.dtype)
        if g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: the gradient of output {i} has shape {g.shape} "
                               f"but the output has shape {out.shape}")
        grads.append(g)
    return grads


def _count_consumers(roots: list[Function]) -> dict[Function, int]:
    """For every node reachable from the roots, how many edges of the graph point to it."""
    consumers: dict[Function, int] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if parent is None or isinstance(parent, Tensor):
                continue
            if parent in consumers:
                consumers[parent] += 1
            else:  # met for the first time: walk on from it (a root is walked from already)
                consumers[parent] = 1
                if parent not in roots:
                    stack.append(parent)
    return consumers


def _run_hooks(hooks: list, grad: Any) -> Any:
    """Each hook sees the gradient as a Tensor and may return a replacement; the result keeps grad's kind."""
    as_tensor = _as_tensor(grad)
    for hook in hooks:
        replaced = hook(as_tensor)
        if replaced is not None:
            as_tensor = replaced
    return as_tensor if isinstance(grad, Tensor) else as_tensor.data


def _as_tensor(grad: Any) -> Tensor:
    """A gradient as a Tensor (an array_backward may give numpy scalars: ufuncs on 0-d arrays return them)."""
    if isinstance(grad, Tensor):
        return grad
    return Tensor._wrap(grad if type(grad) is np.ndarray else np.asarray(grad))


def _call_backward(node: Function, grad: Any) -> tuple:
    """The gradients node's `backward` sends to its inputs, as a tuple of Tensors (recorded when create_graph)."""
    input_grads = node.backward(node, _as_tensor(grad))
    return input_grads if type(input_grads) is tuple else (input_grads,)


def run_backward(outputs: list[Tensor], grad_outputs: list[Tensor], retain_graph: bool,
                 create_graph: bool, capture: frozenset = frozenset(), fill_retained: bool = True
                 ) -> dict[Any, Tensor]:
    """Propagate the output gradients through the graph.

    Returns the total gradient reaching each leaf (keyed by the leaf Tensor) and each node in `capture`
    (keyed by the node), with hooks applied; retain_grad() tensors are filled in on the way if `fill_retained`.
    A gradient sent to a node is cast to the dtype of that node's output, as PyTorch does.

    With create_graph the gradients are Tensors, so that the backward pass is recorded. Without, a gradient
    travels in the form its node made it: a plain array out of an array_backward (no Tensor around it, which
    would only cost time), a Tensor out of a backward; each node is given the form it takes.
    """
    totals: dict[Any, Any] = {}
    pending: dict[Function, Any] = {}
    roots = []
    for out, g in zip(outputs, grad_outputs):
        node = out._node
        if node is None:  # a leaf as an output
            totals[out] = totals[out] + g if out in totals else g
        else:
            pending[node] = pending[node] + g if node in pending else g
            if node not in roots:
                roots.append(node)
    consumers = _count_consumers(roots)
    ready = [node for node in roots if node not in consumers]
    recording, grad_mode.enabled = grad_mode.enabled, create_graph  # only create_graph records the pass
    try:
        while ready:
            node = ready.pop()
            parents = node.parents
            grad = pending.pop(node, None)
            if grad is None:  # no path from the outputs carries a gradient here
                input_grads = (None,) * len(parents)
            else:
                if node._hooks:
                    grad = _run_hooks(node._hooks, grad)
                if capture and node in capture:
                    totals[node] = grad
                if node._retained and fill_retained:
                    _fill_retained(node, grad, create_graph)
                if node._released:
                    node._check_alive()
                if create_graph or node.array_backward is None:
                    input_grads = _call_backward(node, grad)
                else:  # the usual case in training, so without a call in between
                    input_grads = node.array_backward(node, grad if type(grad) is np.ndarray else grad.data)
                if len(input_grads) != len(parents):
                    raise RuntimeError(f"{node.name()} returned {len(input_grads)} gradients for "
                                       f"{len(parents)} inputs")
                if not retain_graph:
                    node.release()
            for parent, g in zip(parents, input_grads):
                if parent is None:
                    continue
                if type(parent) is not Tensor and not isinstance(parent, Tensor):  # a node
                    if g is not None:
                        if g.dtype is not parent.dtype and g.dtype != parent.dtype:
                            g = g.to(parent.dtype) if isinstance(g, Tensor) else g.astype(parent.dtype)
                        pending[parent] = pending[parent] + g if parent in pending else g
                    left = consumers[parent] - 1
                    consumers[parent] = left
                    if not left:
                        ready.append(parent)
                elif g is not None:  # a leaf
                    totals[parent] = totals[parent] + g if parent in totals else g
        for key, grad in list(totals.items()):
            if not isinstance(grad, Tensor):
                grad = totals[key] = _as_tensor(grad)
            if isinstance(key, Tensor) and key._hooks:
                totals[key] = _run_hooks(key._hooks, grad)
    finally:
        grad_mode.enabled = recording
    return totals


def _pop_gradient(totals: dict, key: Any) -> tuple[Tensor, bool]:
    """Take key's gradient out of `totals`, and tell whether nothing else holds it or its array.

    Such a gradient may become a .grad without a copy. It must own its array (a view shares its base with who
    knows what), and no one but us may hold the Tensor or the array: CPython's reference counts tell, as PyTorch
    tests a tensor's use count (one reference is ours, one getrefcount's argument; the array's: the Tensor's).
    """
    grad = totals.pop(key)
    unshared = grad.data.base is None and sys.getrefcount(grad) <= 2 and sys.getrefcount(grad.data) <= 2
    return grad, unshared


def _fill_retained(node: Function, grad: Any, create_graph: bool) -> None:
    for ref in node._retained or ():
        tensor = ref()
        if tensor is not None:
            _accumulate(tensor, _as_tensor(grad), create_graph)


def _accumulate(tensor: Tensor, grad: Tensor, create_graph: bool, unshared: bool = False) -> None:
    """tensor.grad += grad. A first gradient is copied unless `unshared` (nothing else holds it), so that a
    .grad never shares memory with another tensor."""
    if grad.data.dtype is not tensor.data.dtype and grad.data.dtype != tensor.data.dtype:
        grad, unshared = grad.to(tensor.data.dtype), True
    if not unshared and tensor.grad is None:
        grad = grad.clone() if create_graph else Tensor._wrap(np.array(grad.data, copy=True))
    if create_graph:
        tensor.grad = grad if tensor.grad is None else tensor.grad + grad
    elif tensor.grad is None:
        tensor.grad = grad
    elif tensor.grad.requires_grad:
        tensor.grad = Tensor._wrap(tensor.grad.data + grad.data)
    else:
        tensor.grad.data += grad.data
        tensor.grad.bump_version()


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """Add the gradient of `tensors` to `.grad` of every leaf that requires grad (and retain_grad() tensors)."""
    outputs = _as_list(tensors)
    grads = _initial_grads(outputs, _as_list(grad_tensors))
    retain = create_graph if retain_graph is None else retain_graph
    totals = run_backward(outputs, grads, retain, create_graph)
    for key in [k for k in totals if isinstance(k, Tensor) and k.requires_grad]:
        grad, unshared = _pop_gradient(totals, key)
        _accumulate(key, grad, create_graph, unshared)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """d(outputs)/d(inputs), returned instead of accumulated into .grad (no .grad is touched, not even of
    tensors that called retain_grad())."""
    outputs, inputs = _as_list(outputs), _as_list(inputs)
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"input {i} of grad() does not require grad")
    grads = _initial_grads(outputs, _as_list(grad_outputs))
    retain = create_graph if retain_graph is None else retain_graph
    capture = frozenset(x._node for x in inputs if x._node is not None)
    totals = run_backward(outputs, grads, retain, create_graph, capture, fill_retained=False)
    result = []
    for i, x in enumerate(inputs):
        key = x if x._node is None else x._node
        if key not in totals:
            if not allow_unused:
                raise RuntimeError(f"input {i} (shape {x.shape}) was not used to compute the outputs; pass "
                                   "allow_unused=True if that is expected")
            result.append(None)
            continue
        g, unshared = _pop_gradient(totals, key)
        totals[key] = g  # the same input may be asked for twice; the second answer is then a copy
        if g.dtype != x.dtype:
            g = g.to(x.dtype)
        elif not unshared:
            g = g.clone() if create_graph else Tensor._wrap(np.array(g.data, copy=True))
        result.append(g)
    return tuple(result)
