"""`Tensor`: a numpy array that remembers how it was computed, so that gradients can flow back through it."""
from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import autograd
from autograd import ops
from autograd.conversion import to_arguments
from autograd.devices import CPU, device, unavailable
from autograd.dtypes import as_dtype, get_default_dtype
from autograd.grad_mode import is_grad_enabled
from autograd.ops.aliases import numpy_names


def to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """A new array from numbers, nested lists, arrays or Tensors, with PyTorch's dtype rules.

    Python floats become the default dtype (float32 unless set_default_dtype changed it), Python ints int64,
    bools bool; numpy arrays keep their dtype unless `dtype` is given.
    """
    if isinstance(data, Tensor):
        data = data._data
    wanted = None if dtype is None else as_dtype(dtype, "tensor")  # the one check of every dtype asked for
    try:
        array = np.array(data, dtype=wanted)
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"can not make a tensor{'' if wanted is None else f' of dtype {wanted}'} from "
                        f"{type(data).__name__}: {error}") from None
    if wanted is not None or isinstance(data, (np.ndarray, np.generic)) and array.dtype.kind in "biuf":
        return array
    if array.dtype.kind == "f":
        return array.astype(get_default_dtype())
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "b":
        return array
    raise TypeError(f"can not make a tensor from {type(data).__name__} (numpy gives dtype {array.dtype}; tensors "
                    "are boolean, integer or floating point)")


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
        return np.array(value, dtype=like._data.dtype if kind == "f" else get_default_dtype())
    return to_array(value)


