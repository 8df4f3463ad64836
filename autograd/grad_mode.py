"""Grad mode: whether operations are recorded in the graph (thread-local, on by default)."""
from __future__ import annotations

import functools
import threading

class _GradMode(threading.local):
    enabled = True  # each thread starts with recording on


_state = _GradMode()


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward in this thread."""
    return _state.enabled


class set_grad_enabled:
    """Context manager and decorator that turns recording on or off, restoring the old mode on exit."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        self.prev.append(is_grad_enabled())
        _state.enabled = self.mode

    def __exit__(self, *exc) -> None:
        _state.enabled = self.prev.pop()

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):  # a fresh manager per call: re-entrant and thread-safe
                return fn(*args, **kwargs)

        return wrapper


class no_grad(set_grad_enabled):
    """Nothing computed inside is recorded: `with no_grad(): ...` or `@no_grad()`."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(set_grad_enabled):
    """Recording is on inside, even within `no_grad()`."""

    def __init__(self) -> None:
        super().__init__(True)
