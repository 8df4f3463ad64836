"""What the bad-input audits (test_bad_input_properties, test_bad_input_layers) share: arbitrary tensors and
arguments, and check_call, which calls a function and checks what it did.

A call must give a result, or raise one of the library's documented errors (TypeError, ValueError, IndexError,
RuntimeError, NotImplementedError) from the library's own code, with a message: never an exception from inside
numpy or the standard library (the traceback's last frame tells where it was raised), and never another kind of
exception. A call that raises leaves its input tensors (values, .grad, version) exactly as they were; a call that
is not in place leaves them so when it succeeds too.
"""
from __future__ import annotations

import os
import traceback
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd.tensor_class import Tensor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIBRARY = tuple(os.path.join(ROOT, package) + os.sep for package in ("autograd", "nn", "optim"))
DOCUMENTED = (TypeError, ValueError, IndexError, RuntimeError, NotImplementedError)

DTYPES = [np.bool_, np.int32, np.int64, np.float16, np.float32, np.float64]


@st.composite
def tensors(draw, requires_grad=None):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    elements = (st.floats(-1e3, 1e3, width=16) | st.sampled_from([np.nan, np.inf, -np.inf])) \
        if dtype.kind == "f" else None
    if dtype.kind in "iu":
        elements = st.integers(-4, 4)
    data = draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
                           elements=elements))
    wants_grad = draw(st.booleans()) if requires_grad is None else requires_grad
    return ag.tensor(data, requires_grad=bool(wants_grad and dtype.kind == "f"))


ARGUMENTS = st.one_of(
    tensors(),
    st.integers(-4, 4),
    st.sampled_from([0.0, 0.5, -1.5, 2.0, np.nan, np.inf, -np.inf]),
    st.none(),
    st.booleans(),
    st.lists(st.integers(-3, 3), max_size=3).map(tuple),
    st.lists(st.integers(-3, 3), max_size=3),
    st.sampled_from(["a", "sum", "mean", "none", "ij,jk->ik", "cpu", ""]),
    st.sampled_from([ag.float32, ag.int64, ag.bool_, np.complex64, object, str]),
    st.lists(tensors(), min_size=1, max_size=2),
)


def tensors_in(values) -> list[Tensor]:
    found = []
    for v in values:
        if isinstance(v, Tensor):
            found.append(v)
        elif isinstance(v, (list, tuple)):
            found.extend(t for t in v if isinstance(t, Tensor))
    return found


def state(tensor: Tensor) -> tuple:
    grad = None if tensor.grad is None else tensor.grad._data.copy()
    return tensor._data.copy(), grad, tensor.version, tensor.requires_grad


def assert_unchanged(tensors_before: list, what: str) -> None:
    for tensor, (data, grad, version, requires_grad) in tensors_before:
        np.testing.assert_array_equal(tensor._data, data, err_msg=f"{what}: an input's values changed")
        assert tensor.version == version, f"{what}: an input's version changed"
        assert tensor.requires_grad == requires_grad, f"{what}: an input's requires_grad changed"
        if grad is None:
            assert tensor.grad is None, f"{what}: an input got a .grad"
        else:
            np.testing.assert_array_equal(tensor.grad._data, grad, err_msg=f"{what}: an input's .grad changed")


def where_raised(error: BaseException) -> traceback.FrameSummary | None:
    """The frame that raised, if the call got into the library at all (else Python refused the call itself)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not any(f.filename.startswith(LIBRARY) for f in frames):
        return None
    return frames[-1]


def check_call(name: str, fn, args: list, kwargs: dict, in_place: bool = False, must_succeed: bool = False) -> bool:
    """Call fn(*args, **kwargs) and check what it does (see the module's docstring); whether it succeeded.
    in_place: whether a call that succeeds may change the tensors it is given; must_succeed: the call fits, so
    even a documented error is a failure (reported with its message)."""
    described = f"{name}({', '.join(repr(a)[:60] for a in args)}, **{kwargs!r})"
    watched = [(t, state(t)) for t in tensors_in(list(args) + list(kwargs.values()))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's RuntimeWarnings for NaN and overflow are fine here
            fn(*args, **kwargs)
    except DOCUMENTED as error:
        frame = where_raised(error)
        if frame is None:
            assert isinstance(error, TypeError), f"{described}: {error!r} raised outside the library"
        else:
            assert frame.filename.startswith(LIBRARY), \
                f"{described}: {type(error).__name__} raised inside {frame.filename}:{frame.lineno}: {error}"
        assert str(error), f"{described}: {type(error).__name__} without a message"
        assert_unchanged(watched, described)
        if must_succeed:
            pytest.fail(f"{described}: a call that fits was refused: {type(error).__name__}: {error}")
        return False
    except Exception as error:  # noqa: BLE001 (any other kind is the finding)
        frame = where_raised(error)
        where = "" if frame is None else f" at {frame.filename}:{frame.lineno}"
        pytest.fail(f"{described}: undocumented {type(error).__name__}{where}: {error}")
    if not in_place:
        assert_unchanged(watched, described)
    return True
