"""`Tensor`: a numpy array that remembers how it was computed, so that gradients can flow back through it."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import autograd
from autograd import ops
from autograd.grad_mode import is_grad_enabled

DEFAULT_DTYPE = np.dtype(np.float32)


def to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """A new array from numbers, nested lists, arrays or Tensors, with PyTorch's dtype rules.

    Python floats become float32 (the default dtype), Python ints int64, bools bool;
    numpy arrays keep their dtype unless `dtype` is given.
    """
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=np.dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    array = np.array(data)
    if array.dtype.kind == "f":
        return array.astype(DEFAULT_DTYPE)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "b":
        return array
    raise TypeError(f"can not make a tensor from {type(data).__name__} (numpy gives dtype {array.dtype})")


def shape_of(args: tuple) -> tuple[int, ...]:
    """A shape given as separate numbers, f(2, 3), or as one sequence, f((2, 3)), as PyTorch accepts both."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple(int(n) for n in args)


def scalar_array(value: Any, like: Tensor) -> np.ndarray:
    """A Python number as a 0-d array of the other operand's dtype (float numbers on integer tensors: float32)."""
    dtype = like._data.dtype
    if type(value) is float and dtype.kind == "f":  # the usual case first
        return np.array(value, dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    kind = dtype.kind
    if isinstance(value, bool):
        return np.array(value, dtype=like._data.dtype)
    if isinstance(value, int):
        return np.array(value, dtype=like._data.dtype if kind != "b" else np.int64)
    if isinstance(value, float):
        return np.array(value, dtype=like._data.dtype if kind == "f" else DEFAULT_DTYPE)
    return to_array(value)


class _InPlaceChanges:
    """How many in-place changes tensors have had, all together. A node's saved values can only have been
    changed if this count moved since they were saved: backward then checks their versions one by one."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()


in_place_changes = _InPlaceChanges()


class RemovableHandle:
    """What register_hook returns: `handle.remove()` takes the hook off its list (once; later calls do nothing)."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


class Tensor:
    """An n-dimensional array with a gradient (`.grad`) and the node that produced it (`.grad_fn`).

    The array is kept in `_data`, the attribute the engine reads; `.data` and `.numpy()` are PyTorch's ways to it.
    """

    __slots__ = ("_data", "grad", "requires_grad", "_node", "_accumulator", "_version", "_base", "_retains_grad",
                 "__weakref__")
    __array_priority__ = 1000  # numpy defers to Tensor's operators: array + tensor gives a Tensor

    def __init__(self, data: Any, dtype: Any = None, requires_grad: bool = False) -> None:
        self._data = to_array(data, dtype)
        self.grad = None
        self.requires_grad = False
        self._node = None
        self._accumulator = None
        self._version = None
        self._base = None
        self._retains_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, data: np.ndarray, node: Any = None) -> Tensor:
        """The fast constructor the ops use: no copy, no dtype rules; a node makes it a non-leaf."""
        t = object.__new__(cls)
        t._data = data
        t.grad = None
        t.requires_grad = node is not None
        t._node = node
        t._accumulator = None  # a leaf's AccumulateGrad node, once it is used in a graph
        t._version = None  # a shared [count] list once the tensor is changed in place, viewed or detached
        t._base = None  # the tensor whose memory this one views, if any
        t._retains_grad = False
        return t

    # ---- what a tensor is ----
    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def grad_fn(self):
        return self._node

    @property
    def T(self) -> Tensor:
        """The dimensions in reverse order (the transpose of a matrix)."""
        if self._data.ndim == 2:
            return ops.shape.transpose(self, 0, 1)
        return self.permute(*reversed(range(self._data.ndim)))

    def size(self, dim: int | None = None):
        return self._data.shape if dim is None else self._data.shape[dim]

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    def item(self) -> Any:
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to a Python scalar")
        return self._data.item()

    @property
    def data(self) -> Tensor:
        """The same values as a Tensor outside the graph, as PyTorch's `.data`: it shares the array, does not
        require grad, has no history, and autograd does not see changes made through it (unlike `detach()`,
        whose changes backward detects). `p.data = values` replaces the values (and may change the shape)."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, values: Any) -> None:
        array = values._data if isinstance(values, Tensor) else to_array(values)
        if self.requires_grad and array.dtype.kind != "f":
            raise RuntimeError(f"data set to a tensor of dtype {array.dtype}, but this tensor requires grad and "
                               f"must stay floating point (it is {self._data.dtype})")
        if self._accumulator is not None and (array.shape, array.dtype) != (self._data.shape, self._data.dtype):
            self._accumulator = None  # graphs made from now on fit gradients to the new shape and dtype
        self._data = array

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def tolist(self) -> Any:
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self._data.size} values is ambiguous")
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data)

    __hash__ = object.__hash__  # identity, as for PyTorch tensors: == compares elements

    def __repr__(self) -> str:
        data = self._data
        floating = data.dtype.kind == "f"
        integral = floating and data.size > 0 and bool(np.all(np.isfinite(data) & (data == np.round(data))))
        body = np.array2string(
            data, separator=", ", prefix="tensor(", precision=4,
            floatmode="unique" if integral or not floating else "fixed",
            suppress_small=True, threshold=1000, edgeitems=3)
        extras = []
        default = DEFAULT_DTYPE if floating else (np.dtype(np.int64) if data.dtype.kind in "iu" else data.dtype)
        if data.dtype != default:
            extras.append(f"dtype={data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"

    @property
    def version(self) -> int:
        """How many times the tensor was changed in place (backward checks it against saved tensors)."""
        return 0 if self._version is None else self._version[0]

    def bump_version(self) -> None:
        """Record an in-place change made by writing `_data` directly (optimizers, init, running statistics),
        so that a backward that saved this tensor before the change refuses to run."""
        if self._version is None:
            self._version = [1]
        else:
            self._version[0] += 1
        with in_place_changes.lock:
            in_place_changes.count += 1

    # ---- gradient bookkeeping ----
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf for backward."""
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients (this one is {self._data.dtype})")
        if not requires_grad and self._node is not None:
            raise RuntimeError("requires_grad can only be turned off on leaf tensors; use detach() instead")
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """The same data (shared memory), cut from the graph."""
        t = Tensor._wrap(self._data)
        if self._version is None:
            self._version = [0]
        t._version = self._version  # in-place changes through either are seen by both
        return t

    def clone(self) -> Tensor:
        return self + 0 if self.requires_grad and is_grad_enabled() else Tensor._wrap(self._data.copy())

    def retain_grad(self) -> None:
        """Keep `.grad` on this non-leaf tensor after backward (leaves that require grad keep it anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on a Tensor that has requires_grad=False")
        if self._node is None or self._retains_grad:
            return
        self._retains_grad = True
        if self._node._retained is None:
            self._node._retained = []
        self._node._retained.append(weakref.ref(self))

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call `hook(grad)` when this tensor's gradient is computed; a returned Tensor replaces the gradient.

        Returns a handle whose remove() takes the hook away again.
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        owner = self._node or autograd.function.grad_accumulator(self)  # a leaf's hooks: on its AccumulateGrad
        if owner._hooks is None:
            owner._hooks = []
        owner._hooks.append(hook)
        return RemovableHandle(owner._hooks, hook)

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires grad (chain rule, one pass)."""
        autograd.engine.backward([self], None if gradient is None else [gradient], retain_graph, create_graph)

    # ---- in place ----
    def _inplace(self, op: Callable, other: Any, name: str) -> Tensor:
        """Compute `op(self, other)` and write it into self, keeping the graph right.

        On a recorded tensor the op is recorded on a copy of the old value, and self then stands for the result.
        """
        recording = is_grad_enabled() and (self.requires_grad or getattr(other, "requires_grad", False))
        if recording:
            if self._node is None and self.requires_grad:
                raise RuntimeError(
                    f"a leaf Tensor that requires grad is being used in an in-place operation ({name}); "
                    "change it under no_grad(), or out of place")
            if self._base is not None:
                raise RuntimeError(
                    f"{name}: this tensor is a view of another tensor's memory (made by reshape, transpose, "
                    "indexing, ...), and an in-place change through a view would bypass the other tensor's "
                    "graph; compute it out of place (y = y * w), or on a clone()")
            old = Tensor._wrap(self._data.copy(), self._node)
            old.requires_grad = self.requires_grad
            result = op(old, other)
        else:
            result = op(self, other)
        if result.shape != self.shape:
            raise RuntimeError(f"{name}: the result's shape {result.shape} doesn't match the tensor's shape "
                               f"{self.shape} (an in-place op can not broadcast the tensor itself)")
        if not np.can_cast(result.dtype, self.dtype, casting="same_kind"):
            raise RuntimeError(f"{name}: the result's dtype {result.dtype} can't be cast to the tensor's dtype "
                               f"{self.dtype} in place")
        self._data[...] = result._data
        self.bump_version()
        if recording:
            self._node = result._node
            self.requires_grad = True
        return self

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(Tensor.__add__, other, "add_")

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(Tensor.__sub__, other, "sub_")

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(Tensor.__mul__, other, "mul_")

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(Tensor.__truediv__, other, "div_")

    add_ = __iadd__
    sub_ = __isub__
    mul_ = __imul__
    div_ = __itruediv__

    def __setitem__(self, index: Any, value: Any) -> None:
        """x[index] = value, in place; recorded (gradients flow to value, not to what was overwritten)."""
        if is_grad_enabled() and (self.requires_grad or getattr(value, "requires_grad", False)):
            self._inplace(lambda t, v: ops.indexing.index_put(t, index, v), value, "setitem")
        else:
            try:  # numpy checks the index and the value's shape before writing anything
                self._data[ops.indexing.normalize_index(index)[0]] = value._data if isinstance(value, Tensor) else value
            except (IndexError, ValueError) as error:
                raise type(error)(f"x[{index!r}] = value: value of shape {np.shape(value)} does not fit a tensor "
                                  f"of shape {self.shape}: {error}") from None
            self.bump_version()

    def fill_(self, value: float) -> Tensor:
        """Set every element to `value`; afterwards no gradient flows to what self was computed from."""
        return self._inplace(lambda t, v: ops.arithmetic.fill(t, v), value, "fill_")

    def zero_(self) -> Tensor:
        return self.fill_(0)

    # ---- comparisons: boolean tensors, outside the graph ----
    def _compare(self, other: Any, ufunc: np.ufunc) -> Tensor:
        other_data = other._data if isinstance(other, Tensor) else scalar_array(other, self)
        return Tensor._wrap(ufunc(self._data, other_data))

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    # ---- dtype ----
    def to(self, dtype: Any) -> Tensor:
        """This tensor as `dtype` (itself when it already is); differentiable between floating dtypes."""
        dtype = np.dtype(dtype)
        return self if dtype == self._data.dtype else ops.arithmetic.cast(self, dtype)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    # ---- arithmetic ----
    def __add__(self, other: Any) -> Tensor:
        return ops.arithmetic.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return ops.arithmetic.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return ops.arithmetic.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return ops.arithmetic.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return ops.arithmetic.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return ops.arithmetic.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return ops.arithmetic.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.arithmetic.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return ops.arithmetic.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return ops.arithmetic.pow(other, self)

    def __neg__(self) -> Tensor:
        return ops.arithmetic.neg(self)

    def __abs__(self) -> Tensor:
        return ops.unary.abs(self)

    def __matmul__(self, other: Any) -> Tensor:
        return ops.linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.linalg.matmul(other, self)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.indexing.getitem(self, index)

    def add(self, other: Any) -> Tensor:
        return ops.arithmetic.add(self, other)

    def sub(self, other: Any) -> Tensor:
        return ops.arithmetic.sub(self, other)

    def mul(self, other: Any) -> Tensor:
        return ops.arithmetic.mul(self, other)

    def div(self, other: Any) -> Tensor:
        return ops.arithmetic.div(self, other)

    def pow(self, exponent: Any) -> Tensor:
        return ops.arithmetic.pow(self, exponent)

    def neg(self) -> Tensor:
        return ops.arithmetic.neg(self)

    def abs(self) -> Tensor:
        return ops.unary.abs(self)

    def exp(self) -> Tensor:
        return ops.unary.exp(self)

    def log(self) -> Tensor:
        return ops.unary.log(self)

    def sqrt(self) -> Tensor:
        return ops.unary.sqrt(self)

    def sin(self) -> Tensor:
        return ops.unary.sin(self)

    def cos(self) -> Tensor:
        return ops.unary.cos(self)

    def tanh(self) -> Tensor:
        return ops.unary.tanh(self)

    def sigmoid(self) -> Tensor:
        return ops.unary.sigmoid(self)

    def relu(self) -> Tensor:
        return ops.unary.relu(self)

    def maximum(self, other: Any) -> Tensor:
        return ops.arithmetic.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        return ops.arithmetic.minimum(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        return ops.unary.clamp(self, min, max)

    clip = clamp

    def matmul(self, other: Any) -> Tensor:
        return ops.linalg.matmul(self, other)

    # ---- reductions ----
    def sum(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
            ) -> Tensor:
        """The sum over `dim` (`axis` and `keepdims` are accepted too, as in PyTorch and numpy)."""
        return ops.reduction.sum(self, dim if axis is None else axis, keepdim if keepdims is None else keepdims)

    def mean(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
             ) -> Tensor:
        """The mean over `dim` (`axis` and `keepdims` are accepted too, as in PyTorch and numpy)."""
        return ops.reduction.mean(self, dim if axis is None else axis, keepdim if keepdims is None else keepdims)

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None) -> Tensor:
        return ops.reduction.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None) -> Tensor:
        return ops.reduction.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim: Any = None, keepdim: bool = False):
        return ops.reduction.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False):
        return ops.reduction.min(self, dim, keepdim)

    def amax(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.amax(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.amin(self, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.argmax(self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.argmin(self, dim, keepdim)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return ops.reduction.logsumexp(self, dim, keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.prod(self, dim, keepdim)

    def softmax(self, dim: int) -> Tensor:
        return ops.softmax.softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        return ops.softmax.log_softmax(self, dim)

    # ---- shape ----
    def reshape(self, *shape: Any) -> Tensor:
        return ops.shape.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        return ops.shape.reshape(self, *shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return ops.shape.flatten(self, start_dim, end_dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return ops.shape.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return ops.shape.permute(self, *dims)

    def squeeze(self, dim: Any = None) -> Tensor:
        return ops.shape.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return ops.shape.unsqueeze(self, dim)

    def expand(self, *shape: Any) -> Tensor:
        return ops.broadcast.expand(self, *shape)

    def gather(self, dim: int, index: Any) -> Tensor:
        return ops.indexing.gather(self, dim, index)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        return ops.joining.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return ops.joining.chunk(self, chunks, dim)
