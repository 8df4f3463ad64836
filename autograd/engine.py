"""Reverse-mode differentiation over the recorded graph: `backward` (into .grad) and `grad` (returned).

Every edge of the graph leads to a node: an op's Function, or the AccumulateGrad node of a leaf. Nodes run
latest recorded first (a heap on their sequence numbers): a node is always recorded after the nodes of its
inputs, so every consumer of a node has run, and sent its gradient, before the node runs and sees the sum over
every path. Only nodes that some gradient reaches are visited.

Gradients travel in one form per pass: numpy arrays (the usual case: nothing is recorded, and each op costs
little more than its numpy call), or Tensors when `create_graph=True`, so that the backward pass is itself
recorded and can be differentiated again.
"""
from __future__ import annotations

import heapq
import sys
from typing import Any

import numpy as np

from autograd import anomaly_mode
from autograd.function import Function, grad_accumulator
from autograd.grad_mode import current as grad_mode
from autograd.ops.arguments import as_flag
from autograd.ops.broadcast import sum_to_shape, summed_axes
from autograd.tensor_class import Tensor


def run_backward(roots: dict[Function, Any], retain_graph: bool, create_graph: bool, accumulate: bool = True,
                 capture: frozenset = frozenset()) -> dict[Function, Any]:
    """Send each root node's gradient back through the graph; add the total reaching each leaf to its .grad
    (if `accumulate`). Returns the total gradient reaching each node in `capture`, after its hooks."""
    pending, captured = dict(roots), {}  # node -> the sum of the gradients sent to it so far
    running = None if accumulate else _leading_to(roots, capture)  # grad() runs only what reaches its inputs
    ready = [(-node.sequence_nr, node) for node in roots]  # the nodes in `pending`, latest recorded on top
    heapq.heapify(ready)
    form = Tensor if create_graph else np.ndarray
    call_backward = anomaly_mode.watched(_call_backward) if anomaly_mode.current.enabled else _call_backward
    recording, grad_mode.enabled = grad_mode.enabled, create_graph  # only create_graph records the pass
    try:
        while ready:
            node = heapq.heappop(ready)[1]
            grad, parents = pending.pop(node), node.parents
            if node._hooks or node._retained or capture and node in capture:
                grad = _observe(node, grad, captured, capture, accumulate)
            if not parents:  # a leaf's AccumulateGrad: the end of every path to it
                if accumulate:
                    _accumulate(node._variable(), grad)
                continue
            if running is not None and node not in running:
                continue
            for parent, g in zip(parents, call_backward(node, grad, retain_graph)):
                if parent is None or g is None:
                    continue
                if type(g) is not form or g.shape != parent.output_shape or g.dtype is not parent.output_dtype:
                    g = _conform(g, parent, create_graph, node)
                if parent in pending:
                    pending[parent] = pending[parent] + g
                else:
                    pending[parent] = g
                    heapq.heappush(ready, (-parent.sequence_nr, parent))
            g = None  # so that only `pending` refers to a gradient that a leaf may take as its .grad
    finally:
        grad_mode.enabled = recording
    return captured


def _leading_to(roots: dict[Function, Any], targets: frozenset) -> set[Function]:
    """The nodes whose backward must run for gradients to reach the targets: those with a parent that is a
    target or leads to one. Parents are settled before their children (an iterative depth-first walk)."""
    leading: set[Function] = set()  # targets, and nodes with a parent in this set
    running: set[Function] = set()
    visited: set[Function] = set()
    stack = [(node, False) for node in roots]
    while stack:
        node, parents_settled = stack.pop()
        if parents_settled:
            if any(p in leading for p in node.parents):
                running.add(node)
                leading.add(node)
            elif node in targets:
                leading.add(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if p is not None and p not in visited)
    return running


def _call_backward(node: Function, grad: Any, retain_graph: bool) -> tuple:
    """The gradients `node` sends to its inputs, one per input; then what it saved is freed, unless
    `retain_graph`. An op whose backward takes Tensors only gets the array form's gradient wrapped (its
    results are unwrapped by `_conform`)."""
    if node._released:
        node._check_alive()
    if not node.on_arrays and type(grad) is not Tensor:
        grad = Tensor._wrap(np.asarray(grad))
    grads = node.backward(node, grad)
    if type(grads) is not tuple:
        grads = (grads,)
    if len(grads) != len(node.parents):
        grads = _without_extra_nones(node, grads)
    if not retain_graph:
        node.release()
    return grads


def _without_extra_nones(node: Function, grads: tuple) -> tuple:
    """A backward may return more gradients than its node has inputs only if the extra ones are None (as PyTorch
    allows); any other count is an error naming the node."""
    count = len(node.parents)
    if len(grads) < count or any(g is not None for g in grads[count:]):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients (expected {count}, "
                           f"got {len(grads)})")
    return grads[:count]


