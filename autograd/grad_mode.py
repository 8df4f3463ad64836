"""Grad mode: whether operations are recorded in the graph (thread-local, on by default)."""
from __future__ import annotations

import functools
import threading


class _GradMode(threading.local):
    enabled = True  # each thread starts with recording on


current = _GradMode()  # this thread's mode: current.enabled (read directly on the hot path of ops)


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward in this thread."""
    return current.enabled


class _GradModeContext:
    """Sets the grad mode on entering and restores the old one on exit; also a decorator."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        self.prev.append(is_grad_enabled())
        current.enabled = self.mode

    def __exit__(self, *exc) -> None:
        current.enabled = self.prev.pop()

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _GradModeContext(mode):  # a fresh manager per call: re-entrant and thread-safe
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Nothing computed inside is recorded: `with no_grad(): ...` or `@no_grad()`."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_GradModeContext):
    """Recording is on inside, even within `no_grad()`."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(_GradModeContext):
    """Turns recording on or off at once, as PyTorch: `set_grad_enabled(False)` as a plain call changes the mode;
    as a context manager (or decorator) the old mode comes back afterwards."""

    def __init__(self, mode: bool) -> None:
        super().__init__(mode)
        self.before = is_grad_enabled()
        current.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        current.enabled = self.before

    def __call__(self, fn):
        current.enabled = self.before  # as a decorator, the mode applies inside the function only
        return super().__call__(fn)