class _InPlaceChanges:
    """The number of the latest in-place change of any tensor. A node keeps it when it saves tensors; a saved
    tensor was changed since then if its own stamp (the number of its latest change) is larger, and nothing
    was if this number has not moved.

    Each change takes a new number from a counter (one call, atomic under the GIL) and stores it, so that even
    when threads store theirs out of order, the number never comes back to one a node has already read."""

    def __init__(self) -> None:
        self.count = 0
        self.next = itertools.count(1).__next__


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
        t._version = None  # a shared [count, stamp] list once the tensor is changed in place, viewed or detached
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
    def device(self) -> device:
        """Where the tensor lives: always the CPU (autograd runs on nothing else)."""
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

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
            return ops.shape.Transpose.apply(self, (1, 0))
        return self.permute(*reversed(range(self._data.ndim)))

    @property
    def mT(self) -> Tensor:
        """Each matrix of a batch transposed (the last two dimensions swapped)."""
        return ops.shape.transpose(self, -2, -1)

    @numpy_names
    def size(self, dim: int | None = None):
        """The shape, or the size of dimension `dim` (negative counts from the end)."""
        if dim is None:
            return self._data.shape
        (axis,) = ops.dims.normalize_dims(dim, self._data.ndim, "size") or (None,)
        if axis is None:
            raise IndexError(f"size: dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[axis]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

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

    def __format__(self, format_spec: str) -> str:
        """f"{loss:.4f}": a 0-d tensor formats as its Python number; others only without a spec (their repr),
        as in PyTorch."""
        if self._data.ndim == 0:
            return format(self._data.item(), format_spec)
        if format_spec:
            raise TypeError(f"unsupported format string {format_spec!r} passed to Tensor.__format__: only a 0-d "
                            f"tensor takes a format spec, this one has shape {self.shape} (format .item() or "
                            ".tolist() instead)")
        return repr(self)

    def __repr__(self) -> str:
        data = self._data
        floating = data.dtype.kind == "f"
        integral = floating and data.size > 0 and bool(np.all(np.isfinite(data) & (data == np.round(data))))
        body = np.array2string(
            data, separator=", ", prefix="tensor(", precision=4,
            floatmode="unique" if integral or not floating else "fixed",
            suppress_small=True, threshold=1000, edgeitems=3)
        extras = []
        default = get_default_dtype() if floating else (np.dtype(np.int64) if data.dtype.kind in "iu" else data.dtype)
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
        stamp = in_place_changes.next()
        if self._version is None:
            self._version = [1, stamp]
        else:
            self._version[0] += 1
            self._version[1] = stamp  # the number of the latest in-place change, among all tensors'
        in_place_changes.count = stamp

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
            self._version = [0, 0]
        t._version = self._version  # in-place changes through either are seen by both
        return t

    def clone(self) -> Tensor:
        """A copy in memory of its own; in the graph (CloneBackward), the gradient passes through."""
        return ops.arithmetic.clone(self)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """copy.deepcopy of a leaf (as PyTorch): a new leaf of the same class with copies of the data and .grad
        and the same requires_grad; not its graph node, so that the copy accumulates gradients of its own."""
        if self._node is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               f"protocol; this one was made by {self._node.name()} (detach() it first)")
        t = type(self)._wrap(self._data.copy())
        memo[id(self)] = t
        t.requires_grad = self.requires_grad
        t.grad = None if self.grad is None else self.grad.__deepcopy__(memo)
        return t

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

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self += alpha * other."""
        return self.__iadd__(ops.arithmetic.scaled(other, alpha, "add_"))

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self -= alpha * other."""
        return self.__isub__(ops.arithmetic.scaled(other, alpha, "sub_"))

    def copy_(self, src: Any) -> Tensor:
        """The values of src (broadcast to self's shape, cast to its dtype) written into self; in the graph, the
        gradient goes to src and nothing to what self held before."""
        src = src if isinstance(src, Tensor) else Tensor(src)
        return self._inplace(lambda t, s: ops.arithmetic.fill(t, 0) + s.to(t.dtype), src, "copy_")

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
                given = f"of shape {value.shape}" if isinstance(value, (Tensor, np.ndarray)) else \
                    f"of type {type(value).__name__}"
                raise type(error)(f"x[{index!r}] = value: value {given} does not fit a tensor "
                                  f"of shape {self.shape}: {error}") from None
            self.bump_version()

    def fill_(self, value: float) -> Tensor:
        """Set every element to `value`; afterwards no gradient flows to what self was computed from."""
        ops.arguments.as_number(value, "value", "fill_")
        return self._inplace(lambda t, v: ops.arithmetic.fill(t, v), value, "fill_")

    def zero_(self) -> Tensor:
        return self.fill_(0)

    # ---- random draws, from the default generator or `generator=` (autograd.sampling, autograd.categorical) ----
    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws from U(a, b), in place."""
        return autograd.sampling.uniform_(self, a, b, generator=generator)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws from N(mean, std^2), in place."""
        return autograd.sampling.normal_(self, mean, std, generator=generator)

    def random_(self, *bounds: int, to: int | None = None, generator: Any = None) -> Tensor:
        """Fill with integers from [from, to), in place: random_(to), random_(from, to), or random_()."""
        return autograd.sampling.random_(self, *bounds, to=to, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 1 with probability p, else 0, in place."""
        return autograd.sampling.bernoulli_(self, p, generator=generator)

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Tensor:
        """1 with probability self[i] (or p), else 0."""
        return autograd.sampling.bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
        """Indices drawn with probabilities proportional to the weights in self (see autograd.multinomial)."""
        return autograd.categorical.multinomial(self, num_samples, replacement, generator=generator)

    # ---- comparisons: boolean tensors, outside the graph ----
    def _compare(self, other: Any, ufunc: np.ufunc) -> Tensor:
        other_data = other._data if isinstance(other, Tensor) else scalar_array(other, self)
        try:
            return Tensor._wrap(ufunc(self._data, other_data))
        except ValueError:  # shapes that do not broadcast: PyTorch's error, naming the comparison
            ops.arguments.broadcast_shapes(ufunc.__name__, self.shape, np.shape(other_data))
            raise

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

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    # ---- logical and bitwise ops of boolean and integer tensors (masks), outside the graph ----
    def _bitwise(self, other: Any, ufunc: np.ufunc) -> Tensor:
        if self._data.dtype.kind not in "biu" or (isinstance(other, Tensor) and other._data.dtype.kind not in "biu"):
            other_dtype = other.dtype if isinstance(other, Tensor) else type(other).__name__
            raise TypeError(f"{ufunc.__name__} is only supported for integer and boolean tensors, got {self.dtype} "
                            f"and {other_dtype}")
        return self._compare(other, ufunc)

    def __and__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_and)

    def __or__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_or)

    def __xor__(self, other: Any) -> Tensor:
        return self._bitwise(other, np.bitwise_xor)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(f"~ (bitwise_not) is only supported for integer and boolean tensors, got {self.dtype}")
        return Tensor._wrap(np.invert(self._data))

    def logical_and(self, other: Any) -> Tensor:
        return self._compare(other, np.logical_and)

    def logical_or(self, other: Any) -> Tensor:
        return self._compare(other, np.logical_or)

    def logical_not(self) -> Tensor:
        return Tensor._wrap(np.logical_not(self._data))

    def isnan(self) -> Tensor:
        return ops.comparison.isnan(self)

    def isinf(self) -> Tensor:
        return ops.comparison.isinf(self)

    def isfinite(self) -> Tensor:
        return ops.comparison.isfinite(self)

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
        return ops.comparison.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return ops.comparison.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other: Tensor) -> bool:
        return ops.comparison.equal(self, other)

    # ---- dtype and device ----
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor in another dtype, with PyTorch's call forms: to(dtype), to(device), to(device, dtype),
        to(other) (other's dtype), and keywords dtype=, device=, copy=, non_blocking= (no effect).

        Itself when nothing changes (a copy with copy=True); differentiable between floating dtypes (dy/dx = 1).
        The device must be the CPU.
        """
        if args and isinstance(args[0], Tensor):
            args = (args[0]._data.dtype, *args[1:])
        dtype, copy = to_arguments(*args, **kwargs)
        if dtype is not None and dtype != self._data.dtype:
            return ops.arithmetic.cast(self, dtype)
        return self.clone() if copy else self

    def cpu(self) -> Tensor:
        """Itself: every tensor is on the CPU."""
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """Raises an error: there is no GPU here (autograd runs on the CPU only)."""
        raise unavailable("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else str(device))

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def type(self, dtype: Any = None) -> Tensor | str:
        """Without an argument, PyTorch's name of the tensor's type ('torch.FloatTensor'); with a dtype (or such
        a name), this tensor in that dtype, as to(dtype)."""
        if dtype is None:
            return autograd.dtypes.type_name(self._data.dtype)
        return self.to(autograd.dtypes.from_type_name(dtype, "type"))

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in other's dtype."""
        return self.to(ops.arguments.as_tensor_argument(other, "other", "type_as").dtype)

    # ---- arithmetic ----
    def __add__(self, other: Any) -> Tensor:
        return ops.arithmetic.broadcasting(ops.arithmetic.Add, self, other, "add")  # add(self, other), one call less

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
        return ops.linalg.matmul.__wrapped__(self, other)  # (matmul without its out= argument's wrapper)

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.linalg.matmul.__wrapped__(other, self)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.indexing.getitem(self, index)

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return ops.arithmetic.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return ops.arithmetic.sub(self, other, alpha=alpha)

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

    def relu_(self) -> Tensor:
        return self._inplace(lambda x, _: ops.unary.relu(x), None, "relu_")

    def log10(self) -> Tensor:
        return ops.unary.log10(self)

    def log2(self) -> Tensor:
        return ops.unary.log2(self)

    def log1p(self) -> Tensor:
        return ops.unary.log1p(self)

    def expm1(self) -> Tensor:
        return ops.unary.expm1(self)

    def rsqrt(self) -> Tensor:
        return ops.unary.rsqrt(self)

    def reciprocal(self) -> Tensor:
        return ops.unary.reciprocal(self)

    def square(self) -> Tensor:
        return ops.unary.square(self)

    def sign(self) -> Tensor:
        return ops.unary.sign(self)

    def floor(self) -> Tensor:
        return ops.unary.floor(self)

    def ceil(self) -> Tensor:
        return ops.unary.ceil(self)

    def round(self, *, decimals: int = 0) -> Tensor:
        return ops.unary.round(self, decimals=decimals)

    def trunc(self) -> Tensor:
        return ops.unary.trunc(self)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        return ops.unary.nan_to_num(self, nan, posinf, neginf)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        return ops.masking.masked_fill(self, mask, value)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        return self._inplace(lambda t, v: ops.masking.masked_fill(t, mask, v), value, "masked_fill_")

    def tril(self, diagonal: int = 0) -> Tensor:
        return ops.triangular.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return ops.triangular.triu(self, diagonal)

    def maximum(self, other: Any) -> Tensor:
        return ops.arithmetic.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        return ops.arithmetic.minimum(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        return ops.unary.clamp(self, min, max)

    clip = clamp

    def matmul(self, other: Any) -> Tensor:
        return ops.linalg.matmul(self, other)

    def mm(self, mat2: Tensor) -> Tensor:
        return ops.linalg.mm(self, mat2)

    def bmm(self, mat2: Tensor) -> Tensor:
        return ops.linalg.bmm(self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        return ops.linalg.mv(self, vec)

    def dot(self, other: Tensor) -> Tensor:
        return ops.linalg.dot(self, other)

    def outer(self, vec2: Tensor) -> Tensor:
        return ops.linalg.outer(self, vec2)

    def t(self) -> Tensor:
        return ops.linalg.t(self)

    # ---- reductions ----
    # (each method with a `dim` takes it as `axis` too, and `keepdim` as `keepdims`, as PyTorch: numpy_names)
    @numpy_names
    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.sum(self, dim, keepdim)

    @numpy_names
    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.mean(self, dim, keepdim)

    @numpy_names
    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None) -> Tensor:
        return ops.reduction.var(self, dim, unbiased, keepdim, correction=correction)

    @numpy_names
    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: int | None = None) -> Tensor:
        return ops.reduction.std(self, dim, unbiased, keepdim, correction=correction)

    @numpy_names
    def max(self, dim: Any = None, keepdim: bool = False):
        return ops.reduction.max(self, dim, keepdim)

    @numpy_names
    def min(self, dim: Any = None, keepdim: bool = False):
        return ops.reduction.min(self, dim, keepdim)

    @numpy_names
    def amax(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.amax(self, dim, keepdim)

    @numpy_names
    def amin(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.amin(self, dim, keepdim)

    @numpy_names
    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.argmax(self, dim, keepdim)

    @numpy_names
    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.argmin(self, dim, keepdim)

    @numpy_names
    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        return ops.reduction.logsumexp(self, dim, keepdim)

    @numpy_names
    def prod(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.prod(self, dim, keepdim)

    @numpy_names
    def softmax(self, dim: int) -> Tensor:
        return ops.softmax.softmax(self, dim)

    @numpy_names
    def log_softmax(self, dim: int) -> Tensor:
        return ops.softmax.log_softmax(self, dim)

    @numpy_names
    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.any(self, dim, keepdim)

    @numpy_names
    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return ops.reduction.all(self, dim, keepdim)

    @numpy_names
    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        return ops.norms.norm(self, p, dim, keepdim, dtype)

    @numpy_names
    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        return ops.cumulative.cumsum(self, dim, dtype=dtype)

    @numpy_names
    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        return ops.cumulative.cumprod(self, dim, dtype=dtype)

    @numpy_names
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        return ops.sorting.sort(self, dim, descending, stable)

    @numpy_names
    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        return ops.sorting.argsort(self, dim, descending, stable)

    @numpy_names
    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
        return ops.sorting.topk(self, k, dim, largest, sorted)

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

    def contiguous(self) -> Tensor:
        return ops.shape.contiguous(self)

    def view_as(self, other: Tensor) -> Tensor:
        return ops.shape.reshape(self, ops.arguments.as_tensor_argument(other, "other", "view_as").shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return ops.shape.reshape(self, ops.arguments.as_tensor_argument(other, "other", "reshape_as").shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return ops.broadcast.expand(self, ops.arguments.as_tensor_argument(other, "other", "expand_as").shape)

    def repeat(self, *sizes: Any) -> Tensor:
        return ops.shape.repeat(self, *sizes)

    def flip(self, *dims: Any) -> Tensor:
        return ops.shape.flip(self, *dims)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return ops.shape.roll(self, shifts, dims)
