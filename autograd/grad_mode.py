"""Grad mode: whether operations are recorded in the graph (thread-local, on by default), and inference mode."""
from __future__ import annotations

import functools
import threading


class _GradMode(threading.local):
    enabled = True  # each thread starts with recording on
    inference = False  # and outside inference mode


current = _GradMode()  # this thread's mode: current.enabled (read directly on the hot path of ops)


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward in this thread."""
    return current.enabled


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()` in this thread."""
    return current.inference


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
        fresh = self._fresh

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with fresh():  # a fresh manager per call: re-entrant and thread-safe
                return fn(*args, **kwargs)

        return wrapper

    def _fresh(self) -> _GradModeContext:
        return _GradModeContext(self.mode)


class _BareDecorator:
    """Lets the class decorate a function without parentheses too, as PyTorch's: `@no_grad` like `@no_grad()`."""

    def __new__(cls, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return cls()(args[0])
        return super().__new__(cls)


class no_grad(_BareDecorator, _GradModeContext):
    """Nothing computed inside is recorded: `with no_grad(): ...`, `@no_grad()` or `@no_grad`."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_BareDecorator, _GradModeContext):
    """Recording is on inside, even within `no_grad()`."""

    def __init__(self) -> None:
        super().__init__(True)


class inference_mode(_BareDecorator, _GradModeContext):
    """`with inference_mode(): ...` (or `@inference_mode()`, `@inference_mode`): nothing inside is recorded, as
    with no_grad, and is_inference_mode_enabled() is True. `inference_mode(False)` turns both back: recording on,
    inference mode off (as PyTorch does).

    PyTorch also marks the tensors made inside as inference tensors, which may not be used in a recorded
    computation later, and skips version counting for speed; this library does neither: a tensor made in
    inference mode is an ordinary tensor.
    """

    def __init__(self, mode: bool = True) -> None:
        super().__init__(not mode)
        self.inference = bool(mode)
        self.prev_inference: list[bool] = []

    def __enter__(self) -> None:
        super().__enter__()
        self.prev_inference.append(current.inference)
        current.inference = self.inference

    def __exit__(self, *exc) -> None:
        current.inference = self.prev_inference.pop()
        super().__exit__(*exc)

    def _fresh(self) -> inference_mode:
        return inference_mode(self.inference)


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
