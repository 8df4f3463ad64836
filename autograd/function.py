"""`Function`: one node of the define-by-run graph, and the base class of every differentiable op.

An op is a subclass with two static methods that sit side by side:

    forward(ctx, *args)  -> the output           what the op computes
    backward(ctx, grad)  -> one gradient per forward argument (None where none is needed)

`ctx` is the node. Forward keeps the tensors backward needs with `ctx.save_for_backward(...)` (inputs and the
output: checked for in-place changes, given back as `ctx.saved_tensors`, and freed once backward has run) and
everything else in plain attributes (`ctx.axis = axis`, `ctx.positive = x > 0`: constants of the formula).
Backward returns the gradient of each input in any shape that broadcasts to it: the engine sums it back to the
input's shape and casts it to the input's dtype.

Two kinds of op, told apart by a class keyword:

* `class MyOp(Function)`, as in PyTorch: forward gets Tensors (its Tensor ops are not recorded) and returns
  a Tensor or an array; backward gets Tensors and is written with Tensor ops.
* `class Tanh(Function, on_arrays=True)`, the built-in ops: forward gets the numpy arrays of its Tensor
  arguments and returns an array; backward's formula uses only what numpy arrays and Tensors share
  (operators, `.reshape`, `.sum(axis=, keepdims=)`, indexing) and the functions of `autograd.ops.dual`, so
  that the engine runs it on arrays when no graph of the backward pass is wanted (fast), and on Tensors,
  recorded, when it is (`create_graph=True`: gradients of gradients).
"""
from __future__ import annotations

import itertools
import operator
import weakref
from typing import Any

import numpy as np

from autograd import anomaly_mode
from autograd.anomaly_mode import current as anomaly
from autograd.grad_mode import current as grad_mode
from autograd.grad_mode import no_grad
from autograd.tensor_class import Tensor, in_place_changes

next_sequence_nr = itertools.count().__next__  # (atomic: threads never get the same number)


