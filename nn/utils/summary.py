"""`summary(model, input_size=...)`: a model's layers, output shapes, parameter counts and memory, like torchinfo.

One forward pass under no_grad, in eval mode, with a forward pre-hook and a forward hook on every module, records
each call of a module as a row, nested as the calls nest: its output shapes, and the parameters it holds. A
parameter is counted once, in the first row whose module (or a hidden descendant of it) holds it, so the rows'
counts add up to the total even when layers are shared. The hooks are removed and every module's training mode
is restored afterwards, also when the forward pass fails.

Memory, in bytes: the input tensors; the activations (the outputs of the leaf layers, which a backward pass
would keep); the parameters and the buffers (BatchNorm's running statistics: state, not parameters).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.dtypes import as_dtype, get_default_dtype
from autograd.grad_mode import no_grad
from autograd.tensor_class import Tensor
from nn.module import Module

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerRow:
    """One call of one module: where it sits, what it returned, the parameters counted in this row."""

    name: str  # dotted path from the model ('' for the model itself), e.g. 'features.0'
    type_name: str  # the module's class, e.g. 'Conv2d'
    depth: int  # 0 for the model, 1 for its children, ...
    output_shapes: tuple[Shape, ...]  # of every Tensor in the output (nested tuples, lists and dicts walked)
    output_bytes: int
    params: int  # elements of the parameters counted here (its own, and those of hidden descendants)
    trainable_params: int  # of which require grad
    shared: bool  # its own parameters were already counted in an earlier row (a shared or repeated layer)
    is_leaf: bool  # the module has no sub-modules


@dataclass(frozen=True)
class ModelSummary:
    """What summary() found; str() gives the table."""

    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    buffer_elements: int
    input_bytes: int
    activation_bytes: int
    param_bytes: int
    buffer_bytes: int

    @property
    def non_trainable_params(self) -> int:
        """Elements of the parameters that do not require grad (frozen)."""
        return self.total_params - self.trainable_params

    @property
    def total_bytes(self) -> int:
        """Input, activations, parameters and buffers together."""
        return self.input_bytes + self.activation_bytes + self.param_bytes + self.buffer_bytes

    def __str__(self) -> str:
        return _format_table(self)


def summary(model: Module, input_size: Sequence | None = None, *, dtypes: Sequence | Any = None,
            input_data: Tensor | Sequence[Tensor] | Mapping[str, Tensor] | None = None,
            depth: int = 3) -> ModelSummary:
    """Run `model` once on an input and describe its layers; print the result for the table.

    input_size: the shape of the input, batch dimension included, e.g. (1, 1, 28, 28), or a list of shapes
    for a model that takes several inputs. dtypes: the input's dtype, or one per input (default: the default
    float dtype; random normal values for floats, zeros for integers and booleans). input_data: the input
    itself instead (a Tensor, a list of Tensors, or a dict of keyword arguments). depth: rows deeper than this
    are not shown; their parameters are counted in their shown ancestor's row.
    """
    if not isinstance(model, Module):
        raise TypeError(f"summary: model must be an nn.Module, got {type(model).__name__}")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"summary: depth must be an int >= 0, got {depth!r}")
    args, kwargs = _inputs(input_size, dtypes, input_data)
    names = {module: name for name, module in model.named_modules()}
    calls: list[_Call] = []
    stack: list[_Call] = []

    def before(module: Module, module_args: tuple) -> None:
        call = _Call(module, len(stack), module_args)
        calls.append(call)
        stack.append(call)

    def after(_module: Module, _args: tuple, output: Any) -> None:
        call = stack.pop()  # the calls nest: the last one opened is the one that returns now
        call.output_shapes, call.output_bytes = _tensor_shapes(output)
        call.args = ()  # kept only while the call runs, for the error message

    modes = {module: module.training for module in names}
    handles = [h for module in names for h in (module.register_forward_pre_hook(before),
                                                module.register_forward_hook(after))]
    try:
        model.eval()
        with no_grad():
            model(*args, **kwargs)
    except Exception as error:
        if not stack:
            raise
        failed = stack[-1]
        raise RuntimeError(f"summary: the forward pass on the input {_shapes_text(args, kwargs)} failed in "
                           f"{names[failed.module] or 'the model'} ({type(failed.module).__name__}), called with "
                           f"{_shapes_text(failed.args, {})}: {type(error).__name__}: {error}") from error
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            object.__setattr__(module, "training", training)
    return _summarise(model, names, calls, depth, args, kwargs)


class _Call:
    """A module's call while the forward pass runs: filled in by the hooks."""

    def __init__(self, module: Module, depth: int, args: tuple) -> None:
        self.module, self.depth, self.args = module, depth, args
        self.output_shapes: tuple[Shape, ...] = ()
        self.output_bytes = 0


