"""Anomaly mode: backward tells which line of your code created the op whose gradient went wrong.

While the mode is on (thread-local, off by default), every recorded op keeps where in the user's code it was
created (the call stack at `apply`, without the engine's own frames), and backward

* raises RuntimeError("Function 'LogBackward' returned nan values in its 0th output.") followed by that stack,
  when a backward formula returns a gradient containing NaN (unless check_nan=False);
* warns "Error detected in MulBackward. Traceback of forward call that caused the error: ..." before any other
  error raised in an op's backward passes on.

An op created during a backward pass (create_graph=True) also keeps the record of the op being differentiated,
so that an error in a second derivative leads back to the forward line it came from. Off, the mode costs one
test per recorded op and one per backward call: no stack is recorded and nothing is checked.

    with autograd.detect_anomaly():            # or @autograd.detect_anomaly() on the training step
        loss = loss_fn(model(x), y)            # the forward pass too: that is where the stacks are recorded
        loss.backward()
    autograd.set_detect_anomaly(True)          # as a plain call; a context manager too
"""
from __future__ import annotations

import functools
import os
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from autograd.tensor_class import Tensor

ENGINE_DIR = os.path.dirname(__file__) + os.sep  # frames of the files under it are the engine's, not the user's


class _AnomalyMode(threading.local):
    enabled = False  # each thread starts with the mode off
    check_nan = True
    in_backward: Any = None  # the node whose backward runs now (anomaly mode only): it induced the ops made now


current = _AnomalyMode()  # this thread's mode (current.enabled is read where ops are recorded)


def is_anomaly_enabled() -> bool:
    """True when anomaly detection is on in this thread."""
    return current.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """True when anomaly detection also checks the gradients of backward formulas for NaN."""
    return current.check_nan


class detect_anomaly:
    """Anomaly detection on inside (`with detect_anomaly(): ...` or `@detect_anomaly()`), the old mode after."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = bool(check_nan)
        self.previous: list[tuple[bool, bool]] = []
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
                      "enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        self.previous.append((current.enabled, current.check_nan))
        current.enabled, current.check_nan = True, self.check_nan

    def __exit__(self, *exc: Any) -> None:
        current.enabled, current.check_nan = self.previous.pop()

    def __call__(self, fn: Callable) -> Callable:
        check_nan = self.check_nan

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with warnings.catch_warnings():  # warned once already, when the decorator was made
                warnings.simplefilter("ignore")
                manager = detect_anomaly(check_nan)  # a fresh manager per call: re-entrant and thread-safe
            with manager:
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """Turns anomaly detection on or off at once, as PyTorch: as a plain call it changes the mode; as a context
    manager the old mode comes back afterwards."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.before = (current.enabled, current.check_nan)
        current.enabled, current.check_nan = bool(mode), bool(check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        current.enabled, current.check_nan = self.before


# ---- where an op was created ----
class CreationRecord(NamedTuple):
    """The user's frames, outermost first, when an op was recorded; and, for an op recorded during a backward
    pass, the name and record of the op whose backward created it."""

    frames: traceback.StackSummary
    induced_by: str | None
    parent: CreationRecord | None


def creation_record() -> CreationRecord:
    """The stack now, without the engine's frames; lines are read only if the record is ever shown."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        if not frame.f_code.co_filename.startswith(ENGINE_DIR):
            frames.append(traceback.FrameSummary(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name,
                                                 lookup_line=False))
        frame = frame.f_back
    frames.reverse()
    node = current.in_backward
    if node is None:
        return CreationRecord(traceback.StackSummary.from_list(frames), None, None)
    return CreationRecord(traceback.StackSummary.from_list(frames), node.name(), node._anomaly)


def describe(record: CreationRecord | None) -> str:
    """The record as PyTorch prints it: the forward call's traceback, then what induced it, if anything."""
    if record is None:
        return "No forward pass information available. Enable detect anomaly during forward pass for more information."
    text = "Traceback of forward call that caused the error:\n" + "".join(record.frames.format())
    while record.induced_by is not None and record.parent is not None:
        text += (f"\nPrevious calculation was induced by {record.induced_by}. Traceback of forward call that "
                 "induced the previous calculation:\n" + "".join(record.parent.frames.format()))
        record = record.parent
    return text


# ---- the checks of backward ----
def watched(call_backward: Callable[[Any, Any, bool], tuple]) -> Callable[[Any, Any, bool], tuple]:
    """`call_backward` (the engine's call of one node's backward) with anomaly mode's checks around it; the
    engine uses it instead, for a whole backward pass, when the mode is on."""
    check_nan = current.check_nan

    def call(node: Any, grad: Any, retain_graph: bool) -> tuple:
        outer, current.in_backward = current.in_backward, node
        try:
            grads = call_backward(node, grad, retain_graph)
        except Exception:
            warnings.warn(f"Error detected in {node.name()}. {describe(node._anomaly)}", stacklevel=2)
            raise
        finally:
            current.in_backward = outer
        if check_nan:
            for i, g in enumerate(grads):
                if g is not None and np.isnan(g._data if isinstance(g, Tensor) else g).any():
                    raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.\n\n"
                                       f"{describe(node._anomaly)}")
        return grads

    return call
