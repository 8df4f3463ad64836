"""(d) convolutional networks: one training step (forward, backward, SGD update; float32) of

    LeNet-5, batch 64 of 1x28x28: conv 6@5x5 pad 2, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2, flatten,
             Linear 400-120, ReLU, 120-84, ReLU, 84-10, cross-entropy; against the same step written by hand in
             numpy with im2col, and PyTorch's CPU when installed;
    a VGG-style block, batch 32 of 3x32x32: conv 3->32 3x3 pad 1, BatchNorm2d, ReLU, conv 32->64 3x3 pad 1,
             BatchNorm2d, ReLU, max-pool 2, flatten, Linear 16384-10, cross-entropy; against PyTorch's CPU.

timed with numpy's BLAS and PyTorch at their default threads, then limited to one thread each (on a machine
whose cores are busy with other work, a threaded BLAS call waits for its threads), and the peak memory traced by
tracemalloc (numpy reports its arrays to it) during one step of each, as a ratio
to what the step must hold: the input batch, the float32 output of every layer (the activations), the
parameters and their gradients, computed from the shapes.
"""
from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

import autograd as ag
import nn
from demos.benchmark.steps import LIBRARY, Framework, pytorch, relu_mlp_by_hand, sequential_sgd_step
from demos.benchmark.timing import compare, installed_torch, ratio_line

LR = 0.01
LENET_BATCH, VGG_BATCH = 64, 32


def lenet_layers(ns) -> list:
    """LeNet-5 as a list of layers of the namespace `ns` (the library's nn or torch.nn)."""
    return [ns.Conv2d(1, 6, 5, padding=2), ns.ReLU(), ns.MaxPool2d(2), ns.Conv2d(6, 16, 5), ns.ReLU(),
            ns.MaxPool2d(2), ns.Flatten(), ns.Linear(400, 120), ns.ReLU(), ns.Linear(120, 84), ns.ReLU(),
            ns.Linear(84, 10)]


def vgg_layers(ns) -> list:
    return [ns.Conv2d(3, 32, 3, padding=1), ns.BatchNorm2d(32), ns.ReLU(), ns.Conv2d(32, 64, 3, padding=1),
            ns.BatchNorm2d(64), ns.ReLU(), ns.MaxPool2d(2), ns.Flatten(), ns.Linear(64 * 16 * 16, 10)]


def initial_weights(layers: list) -> list[np.ndarray]:
    """The weight and bias of each Conv2d and Linear (fan_in bound, as their default initialisation), and ones and
    zeros for each BatchNorm2d, in the order of the layers' parameters."""
    rng = np.random.default_rng(0)
    arrays = []
    for layer in layers:
        name = type(layer).__name__
        if name in ("Conv2d", "Linear"):
            shape = tuple(layer.weight.shape)
            bound = 1 / np.sqrt(np.prod(shape[1:]))
            arrays += [rng.uniform(-bound, bound, shape).astype(np.float32),
                       rng.uniform(-bound, bound, shape[0]).astype(np.float32)]
        elif name == "BatchNorm2d":
            arrays += [np.ones(layer.num_features, np.float32), np.zeros(layer.num_features, np.float32)]
    return arrays


