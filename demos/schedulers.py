"""Every learning-rate scheduler of optim.lr_scheduler: the learning rate it sets, epoch by epoch.

Each one drives an SGD optimizer (base lr 0.1) for 100 epochs, stepped after optimizer.step() as in
PyTorch. ReduceLROnPlateau reacts to a metric: here a validation loss that falls, then stops improving.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import nn
import optim
from demos.common import demo_main
from demos.plotting import plt, save
from optim import lr_scheduler as sched

BASE_LR, EPOCHS = 0.1, 100

SCHEDULERS: dict[str, Callable[[optim.Optimizer], object]] = {  # title: how to make it
    "StepLR\n(step_size=30, gamma=0.5)": lambda o: sched.StepLR(o, step_size=30, gamma=0.5),
    "MultiStepLR\n(milestones=[20, 50, 80], gamma=0.3)":
        lambda o: sched.MultiStepLR(o, milestones=[20, 50, 80], gamma=0.3),
    "ExponentialLR\n(gamma=0.97)": lambda o: sched.ExponentialLR(o, gamma=0.97),
    "LinearLR\n(start_factor=0.1, total_iters=40)": lambda o: sched.LinearLR(o, start_factor=0.1, total_iters=40),
    "ConstantLR\n(factor=0.5, total_iters=25)": lambda o: sched.ConstantLR(o, factor=0.5, total_iters=25),
    "LambdaLR\n(lr_lambda=1 / (1 + epoch / 10))": lambda o: sched.LambdaLR(o, lambda epoch: 1 / (1 + epoch / 10)),
    "CosineAnnealingLR\n(T_max=100)": lambda o: sched.CosineAnnealingLR(o, T_max=EPOCHS),
    "OneCycleLR\n(max_lr=0.1, total_steps=100)": lambda o: sched.OneCycleLR(o, max_lr=BASE_LR, total_steps=EPOCHS),
    "ReduceLROnPlateau\n(factor=0.5, patience=10)": lambda o: sched.ReduceLROnPlateau(o, factor=0.5, patience=10),
    "SequentialLR\n(LinearLR warm-up 10, then cosine)": lambda o: sched.SequentialLR(o, [
        sched.LinearLR(o, start_factor=0.01, total_iters=10), sched.CosineAnnealingLR(o, T_max=EPOCHS - 10)],
        milestones=[10]),
}


def validation_loss(epoch: int) -> float:
    """A made-up validation loss for ReduceLROnPlateau: falls until epoch 30, then stays flat."""
    return 1 / (1 + min(epoch, 30) / 10) + 0.01 * math.sin(epoch)


def learning_rates(make: Callable[[optim.Optimizer], object]) -> tuple[str, list[float]]:
    """The scheduler's class name and the learning rate used in each epoch under the scheduler `make` creates."""
    optimizer = optim.SGD([nn.Parameter([0.0])], lr=BASE_LR, momentum=0.9)
    scheduler = make(optimizer)
    rates = []
    for epoch in range(EPOCHS):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # (the training of one epoch would go here)
        if isinstance(scheduler, sched.ReduceLROnPlateau):
            scheduler.step(validation_loss(epoch))
        else:
            scheduler.step()
    return type(scheduler).__name__, rates


def run(folder: Path, fast: bool) -> dict:
    runs = {name: learning_rates(make) for name, make in SCHEDULERS.items()}
    curves = {name: rates for name, (_, rates) in runs.items()}
    fig, axes = plt.subplots(2, 5, figsize=(19, 7.5), sharex=True)
    for ax, (name, rates) in zip(axes.flat, curves.items()):
        ax.plot(rates, "C0", label="learning rate")
        ax.set_title(name, fontsize=9)
        ax.set(ylabel="learning rate", ylim=(0, BASE_LR * 1.08))
        if name.startswith("ReduceLROnPlateau"):
            metric = ax.twinx()
            metric.plot([validation_loss(e) for e in range(EPOCHS)], "C1--", label="validation loss (its input)")
            metric.set_ylabel("validation loss", color="C1")
            ax.legend(handles=ax.get_lines() + metric.get_lines(), loc="upper right", fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("epoch")
    fig.suptitle(f"Learning rate per epoch for every scheduler (SGD, base lr {BASE_LR})")
    save(fig, folder / "schedulers.png")
    for name, rates in curves.items():
        title = name.replace("\n", " ")
        print(f"{title:<52} lr: epoch 0 {rates[0]:.4f}, epoch 50 {rates[50]:.4f}, epoch 99 {rates[-1]:.5f}")
    return {"curves": curves, "classes": sorted({cls for cls, _ in runs.values()})}


if __name__ == "__main__":
    demo_main("schedulers", run)
