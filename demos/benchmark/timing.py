"""Timing in alternating rounds, and PyTorch when it is installed."""
from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable
from types import ModuleType

WARM_UP = 0.005  # seconds of untimed calls at the start of each round


def compare(*steps: Callable[[], object], repeats: int, rounds: int = 31) -> tuple[float, ...]:
    """Seconds per call of each step, timed in alternating rounds (so that all see the same machine state): the
    fastest round's mean over `repeats` calls (the round least disturbed by the rest of the machine).

    Each round starts with untimed calls (for at least WARM_UP seconds), which absorb what the step before left
    behind: after PyTorch's steps (its thread pools stay busy for a while after its calls) the step timed next
    ran 5% slower on the 2-core machine (30% without OMP_WAIT_POLICY=PASSIVE), and one call did not absorb it all."""
    samples: list[list[float]] = [[] for _ in steps]
    for _ in range(rounds):
        for step, times in zip(steps, samples):
            start = time.perf_counter()
            step()
            while time.perf_counter() - start < WARM_UP:
                step()
            start = time.perf_counter()
            for _ in range(repeats):
                step()
            times.append((time.perf_counter() - start) / repeats)
    return tuple(min(times) for times in samples)


def installed_torch() -> ModuleType | None:
    """PyTorch if it is importable here, else None: the benchmark then prints the library against numpy only."""
    if importlib.util.find_spec("torch") is None:
        return None
    # PyTorch's OpenMP threads otherwise spin after each of its steps and slow whatever is timed next
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    return torch


def ratio_line(name: str, seconds: float, reference: float, unit: str = "ms", goal: str = "") -> str:
    """One row: a time and its ratio to the reference time."""
    scale = {"ms": 1e3, "us": 1e6}[unit]
    text = f"    {name:<28} {seconds * scale:8.2f} {unit}   {seconds / reference:5.2f}x"
    return text + (f"   (goal: {goal})" if goal else "")