def _conform(grad: Any, node: Function, create_graph: bool, sender: Function | str) -> Any:
    """`grad` in the pass's form, with the shape and dtype of the output of `node` it is sent to: a gradient
    of a broadcast shape is summed back (the adjoint of broadcasting, done here once for every op)."""
    if isinstance(grad, Tensor):
        if not create_graph:
            grad = grad._data
    elif isinstance(grad, (np.ndarray, np.generic)) and grad.dtype.kind in "biuf":
        grad = Tensor._wrap(np.asarray(grad)) if create_graph else np.asarray(grad)
    else:
        raise TypeError(f"{_sent_by(sender, node)} is a {type(grad).__name__}; a gradient must be a Tensor (or None)")
    shape = node.output_shape
    if grad.shape != shape:
        axes = summed_axes(grad.shape, shape)
        if axes is None:
            raise RuntimeError(f"{_sent_by(sender, node)} has shape {tuple(grad.shape)}, which does not fit the "
                               f"input's shape {shape}")
        if create_graph:
            grad = sum_to_shape(grad, shape)
        else:  # reshaped only where summed axes of size 1 stay, so that the sum stays an array of its own
            grad = grad.sum(axis=axes)
            if grad.shape != shape:
                grad = grad.reshape(shape)
    if grad.dtype != node.output_dtype:
        grad = grad.to(node.output_dtype) if create_graph else grad.astype(node.output_dtype)
    return grad


def _sent_by(sender: Function | str, node: Function) -> str:
    """Which gradient an error of `_conform` is about (made only when there is an error)."""
    return sender if isinstance(sender, str) else \
        f"the gradient {sender.name()} returned for input {sender.parents.index(node)}"


def _observe(node: Function, grad: Any, captured: dict, capture: frozenset, accumulate: bool) -> Any:
    """What a node's tensor shows of its total gradient: its hooks (which may replace it), the .grad of a
    tensor that called retain_grad(), and the answer of grad() for an input."""
    if node._hooks:
        grad = _run_hooks(node._hooks, grad)
    if node._retained and accumulate:
        for ref in node._retained:
            tensor = ref()
            if tensor is not None:
                _accumulate(tensor, grad, owned=False)
    if node in capture:
        captured[node] = grad
    return grad


def _run_hooks(hooks: list, grad: Any) -> Any:
    """Each hook sees the gradient as a Tensor and may return a replacement of the same shape."""
    as_tensor = grad if isinstance(grad, Tensor) else Tensor._wrap(np.asarray(grad))
    for hook in list(hooks):
        replaced = hook(as_tensor)
        if replaced is None:
            continue
        check_returned_gradient(replaced, as_tensor, f"hook {getattr(hook, '__qualname__', repr(hook))}")
        as_tensor = replaced
    return as_tensor if isinstance(grad, Tensor) else as_tensor._data


def check_returned_gradient(new: Any, old: Tensor, user: str) -> None:
    """A gradient that user code (a hook, named by `user`) returned in place of `old`: it must be a Tensor of
    old's shape and dtype (as PyTorch, which refuses a hook that changes the type), else an error naming it."""
    if not isinstance(new, Tensor):
        raise TypeError(f"{user} returned a {type(new).__name__}; a gradient must be a Tensor or None")
    if new.shape != old.shape:
        raise RuntimeError(f"{user} returned a gradient of shape {new.shape} for a gradient of shape {old.shape}")
    if new.dtype != old.dtype:
        raise RuntimeError(f"{user} has changed the type of value: it returned a gradient of dtype {new.dtype} for "
                           f"a gradient of dtype {old.dtype}")


def _accumulate(tensor: Tensor, grad: Any, owned: bool | None = None) -> None:
    """tensor.grad += grad. A first gradient becomes .grad without a copy only if nothing but the backward
    pass holds it (a .grad must never share memory with another tensor): a formula may hand one array to
    several inputs (`return grad, grad`), a hook may return a tensor the user keeps. Only CPython's reference
    count can tell, as PyTorch tests a tensor's use count: the caller's variable, this argument and
    getrefcount's own make 3. A view is unshared only if it is contiguous and spans the whole of an array
    that nothing else holds (as the transposed product that MatMul returns for a transposed weight).

    A Tensor gradient (create_graph) is added with recorded ops, so that .grad can be differentiated further."""
    if tensor is None:  # the leaf is gone: no one can see its gradient
        return
    if owned is None:
        owned = type(grad) is np.ndarray and sys.getrefcount(grad) <= 3 and (grad.base is None or _whole_view(grad))
    if isinstance(grad, Tensor):
        tensor.grad = grad.clone() if tensor.grad is None else tensor.grad + grad
        return
    if grad.dtype is not tensor._data.dtype and grad.dtype != tensor._data.dtype:
        grad, owned = grad.astype(tensor._data.dtype), True
    if tensor.grad is None:
        tensor.grad = Tensor._wrap(grad if owned else grad.copy())
    elif tensor.grad.requires_grad:
        tensor.grad = Tensor._wrap(tensor.grad._data + grad)
    else:
        tensor.grad._data += grad
        tensor.grad.bump_version()


