"""`Function`: one node of the define-by-run graph, and the base class of every differentiable op.

An op is a subclass with two static methods that sit side by side:

    forward(ctx, *args)  -> numpy array      computed on the inputs' `.data`
    backward(ctx, grad)  -> one gradient per forward argument (a Tensor, or None)

`backward` is written with Tensor operations, so that with `create_graph=True` the gradient it returns is
itself recorded and can be differentiated again. `ctx` is the node: it keeps what forward saved.

An op on the hot path of training may also define

    array_backward(ctx, grad) -> one gradient array per forward argument (or None), from a gradient array

the same derivative written on numpy arrays. Backward uses it when no graph of the backward pass is wanted
(create_graph=False, the usual case), which spares the Python cost of Tensor operations; `backward` stays
the definition used with create_graph=True. Both are checked against finite differences.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.grad_mode import current as grad_mode


class Function:
    """A node of the graph. Subclass it and call `MyOp.apply(*args)` to run the op on Tensors."""

    parents: tuple = ()  # per forward argument: its producing node, a leaf Tensor, or None (no gradient)
    dtype: np.dtype | None = None  # of the output; the gradient sent back to this node is cast to it
    _saved: tuple | None = ()
    _saved_versions: tuple | None = None  # the saved tensors' versions, None while they are all 0
    _output: Any = None  # the output array once forward called save_output()
    _output_version: list | None = None  # the output's version counter
    _released = False
    _hooks: list | None = None  # hooks of the non-leaf Tensor this node produced
    _retained: list | None = None  # weak references to non-leaf Tensors that called retain_grad()

    @staticmethod
    def forward(ctx: "Function", *args: Any, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: "Function", grad: "Tensor") -> Any:
        raise NotImplementedError

    array_backward = None  # optional: the derivative on arrays (see the module's docstring)

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> "Tensor":
        """Run forward on the arrays and, when grad mode is on and an input requires grad, record the node."""
        ctx = cls()
        data = cls.forward(ctx, *args, **kwargs)
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        out = None
        if grad_mode.enabled and data.dtype.kind == "f":  # integer and boolean results are never differentiable
            parents, recorded = [], False
            for a in args:
                if isinstance(a, Tensor) and a.requires_grad:
                    parents.append(a if a._node is None else a._node)
                    recorded = True
                else:
                    parents.append(None)
            if recorded:
                ctx.parents = tuple(parents)
                ctx.dtype = data.dtype
                out = Tensor._wrap(data, ctx)
                if ctx._output is True:
                    ctx._output, ctx._output_version = data, [0]
                    out._version = ctx._output_version
        if out is None:
            out = Tensor._wrap(data)
        if data.base is not None:
            _mark_view(out, args)
        return out

    @property
    def needs_input_grad(self) -> tuple[bool, ...]:
        """Per forward argument: whether backward must compute its gradient."""
        return tuple([p is not None for p in self.parents])

    # ---- what forward saves for backward ----
    def save_for_backward(self, *tensors: "Tensor") -> None:
        """Keep input Tensors for backward; changing one in place before backward is then an error."""
        if not grad_mode.enabled:  # nothing is recorded, so nothing needs keeping
            return
        self._saved = tensors
        for t in tensors:
            if t._version is not None and t._version[0]:
                self._saved_versions = tuple([0 if t._version is None else t._version[0] for t in tensors])
                break

    def save_output(self) -> None:
        """Ask for the op's own output in backward, as `ctx.output` (e.g. d exp(x)/dx = exp(x))."""
        self._output = True

    @property
    def saved_tensors(self) -> tuple:
        if self._released:
            self._check_alive()
        for t, version in zip(self._saved, self._saved_versions or (0,) * len(self._saved)):
            if (0 if t._version is None else t._version[0]) != version:
                raise RuntimeError(
                    f"one of the tensors saved by {self.name()} (shape {t.shape}) was modified by an in-place "
                    f"operation after it was saved (version {version}, now {t.version}); its gradient "
                    "would be wrong. Change it out of place (x = x + y) or clone it before the change.")
        return self._saved

    @property
    def output(self) -> "Tensor":
        """The op's output as a Tensor produced by this node, so that its use in backward is differentiable."""
        self._check_alive()
        if self._output_version[0] != 0:
            raise RuntimeError(
                f"the output of {self.name()} (shape {self._output.shape}) was modified by an in-place "
                "operation, but backward needs its value; change it out of place instead.")
        return Tensor._wrap(self._output, self)

    def _check_alive(self) -> None:
        if self._released:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (at {self.name()}): what it saved was freed "
                "by the first backward. Specify retain_graph=True on the first backward if you need to go back "
                "through the graph again.")

    def release(self) -> None:
        """Free what forward saved; the node can not be backpropagated through again."""
        self._released = True
        self._saved = None
        self._output = None

    @classmethod
    def name(cls) -> str:
        return f"{cls.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name()}>"


def _mark_view(out: "Tensor", args: tuple) -> None:
    """If `out`'s array is a view into an input's memory (reshape, permute, basic indexing, expand), `out` is a
    view of that input: they share one version counter, so that an in-place change through either is seen."""
    owner = out.data.base
    for a in args:
        if isinstance(a, Tensor) and (a.data is owner or a.data.base is owner):
            if a._version is None:
                a._version = [0]
            out._version = a._version
            out._base = a if a._base is None else a._base
            return


from autograd.tensor import Tensor  # noqa: E402  (Tensor's methods call ops built on Function)
