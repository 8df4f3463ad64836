"""How a Module's backward hooks see the gradients of its inputs and outputs (register_full_backward_hook,
register_full_backward_pre_hook), as PyTorch's BackwardHook.

The tensors a module takes in (those that require grad) pass through one identity node on the way in, and the
tensors it gives out through one on the way out. Each node takes its tensors packed into one flat vector, and
the module (or its caller) gets them back unpacked, as new tensors of the same values. In backward, the engine
adds every gradient sent to the pieces into the one node, which so sees the gradients of all the module's
outputs at once (grad_output: the pre-hooks run then, and may replace it), and later those of all its inputs
(grad_input: the hooks run then, hook(module, grad_input, grad_output), and may replace grad_input). Positions
of non-Tensor arguments, and of tensors that do not require grad, hold None.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import check_returned_gradient
from autograd.function import Function
from autograd.grad_mode import is_grad_enabled
from autograd.tensor_class import Tensor


class BackwardHookFunction(Function, on_arrays=True):
    """y = x_1, ..., x_k flattened and concatenated;  dL/dx_i = x_i's part of dL/dy, in x_i's shape, after
    `on_gradients` has seen all the parts (and maybe replaced some)."""

    @staticmethod
    def forward(ctx, on_gradients: Callable[[tuple], tuple], *arrays):
        ctx.on_gradients, ctx.shapes = on_gradients, [a.shape for a in arrays]
        return np.concatenate([a.reshape(-1) for a in arrays])

    @staticmethod
    def backward(ctx, grad):
        parts, start = [], 0
        for shape in ctx.shapes:
            size = int(np.prod(shape))
            parts.append(grad[start:start + size].reshape(shape))
            start += size
        return (None, *ctx.on_gradients(tuple(parts)))


def _as_tensors(grads: Sequence[Any]) -> list[Tensor]:
    """What hooks see: Tensors (the array form of backward passes arrays)."""
    return [g if isinstance(g, Tensor) else Tensor._wrap(np.asarray(g)) for g in grads]


def _with_none(positions: list[int], values: Sequence[Any], size: int) -> tuple:
    """`values` at `positions` of a tuple of `size`, None elsewhere."""
    result = [None] * size
    for i, value in zip(positions, values):
        result[i] = value
    return tuple(result)


def _hook_result(result: Any, given: tuple, hook: Callable, kind: str, what: str) -> tuple:
    """What a hook returned to replace its grad_input or grad_output, once checked: a tuple (or list) with one
    entry per position, each None or a Tensor of the shape and dtype of the gradient `given` there before any
    hook ran (as PyTorch, which refuses a hook that changes the type). Anything else is an error naming the hook."""
    name = getattr(hook, "__qualname__", repr(hook))
    if not isinstance(result, (tuple, list)):
        raise TypeError(f"{kind} {name} returned a {type(result).__name__}; it must return None or a tuple with "
                        f"one {what} entry (a Tensor or None) per position, e.g. ({what}[0],)")
    if len(result) != len(given):
        raise RuntimeError(f"{kind} returned an invalid number of {what}, got {len(result)}, but expected "
                           f"{len(given)} (hook {name})")
    for i, (new, old) in enumerate(zip(result, given)):
        if new is not None:  # where no gradient flows (old is None) the entry is unused: only its type is checked
            check_returned_gradient(new, new if old is None else old, f"{kind} {name} (for {what}[{i}])")
    return tuple(result)


class BackwardHook:
    """One call of a module with backward hooks: it routes the call's inputs and outputs through the identity
    nodes, and calls the hooks when the gradients reach them."""

    def __init__(self, module: Any, hooks: list[Callable], pre_hooks: list[Callable]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple | None = None  # set when the outputs' gradients arrive, until the hooks run
        self.input_positions: list[int] | None = None  # the arguments that went through the input node
        self.output_positions: list[int] | None = None
        self.n_inputs = self.n_outputs = 0

    @staticmethod
    def _through_node(values: tuple, on_gradients: Callable[[tuple], tuple]) -> tuple[tuple, list[int] | None]:
        """`values` with each tensor that requires grad replaced by its piece of one BackwardHookFunction node
        (nothing changes, and the positions are None, when none does or grad mode is off)."""
        positions = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not positions or not is_grad_enabled():
            return values, None
        tensors = [values[i] for i in positions]
        packed = BackwardHookFunction.apply(on_gradients, *tensors)
        result, start = list(values), 0
        for i, tensor in zip(positions, tensors):
            size = tensor._data.size
            piece = packed.reshape(tensor.shape) if len(tensors) == 1 else packed[start:start + size].reshape(
                tensor.shape)
            result[i] = piece if piece.dtype == tensor.dtype else piece.to(tensor.dtype)
            start += size
        return tuple(result), positions

    def setup_input_hook(self, args: tuple) -> tuple:
        """The module's positional arguments, tensors routed through the input node."""
        self.n_inputs = len(args)
        args, self.input_positions = self._through_node(args, self._on_input_gradients)
        return args

    def setup_output_hook(self, output: Any) -> Any:
        """The module's output (a Tensor or a tuple), tensors routed through the output node."""
        values = output if isinstance(output, tuple) else (output,)
        self.n_outputs = len(values)
        routed, self.output_positions = self._through_node(values, self._on_output_gradients)
        if not isinstance(output, tuple):
            return routed[0]
        return routed if type(output) is tuple else type(output)(*routed)  # a named tuple stays one

    def _on_output_gradients(self, parts: tuple) -> tuple:
        given = self.grad_outputs = _with_none(self.output_positions, _as_tensors(parts), self.n_outputs)
        for pre_hook in self.pre_hooks:
            result = pre_hook(self.module, self.grad_outputs)
            if result is not None:
                self.grad_outputs = _hook_result(result, given, pre_hook, "Backward pre hook", "grad_output")
        grad_outputs = self.grad_outputs
        if self.input_positions is None:  # no input requires grad: the hooks run now, with grad_input all None
            for hook in self.hooks:
                result = hook(self.module, (None,) * self.n_inputs, grad_outputs)
                if result is not None and any(g is not None for g in _hook_result(
                        result, (None,) * self.n_inputs, hook, "Backward hook", "grad_input")):
                    raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                       "return None or None for all gradients.")
            self.grad_outputs = None
        return tuple(grad_outputs[i] for i in self.output_positions)

    def _on_input_gradients(self, parts: tuple) -> tuple:
        if self.grad_outputs is None:  # the gradient reached the inputs without passing through the outputs
            return parts
        given = grad_inputs = _with_none(self.input_positions, _as_tensors(parts), self.n_inputs)
        for hook in self.hooks:
            result = hook(self.module, grad_inputs, self.grad_outputs)
            if result is not None:
                grad_inputs = _hook_result(result, given, hook, "Backward hook", "grad_input")
        self.grad_outputs = None
        return tuple(grad_inputs[i] for i in self.input_positions)