def _tensor_shapes(output: Any) -> tuple[tuple[Shape, ...], int]:
    """The shapes of the Tensors in a (nested) output, and their bytes."""
    shapes, size = [], 0
    pending = [output]
    while pending:
        item = pending.pop(0)
        if isinstance(item, Tensor):
            shapes.append(tuple(item.shape))
            size += item._data.nbytes
        elif isinstance(item, (tuple, list)):
            pending[:0] = list(item)
        elif isinstance(item, Mapping):
            pending[:0] = list(item.values())
    return tuple(shapes), size


def _inputs(input_size: Sequence | None, dtypes: Any, input_data: Any) -> tuple[tuple, dict]:
    """The positional and keyword arguments of the forward pass, checked."""
    if (input_size is None) == (input_data is None):
        raise ValueError("summary: give exactly one of input_size (a shape, or a list of shapes) and input_data")
    if input_data is not None:
        if dtypes is not None:
            raise ValueError("summary: dtypes goes with input_size; input_data has its own dtypes")
        if isinstance(input_data, Tensor):
            return (input_data,), {}
        if isinstance(input_data, Mapping):
            return (), dict(input_data)
        if isinstance(input_data, (tuple, list)):
            return tuple(input_data), {}
        raise TypeError(f"summary: input_data must be a Tensor, a list of Tensors or a dict of them, "
                        f"got {type(input_data).__name__}")
    shapes = [input_size] if _is_shape(input_size) else input_size
    if not (isinstance(shapes, (tuple, list)) and shapes and all(_is_shape(s) for s in shapes)):
        raise ValueError(f"summary: input_size must be a shape such as (1, 3, 28, 28) (batch dimension included) "
                         f"or a list of shapes, one per input; got {input_size!r}")
    if dtypes is None:
        dtypes = [get_default_dtype()] * len(shapes)
    elif not isinstance(dtypes, (tuple, list)):
        dtypes = [dtypes] * len(shapes)
    if len(dtypes) != len(shapes):
        raise ValueError(f"summary: {len(dtypes)} dtypes for {len(shapes)} inputs; give one dtype per input")
    rng = np.random.default_rng(0)  # its own generator: the library's default one is left as it was
    args = []
    for shape, dtype in zip(shapes, dtypes):
        dtype = as_dtype(dtype, "summary")
        values = rng.standard_normal(shape) if dtype.kind == "f" else np.zeros(shape)
        args.append(Tensor._wrap(values.astype(dtype)))
    return tuple(args), {}


def _is_shape(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in value)


def _shapes_text(args: tuple, kwargs: dict) -> str:
    described = [str(list(a.shape)) if isinstance(a, Tensor) else type(a).__name__ for a in args]
    described += [f"{k}={list(v.shape) if isinstance(v, Tensor) else type(v).__name__}" for k, v in kwargs.items()]
    return ", ".join(described)