def batch(size: int, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.standard_normal((size, *shape)).astype(np.float32), rng.integers(0, 10, size)


def sgd_step(framework: Framework, make_layers: Callable, size: int, shape: tuple) -> Callable[[], None]:
    """The training step of the layers make_layers builds of the framework's nn, on a batch of `size` samples."""
    layers = make_layers(framework.nn)
    return sequential_sgd_step(framework, layers, initial_weights(layers), LR, *batch(size, shape))


# ---- LeNet-5 by hand: numpy, im2col ----

def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """A stride-1 convolution: the windows copied once into columns (C*k*k, N*OH*OW), one matrix product."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    (n, c, _, _), (o, _, k, _) = xp.shape, w.shape
    windows = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))  # (N, C, OH, OW, k, k)
    oh, ow = windows.shape[2:4]
    columns = windows.transpose(1, 4, 5, 0, 2, 3).reshape(c * k * k, n * oh * ow)
    out = w.reshape(o, -1) @ columns + b[:, None]
    return out.reshape(o, n, oh, ow).transpose(1, 0, 2, 3), columns


def conv_backward(g: np.ndarray, w: np.ndarray, columns: np.ndarray, x_shape: tuple, pad: int,
                  input_grad: bool) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """dL/dx (col2im: one strided add per kernel offset), dL/dw, dL/db."""
    (n, c, h, wd), (o, _, k, _), (oh, ow) = x_shape, w.shape, g.shape[2:]
    rows = g.transpose(1, 0, 2, 3).reshape(o, -1)
    dw, db = (rows @ columns.T).reshape(w.shape), rows.sum(1)
    if not input_grad:
        return None, dw, db
    dcolumns = (w.reshape(o, -1).T @ rows).reshape(c, k, k, n, oh, ow)
    dxp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), np.float32)
    for p in range(k):
        for q in range(k):
            dxp[:, :, p:p + oh, q:q + ow] += dcolumns[:, p, q].transpose(1, 0, 2, 3)
    return dxp[:, :, pad:pad + h, pad:pad + wd], dw, db


def pool_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2x2 max-pooling, stride 2: the largest of each window and where it is (0 to 3)."""
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
    where = windows.argmax(-1)[..., None]
    return np.take_along_axis(windows, where, -1)[..., 0], where


def pool_backward(g: np.ndarray, where: np.ndarray) -> np.ndarray:
    n, c, oh, ow = g.shape
    windows = np.zeros((n, c, oh, ow, 4), np.float32)
    np.put_along_axis(windows, where, g[..., None], -1)
    return windows.reshape(n, c, oh, ow, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, 2 * oh, 2 * ow)


def numpy_lenet_step() -> Callable[[], None]:
    params = initial_weights(lenet_layers(nn))
    x, y = batch(LENET_BATCH, (1, 28, 28))
    lr = np.float32(LR)

    def step() -> None:
        cw1, cb1, cw2, cb2, w1 = params[:5]
        z1, columns1 = conv_forward(x, cw1, cb1, 2)
        a1, where1 = pool_forward(np.maximum(z1, 0))
        z2, columns2 = conv_forward(a1, cw2, cb2, 0)
        a2, where2 = pool_forward(np.maximum(z2, 0))
        dense_grads, g = relu_mlp_by_hand(a2.reshape(LENET_BATCH, -1), y, params[4:])
        g = pool_backward((g @ w1).reshape(a2.shape), where2) * (z2 > 0)
        g, dw2, db2 = conv_backward(g, cw2, columns2, a1.shape, 0, True)
        g = pool_backward(g, where1) * (z1 > 0)
        _, dw1, db1 = conv_backward(g, cw1, columns1, x.shape, 2, False)
        for p, grad in zip(params, [dw1, db1, dw2, db2, *dense_grads]):
            p -= lr * grad

    return step


# ---- memory ----

def must_hold(layers: list, size: int, shape: tuple) -> int:
    """Bytes: the input batch and its targets, every layer's float32 output, the parameters and their gradients."""
    floats = size * int(np.prod(shape))
    with ag.no_grad():
        x = ag.zeros(1, *shape)
        for layer in layers:
            x = layer.eval()(x)
            floats += 0 if type(layer).__name__ == "Flatten" else size * x.numel()
    floats += 2 * sum(p.numel() for layer in layers for p in layer.parameters())
    return 4 * floats + 8 * size


def peak_traced(make_step: Callable[[], Callable[[], None]]) -> int:
    """Bytes: the peak of the memory traced during a step (after a first step), counting from before the model,
    its parameters and its data were made."""
    tracemalloc.start()
    try:
        step = make_step()
        step()
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def blas_threads() -> str:
    """numpy's BLAS and its threads, as threadpoolctl (installed with scikit-learn) finds them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl is not installed)"
    return ", ".join(f"{info['internal_api']} with {info['num_threads']} threads" for info in threadpool_info()
                     if info["user_api"] == "blas")


@contextmanager
def one_thread(torch) -> Iterator[bool]:
    """numpy's BLAS (through threadpoolctl) and PyTorch limited to one thread each; yields False, changing nothing,
    when threadpoolctl is not installed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield False
        return
    threads = torch.get_num_threads() if torch else None
    with threadpool_limits(1, user_api="blas"):
        if torch:
            torch.set_num_threads(1)
        try:
            yield True
        finally:
            if torch:
                torch.set_num_threads(threads)


def time_steps(torch, label: str) -> dict:
    """The rows of one threading setting: LeNet against numpy by hand and PyTorch, the VGG block against PyTorch."""
    lenet, vgg = (lenet_layers, LENET_BATCH, (1, 28, 28)), (vgg_layers, VGG_BATCH, (3, 32, 32))
    steps = [sgd_step(LIBRARY, *lenet), numpy_lenet_step()] + ([sgd_step(pytorch(torch), *lenet)] if torch else [])
    times = compare(*steps, repeats=5, rounds=15)
    library, by_hand = times[:2]
    print(f"  {label}: LeNet-5, ratios to numpy by hand")
    print(ratio_line("library", library, by_hand, goal="at most 1.1x"))
    print(ratio_line("numpy by hand", by_hand, by_hand))
    figures = {"lenet_numpy_ratio": library / by_hand}
    if torch:
        print(ratio_line("PyTorch CPU", times[2], by_hand))
        print(f"    library / PyTorch CPU        {library / times[2]:8.2f}x   (goal: at most 1.5x)")
        vgg_times = compare(sgd_step(LIBRARY, *vgg), sgd_step(pytorch(torch), *vgg), repeats=1, rounds=9)
        print(f"  {label}: VGG-style block, ratio to PyTorch CPU")
        print(ratio_line("library", vgg_times[0], vgg_times[1], goal="at most 1.5x"))
        print(ratio_line("PyTorch CPU", vgg_times[1], vgg_times[1]))
        figures.update(lenet_torch_ratio=library / times[2], vgg_torch_ratio=vgg_times[0] / vgg_times[1])
    return figures


def report(full: bool) -> dict:
    torch = installed_torch()
    print("(d) convolutional training steps, float32, SGD: LeNet-5 (batch 64 of 1x28x28) and a VGG-style block "
          "(batch 32 of 3x32x32, BatchNorm2d)")
    print(f"    numpy's BLAS: {blas_threads()}")
    figures = time_steps(torch, "default threads")
    with one_thread(torch) as limited:
        if limited:
            figures.update({f"{name}_one_thread": value
                            for name, value in time_steps(torch, "one thread each").items()})
    print("  peak traced memory of a step / what it must hold (input, activations, parameters, gradients)")
    for name, case in (("LeNet-5", (lenet_layers, LENET_BATCH, (1, 28, 28))),
                       ("VGG-style block", (vgg_layers, VGG_BATCH, (3, 32, 32)))):
        peak, needed = peak_traced(lambda case=case: sgd_step(LIBRARY, *case)), must_hold(case[0](nn), *case[1:])
        print(f"    {name:<28} {peak / 2**20:8.2f} MB / {needed / 2**20:.2f} MB = {peak / needed:.2f}x"
              "   (goal: at most 1.5x)")
        figures[f"{name.split('-')[0].lower()}_memory_ratio"] = peak / needed
    return figures
