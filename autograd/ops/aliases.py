"""PyTorch's numpy-compatible argument names: every function with a `dim` argument also takes it as `axis`,
and `keepdim` as `keepdims` (torch.sum(x, axis=0, keepdims=True) is torch.sum(x, dim=0, keepdim=True))."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ALIASES = {"axis": "dim", "keepdims": "keepdim"}  # numpy's name: PyTorch's


def numpy_names(fn: F) -> F:
    """`fn` accepting `axis=` for `dim=` and `keepdims=` for `keepdim=`; giving both names is an error."""

    @functools.wraps(fn)
    def accepting_aliases(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, name in ALIASES.items():
                if alias in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}(): got both {name}= and its alias {alias}=")
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    return accepting_aliases  # type: ignore[return-value]