class Function:
    """A node of the graph. Subclass it and call `MyOp.apply(*args)` to run the op on Tensors."""

    on_arrays = False  # set by `class Op(Function, on_arrays=True)`; see the module's docstring
    parents: tuple = ()  # per forward argument: the node its gradient goes to, or None
    sequence_nr = -1  # the order nodes were recorded in (each after its inputs' nodes): backward runs latest first
    output_shape: tuple = ()  # the gradient this node receives is made to fit its output's shape and dtype
    output_dtype: np.dtype | None = None
    _saved: tuple = ()  # what forward saved: arrays, each with where it came from in `_sources`
    _sources: tuple = ()  # per saved value: its input Tensor, the OUTPUT marker, or None (a constant)
    _output_version: list | None = None  # the output's version counter, when the output is saved
    _versions: dict | None = None  # saved value's position -> its input's version when forward saved it (if not 0)
    _changes = 0  # the number of the latest in-place change (of any tensor) when forward saved
    _released = False
    _hooks: list | None = None  # hooks of the Tensor this node produced (of the leaf, for AccumulateGrad: they see
    # its total gradient before it is accumulated)
    _retained: list | None = None  # weak references to the non-leaf Tensors that called retain_grad()
    _anomaly: anomaly_mode.CreationRecord | None = None  # where the user's code created the node (anomaly mode)

    def __init_subclass__(cls, on_arrays: bool | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if on_arrays is not None:
            cls.on_arrays = on_arrays

    @staticmethod
    def forward(ctx: Function, *args: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run forward and, when grad mode is on and an input requires grad, record the node in the graph."""
        ctx = cls()
        parents, arrays, recorded = [], [], False
        if grad_mode.enabled:
            for a in args:
                if isinstance(a, Tensor):
                    arrays.append(a._data)
                    if a.requires_grad:
                        parents.append(a._node or a._accumulator or grad_accumulator(a))
                        recorded = True
                        continue
                else:
                    arrays.append(a)
                parents.append(None)
        else:  # nothing is recorded: no graph bookkeeping (evaluation under no_grad)
            arrays = [a._data if isinstance(a, Tensor) else a for a in args]
        if recorded:
            ctx.parents = tuple(parents)  # before forward: save_for_backward keeps nothing for an unrecorded op
            ctx.sequence_nr = next_sequence_nr()
            if anomaly.enabled:
                ctx._anomaly = anomaly_mode.creation_record()
        if cls.on_arrays:
            output = data = cls.forward(ctx, *arrays)
        else:
            with no_grad():
                output = cls.forward(ctx, *args)
            data = output._data if isinstance(output, Tensor) else output
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        if recorded and data.dtype.kind == "f":  # integer and boolean results are never differentiable
            ctx.output_shape, ctx.output_dtype = data.shape, data.dtype
            out = Tensor._wrap(data, ctx)
        else:
            recorded, ctx.parents = False, ()
            out = Tensor._wrap(data)
        if data.base is not None:
            _mark_view(out, args)  # first: an output that is a view shares its input's version counter ...
        if recorded and ctx._saved:
            ctx._find_sources(args, output, out)  # ... which is the counter backward checks, if it saved the output
        return out

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """Per forward argument: whether backward must compute its gradient."""
        return tuple(map(operator.is_not, self.parents, itertools.repeat(None)))  # (faster than a comprehension)

    @property
    def next_functions(self) -> tuple[tuple[Function | None, int], ...]:
        """Per forward argument, as PyTorch shows it: (the node its gradient goes to, 0), or (None, 0)."""
        return tuple([(p, 0) for p in self.parents])

    # ---- what forward saves for backward ----
    def save_for_backward(self, *values: Any) -> None:
        """Keep inputs, the output or other values for backward (`ctx.saved_tensors`).

        An input or the output changed in place before backward makes backward raise, instead of computing a
        wrong gradient. In the Tensor form of backward, inputs and the output come back as the graph's Tensors
        (so that their use is differentiable), other values as constants.
        """
        if self.parents:  # the op is recorded
            self._saved = values

    def _find_sources(self, args: tuple, output: Any, out: Tensor) -> None:
        """Tell each saved value's origin (an input, by identity of the Tensor or its array; the output; or
        neither) and the version of its Tensor now; keep the values as arrays."""
        sources = []
        for value in self._saved:
            if value is output:
                if out._version is None:
                    out._version = [0, 0]
                self._output_version = out._version
                sources.append(OUTPUT)
                continue
            for a in args:
                if isinstance(a, Tensor) and (a._data is value or a is value):
                    if a._version is not None and a._version[0]:  # changed in place before: the error names it
                        if self._versions is None:
                            self._versions = {}
                        self._versions[len(sources)] = a._version[0]
                    sources.append(a)
                    break
            else:
                sources.append(None)
        self._changes = in_place_changes.count
        if not self.on_arrays or output is not out._data:  # keep arrays (and the output as the array it became)
            self._saved = tuple([out._data if s is OUTPUT else v._data if isinstance(v, Tensor) else v
                                 for v, s in zip(self._saved, sources)])
        self._sources = tuple(sources)

    @property
    def saved_tensors(self) -> tuple:
        """What forward saved, as arrays (the array form of backward) or Tensors (the Tensor form)."""
        if self._released:
            self._check_alive()
        if self._changes != in_place_changes.count:  # some tensor changed in place since forward saved these
            self._check_versions()
        if self.on_arrays and not grad_mode.enabled:
            return self._saved
        return tuple([self._as_tensor(value, source) for value, source in zip(self._saved, self._sources)])

    def _check_versions(self) -> None:
        """A saved tensor whose latest in-place change (its stamp) came after forward saved it is refused."""
        for i, (value, source) in enumerate(zip(self._saved, self._sources)):
            if source is OUTPUT and self._output_version[1] > self._changes:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace operation: "
                    f"[{value.dtype} tensor of shape {value.shape}], which is the output of {self.name()} (its output "
                    f"0), is at version {self._output_version[0]}; expected version 0 instead. It was modified by an "
                    "in-place operation, but backward needs its value; change it out of place instead.")
            if source is not None and source is not OUTPUT and source._version is not None \
                    and source._version[1] > self._changes:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace operation: "
                    f"[{value.dtype} tensor of shape {value.shape}] saved by {self.name()} is at version "
                    f"{source.version}; expected version {(self._versions or {}).get(i, 0)} instead. It was modified "
                    f"by an in-place operation after it was saved (it is now at version {source.version}), so its "
                    "gradient would be wrong. Change it out of place (x = x + y) or clone it before the change.")

    def _as_tensor(self, value: Any, source: Any) -> Any:
        if source is OUTPUT:
            return Tensor._wrap(value, self)  # the output, produced by this node: differentiable through it
        if source is not None:
            return source
        return Tensor._wrap(value) if isinstance(value, np.ndarray) else value

    def _check_alive(self) -> None:
        if self._released:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (at {self.name()}): what it saved was freed "
                "by the first backward. Specify retain_graph=True on the first backward if you need to go back "
                "through the graph again.")

    def release(self) -> None:
        """Free what forward saved; the node can not be backpropagated through again."""
        self._released = True
        self._saved = self._sources = ()

    @classmethod
    def name(cls) -> str:
        return f"{cls.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"


class _Output:
    def __repr__(self) -> str:
        return "OUTPUT"


OUTPUT = _Output()  # marks a saved value that is the op's own output


class AccumulateGrad(Function):
    """The node of a leaf that requires grad: the end of every path of the graph, where the total gradient
    of the leaf is added to its `.grad` (as PyTorch's AccumulateGrad; `.variable` is the leaf).

    The leaf holds its node and the node refers back to the leaf weakly, so that the two make no reference
    cycle: a graph is freed by reference counting alone. (A leaf that is gone gets no gradient: none can see it.)
    """

    def __init__(self, variable: Tensor) -> None:
        self._variable = weakref.ref(variable)
        self.sequence_nr = next_sequence_nr()
        self.output_shape, self.output_dtype = variable.shape, variable.dtype

    @property
    def variable(self) -> Tensor | None:
        return self._variable()

    def release(self) -> None:
        """Nothing to free: a leaf's node serves every graph the leaf is used in."""

    @classmethod
    def name(cls) -> str:
        return "AccumulateGrad"


def grad_accumulator(tensor: Tensor) -> AccumulateGrad:
    """The leaf's AccumulateGrad node, made at its first use in a graph and kept by the leaf."""
    if tensor._accumulator is None:
        tensor._accumulator = AccumulateGrad(tensor)
    return tensor._accumulator


def _mark_view(out: Tensor, args: tuple) -> None:
    """If `out`'s array is a view into an input's memory (reshape, permute, basic indexing, expand), `out` is a
    view of that input: they share one version counter, so that an in-place change through either is seen."""
    owner = out._data.base
    for a in args:
        if isinstance(a, Tensor) and (a._data is owner or a._data.base is owner):
            if a._version is None:
                a._version = [0, 0]
            out._version = a._version
            out._base = a if a._base is None else a._base
            return