def _whole_view(view: np.ndarray) -> bool:
    """Whether `view` is a contiguous view of all of an array held by nothing else (the view's reference to
    it, this variable and getrefcount's argument make 3)."""
    base = view.base
    return (type(base) is np.ndarray and view.flags.c_contiguous and view.nbytes == base.nbytes
            and sys.getrefcount(base) <= 3)


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return [x] if isinstance(x, Tensor) else list(x)


def _roots(outputs: list[Tensor], grad_outputs: list, create_graph: bool) -> dict[Function, Any]:
    """Each output's node with the gradient it starts from: ones for a single element, else the one given."""
    if grad_outputs and len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    roots: dict[Function, Any] = {}
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        g = grad_outputs[i] if grad_outputs else None
        node = out._node or grad_accumulator(out)
        if g is None:
            if out._data.size != 1:
                raise RuntimeError(f"grad can be implicitly created only for scalar outputs: output {i} has "
                                   f"shape {out.shape}; pass gradient= of that shape")
            shape, dtype = out._data.shape, out._data.dtype  # d out / d out = 1 (np.array is quicker than np.ones)
            g = np.ones(shape, dtype) if shape else np.array(1, dtype)
        else:
            if not isinstance(g, Tensor):
                g = np.asarray(g, dtype=out.dtype)
            if g.shape != out.shape:
                raise RuntimeError(f"Mismatch in shape: the gradient of output {i} has shape {tuple(g.shape)} "
                                   f"but the output has shape {out.shape}")
            g = _conform(g, node, create_graph, f"the gradient of output {i}")
        if create_graph and not isinstance(g, Tensor):
            g = Tensor._wrap(g)
        roots[node] = roots[node] + g if node in roots else g
    return roots


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """Add the gradient of `tensors` to `.grad` of every leaf that requires grad (and retain_grad() tensors)."""
    outputs = _as_list(tensors)
    roots = _roots(outputs, _as_list(grad_tensors), create_graph)
    run_backward(roots, create_graph if retain_graph is None else retain_graph, create_graph)


def _tensor_list(values: Any, name: str, optional: bool) -> list:
    """grad()'s outputs, inputs or grad_outputs: a Tensor or an iterable of them (model.parameters(), ...;
    entries may be None if `optional`), as a list; anything else is a TypeError naming the argument."""
    if values is None and optional:
        return []
    if isinstance(values, Tensor):
        return [values]
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"grad: {name} must be a Tensor or a sequence of Tensors, got {type(values).__name__}")
    values = list(values)
    for i, value in enumerate(values):
        if not (isinstance(value, Tensor) or (optional and value is None)):
            raise TypeError(f"grad: {name}[{i}] must be a Tensor{' or None' if optional else ''}, got "
                            f"{type(value).__name__}")
    return values


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """d(outputs)/d(inputs), returned instead of accumulated into .grad (no .grad is touched, not even of
    tensors that called retain_grad())."""
    outputs, inputs = _tensor_list(outputs, "outputs", False), _tensor_list(inputs, "inputs", False)
    grad_outputs = _tensor_list(grad_outputs, "grad_outputs", True)
    create_graph = as_flag(create_graph, "create_graph", "grad")
    allow_unused = as_flag(allow_unused, "allow_unused", "grad")
    if retain_graph is not None:
        retain_graph = as_flag(retain_graph, "retain_graph", "grad")
    if not inputs:
        raise RuntimeError("grad: inputs must not be empty (give the tensors to differentiate with respect to)")
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"input {i} of grad() does not require grad")
    nodes = [x._node or grad_accumulator(x) for x in inputs]
    roots = _roots(outputs, grad_outputs, create_graph)
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(roots, retain, create_graph, accumulate=False, capture=frozenset(nodes))
    result = []
    for i, (x, node) in enumerate(zip(inputs, nodes)):
        if node not in captured:
            if not allow_unused:
                raise RuntimeError(f"input {i} (shape {x.shape}) was not used to compute the outputs; pass "
                                   "allow_unused=True if that is expected")
            result.append(None)
            continue
        g = captured[node]  # copied: the same input may be asked for twice, and no answer shares memory
        result.append(g.clone() if isinstance(g, Tensor) else Tensor._wrap(np.array(g, copy=True)))
    return tuple(result)