def _summarise(model: Module, names: dict[Module, str], calls: list[_Call], depth: int,
               args: tuple, kwargs: dict) -> ModelSummary:
    """The rows (parameters counted where they first appear) and the totals."""
    shown_ancestor: list[int] = []  # per call: the index of the shown call that its parameters count in
    open_calls: list[int] = []
    for index, call in enumerate(calls):
        del open_calls[call.depth:]
        open_calls.append(index)
        shown_ancestor.append(index if call.depth <= depth else open_calls[depth])
    counted: set[Tensor] = set()
    charged: list[list[Tensor]] = [[] for _ in calls]
    shared = [False] * len(calls)
    for index, call in enumerate(calls):
        own = list(call.module.parameters(recurse=False))
        fresh = [p for p in own if p not in counted]
        shared[index] = bool(own) and not fresh
        counted.update(fresh)
        charged[shown_ancestor[index]].extend(fresh)
    first_call = {}
    for index, call in enumerate(calls):
        first_call.setdefault(call.module, index)
    for module, name in names.items():  # modules never called: their parameters count in a called ancestor
        if module in first_call:
            continue
        ancestor = max((m for m in first_call if names[m] == "" or name.startswith(names[m] + ".")),
                       key=lambda m: len(names[m]))
        fresh = [p for p in module.parameters(recurse=False) if p not in counted]
        counted.update(fresh)
        charged[shown_ancestor[first_call[ancestor]]].extend(fresh)
    rows = tuple(
        LayerRow(names[call.module], type(call.module).__name__, call.depth, call.output_shapes, call.output_bytes,
                 sum(p._data.size for p in charged[i]), sum(p._data.size for p in charged[i] if p.requires_grad),
                 shared[i], not call.module._modules)
        for i, call in enumerate(calls) if call.depth <= depth)
    params = list(model.parameters())
    buffers = list(model.buffers())
    inputs = [*args, *kwargs.values()]
    return ModelSummary(
        rows=rows,
        total_params=sum(p._data.size for p in params),
        trainable_params=sum(p._data.size for p in params if p.requires_grad),
        buffer_elements=sum(b._data.size for b in buffers),
        input_bytes=sum(t._data.nbytes for t in inputs if isinstance(t, Tensor)),
        activation_bytes=sum(call.output_bytes for call in calls if not call.module._modules),
        param_bytes=sum(p._data.nbytes for p in params),
        buffer_bytes=sum(b._data.nbytes for b in buffers))


def _size(n_bytes: int) -> str:
    """Bytes in decimal units: '512 B', '12.5 kB', '3.21 MB'."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{n_bytes} B"


def _format_table(result: ModelSummary) -> str:
    header = ("Layer (type)", "Output shape", "Param #")
    lines = []
    for row in result.rows:
        local_name = row.name.rpartition(".")[2]
        layer = f"{'  ' * row.depth}{local_name} ({row.type_name})" if row.depth else row.type_name
        shapes = ", ".join(str(list(s)) for s in row.output_shapes) or "--"
        params = f"{row.params:,}" if row.params else "(shared)" if row.shared else "--"
        lines.append((layer, shapes, params))
    widths = [max(len(line[i]) for line in [header, *lines]) + 3 for i in range(3)]
    rule = "=" * (sum(widths) - 3)

    def table_line(cells: tuple[str, str, str]) -> str:
        return (cells[0].ljust(widths[0]) + cells[1].ljust(widths[1]) + cells[2].rjust(widths[2] - 3)).rstrip()

    totals = [
        f"Total params: {result.total_params:,}",
        f"Trainable params: {result.trainable_params:,}",
        f"Non-trainable params: {result.non_trainable_params:,}",
        f"Buffers (state, not parameters): {result.buffer_elements:,}",
    ]
    memory = [
        f"Input size: {_size(result.input_bytes)}",
        f"Activations size (outputs of the leaf layers): {_size(result.activation_bytes)}",
        f"Params size: {_size(result.param_bytes)}",
        f"Buffers size: {_size(result.buffer_bytes)}",
        f"Estimated total size: {_size(result.total_bytes)}",
    ]
    return "\n".join([rule, table_line(header), rule, *(table_line(line) for line in lines), rule, *totals, rule,
                      *memory, rule])
