"""Speed of the library against hand-written numpy doing the same computation.

(a) per-op overhead: forward plus backward of a long chain of elementwise ops on a (16,) float32 tensor,
    in microseconds per op; the numpy version stores what its hand-written backward needs.
(b) one training step of an MLP 784-256-128-10 (ReLU, softmax cross-entropy, batch 128, float32, plain SGD);
    the numpy version has its forward, backward and update written out by hand.
(c) backward time per op for chains of growing length (linear time means a flat column).

    python -m demos.benchmark            # (a), (b) and (c) up to 10^5 ops
    python -m demos.benchmark --full     # (c) up to 10^6 ops
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import autograd as ag
import nn
import optim

CHAIN_STEPS = 1000  # each step is three ops: multiply by a number, tanh, add a number
SCALE, SHIFT = 1.0001, 0.1


def compare(ours: Callable[[], object], theirs: Callable[[], object], repeats: int,
            rounds: int = 31) -> tuple[float, float]:
    """Seconds per call of each, timed in alternating rounds (so that both see the same machine state): the
    fastest round's mean over `repeats` calls (the round least disturbed by the rest of the machine), after a
    warm-up call of each."""
    ours(), theirs()
    samples: dict[Callable, list[float]] = {ours: [], theirs: []}
    for _ in range(rounds):
        for fn, times in samples.items():
            start = time.perf_counter()
            for _ in range(repeats):
                fn()
            times.append((time.perf_counter() - start) / repeats)
    return min(samples[ours]), min(samples[theirs])


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
    x = ag.tensor(np.linspace(-1, 1, 16), dtype=np.float32, requires_grad=True)
    ours, theirs = compare(lambda: chain_library(x, CHAIN_STEPS), lambda: chain_numpy(x.detach().numpy(), CHAIN_STEPS),
                           repeats=3)
    ops = 3 * CHAIN_STEPS
    return ours / ops * 1e6, theirs / ops * 1e6


def mlp_data(batch: int = 128) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, 784)).astype(np.float32), rng.integers(0, 10, batch)


def library_step() -> Callable[[], None]:
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    x, y = mlp_data()
    inputs, targets = ag.tensor(x), ag.tensor(y)

    def step() -> None:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()

    return step


def numpy_step() -> Callable[[], None]:
    rng = np.random.default_rng(0)
    sizes = [(784, 256), (256, 128), (128, 10)]
    weights = [(rng.uniform(-1, 1, (n_out, n_in)) / np.sqrt(n_in)).astype(np.float32) for n_in, n_out in sizes]
    biases = [(rng.uniform(-1, 1, n_out) / np.sqrt(n_in)).astype(np.float32) for n_in, n_out in sizes]
    x, y = mlp_data()
    lr = np.float32(0.01)
    rows = np.arange(len(y))

    def step() -> None:
        (w1, w2, w3), (b1, b2, b3) = weights, biases
        z1 = x @ w1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        _loss = -log_probs[rows, y].mean()
        g = np.exp(log_probs)
        g[rows, y] -= 1
        g /= len(y)
        grads = [(g.T @ h2, g.sum(0))]
        g = (g @ w3) * (z2 > 0)
        grads.append((g.T @ h1, g.sum(0)))
        g = (g @ w2) * (z1 > 0)
        grads.append((g.T @ x, g.sum(0)))
        for (gw, gb), w, b in zip(reversed(grads), weights, biases):
            w -= lr * gw
            b -= lr * gb

    return step


def training_step() -> tuple[float, float]:
    ours, theirs = compare(library_step(), numpy_step(), repeats=20)
    return ours * 1e3, theirs * 1e3


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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m demos.benchmark")
    parser.add_argument("--full", action="store_true", help="also time backward through 10^6 ops")
    args = parser.parse_args(argv)
    op_ours, op_numpy = per_op_overhead()
    print(f"(a) per-op overhead, forward + backward, chain of {3 * CHAIN_STEPS} elementwise ops on (16,) float32")
    print(f"    library {op_ours:6.2f} us/op   numpy by hand {op_numpy:6.2f} us/op   ratio {op_ours / op_numpy:5.2f}x"
          f"   (goal: at most 5 us/op)")
    step_ours, step_numpy = training_step()
    print("(b) MLP 784-256-128-10 training step, ReLU, cross-entropy, batch 128, float32, SGD")
    print(f"    library {step_ours:6.2f} ms/step numpy by hand {step_numpy:6.2f} ms/step ratio "
          f"{step_ours / step_numpy:5.2f}x   (goal: at most 1.10x)")
    lengths = [10_000, 100_000] + ([1_000_000] if args.full else [])
    scaling = backward_scaling(lengths)
    print("(c) backward through a chain of n multiplications: time per op (flat = linear in n; goal: at most 3 us/op)")
    for n, micros in scaling:
        print(f"    n = {n:>9,}  {micros:6.2f} us/op")
    return {"op_us": op_ours, "op_ratio": op_ours / op_numpy, "step_ratio": step_ours / step_numpy,
            "scaling": scaling}


if __name__ == "__main__":
    main()
