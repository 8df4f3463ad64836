"""PyTorch's `out=` argument: the result written into a given tensor instead of a new one.

As in PyTorch, `out=` is outside autograd: it is refused while grad mode is on and an input (or `out`) requires
grad. Unlike PyTorch, `out` is never resized or cast: its shape and dtype must be the result's, else nothing is
written and the error names both. The arithmetic functions with `out=` are here; other ops take it where
they are defined.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from autograd.grad_mode import is_grad_enabled
from autograd.ops import arithmetic
from autograd.tensor_class import Tensor

F = TypeVar("F", bound=Callable[..., Any])


def with_out(fn: F) -> F:
    """`fn` taking a keyword `out=`: a Tensor that receives the result and is returned."""
    name = fn.__name__

    @functools.wraps(fn)
    def writing_out(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{name}(): out= must be a Tensor, got {type(out).__name__}")
        if is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad
                                     for a in (out, *args, *kwargs.values())):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        result = fn(*args, **kwargs)
        if result.shape != out.shape or result.dtype != out.dtype:
            raise RuntimeError(f"{name}(): out= has shape {out.shape} and dtype {out.dtype}, but the result has "
                               f"shape {result.shape} and dtype {result.dtype}; nothing was written")
        out._data[...] = result._data
        out.bump_version()
        return out

    return writing_out  # type: ignore[return-value]


add = with_out(arithmetic.add)
sub = with_out(arithmetic.sub)
mul = with_out(arithmetic.mul)
div = with_out(arithmetic.div)
pow = with_out(arithmetic.pow)
maximum = with_out(arithmetic.maximum)
minimum = with_out(arithmetic.minimum)
