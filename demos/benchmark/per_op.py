"""(a) per-op overhead: forward plus backward of a long chain of elementwise ops on a (16,) float32 tensor, in
microseconds per op; the numpy version stores what its hand-written backward needs.
(c) backward time per op for chains of growing length (linear time means a flat column)."""
from __future__ import annotations

import time

import numpy as np

import autograd as ag
from demos.benchmark.timing import compare

CHAIN_STEPS = 1000  # each step is three ops: multiply by a number, tanh, add a number
SCALE, SHIFT = 1.0001, 0.1


def chain_library(x: ag.Tensor, steps: int) -> None:
    y = x
    for _ in range(steps):
        y = (y * SCALE).tanh() + SHIFT
    y.sum().backward()
    x.grad = None


def chain_numpy(x: np.ndarray, steps: int) -> np.ndarray:
    scale, shift = np.float32(SCALE), np.float32(SHIFT)
    saved = []
    y = x
    for _ in range(steps):
        t = np.tanh(y * scale)
        saved.append(t)
        y = t + shift
    g = np.ones_like(x)
    for t in reversed(saved):
        g = g * (1 - t * t) * scale
    return g


def per_op_overhead() -> tuple[float, float]:
    """Microseconds per op of the library and of numpy by hand."""
    x = ag.tensor(np.linspace(-1, 1, 16), dtype=np.float32, requires_grad=True)
    ours, theirs = compare(lambda: chain_library(x, CHAIN_STEPS),
                           lambda: chain_numpy(x.detach().numpy(), CHAIN_STEPS), repeats=3)
    ops = 3 * CHAIN_STEPS
    return ours / ops * 1e6, theirs / ops * 1e6


def backward_scaling(lengths: list[int], repeats: int = 3) -> list[tuple[int, float]]:
    """Backward alone, per op, for chains of each length: the fastest of `repeats` graphs."""
    x = ag.tensor(np.ones(16), dtype=np.float32, requires_grad=True)
    rows = []
    for n in lengths:
        best = float("inf")
        for _ in range(repeats):
            y = x
            for _ in range(n):
                y = y * SCALE
            loss = y.sum()
            start = time.perf_counter()
            loss.backward()
            best = min(best, time.perf_counter() - start)
            del y, loss
            x.grad = None
        rows.append((n, best / n * 1e6))
    return rows


def report_per_op(full: bool) -> dict:
    op_ours, op_numpy = per_op_overhead()
    print(f"(a) per-op overhead, forward + backward, chain of {3 * CHAIN_STEPS} elementwise ops on (16,) float32")
    print(f"    library {op_ours:6.2f} us/op   numpy by hand {op_numpy:6.2f} us/op   ratio {op_ours / op_numpy:5.2f}x"
          f"   (goal: at most 5 us/op)")
    return {"op_us": op_ours, "op_ratio": op_ours / op_numpy}


def report_scaling(full: bool) -> dict:
    lengths = [10_000, 100_000] + ([1_000_000] if full else [])
    scaling = backward_scaling(lengths)
    print("(c) backward through a chain of n multiplications: time per op (flat = linear in n; goal: at most 3 us/op)")
    for n, micros in scaling:
        print(f"    n = {n:>9,}  {micros:6.2f} us/op")
    return {"scaling": scaling}
