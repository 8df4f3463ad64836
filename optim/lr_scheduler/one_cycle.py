"""OneCycleLR: the lr climbs from a small value to max_lr and anneals far below it, once, over the run."""
from __future__ import annotations

import math
from typing import Any

from optim.lr_scheduler.scheduler import LRScheduler, check_number, check_optimizer, check_positive_int, per_group
from optim.optimizer import Optimizer


def cos_anneal(start: float, end: float, pct: float) -> float:
    """From start (pct = 0) to end (pct = 1) along half a cosine."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def linear_anneal(start: float, end: float, pct: float) -> float:
    """From start (pct = 0) to end (pct = 1) along a line."""
    return (end - start) * pct + start


ANNEALS = {"cos": cos_anneal, "linear": linear_anneal}


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin), stepped after every batch, total_steps times.

    initial_lr = max_lr / div_factor,  min_lr = initial_lr / final_div_factor.
    Phase 1 (steps 0 .. pct_start * T - 1): initial_lr -> max_lr;  phase 2 (.. T - 1): max_lr -> min_lr.
    three_phase: max_lr -> initial_lr by step 2 * pct_start * T - 2, then initial_lr -> min_lr.
    With cycle_momentum, the momentum (Adam's beta1) moves the other way, max_momentum <-> base_momentum.
    Stepping more than total_steps times is an error.
    """

    def __init__(self, optimizer: Optimizer, max_lr: float | list[float], total_steps: int | None = None,
                 epochs: int | None = None, steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: float | list[float] = 0.85, max_momentum: float | list[float] = 0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4, three_phase: bool = False,
                 last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        if total_steps is not None:
            check_positive_int("total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            check_positive_int("epochs", epochs)
            check_positive_int("steps_per_epoch", steps_per_epoch)
            total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        if not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start!r}")
        for name, factor in (("div_factor", div_factor), ("final_div_factor", final_div_factor)):
            check_number(name, factor, "OneCycleLR")
            if factor <= 0:
                raise ValueError(f"OneCycleLR: {name} must be positive (the lr is divided by it), got {factor!r}")
        if anneal_strategy not in ANNEALS:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy!r}")
        phases = _phases(pct_start, total_steps, three_phase)
        max_lrs = per_group("max_lr", max_lr, optimizer)
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            max_momentums = per_group("max_momentum", max_momentum, optimizer)
            base_momentums = per_group("base_momentum", base_momentum, optimizer)
        self.total_steps = total_steps
        self.anneal_strategy = anneal_strategy
        self._schedule_phases = phases
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        if last_epoch == -1:
            for i, group in enumerate(optimizer.param_groups):
                group["initial_lr"] = max_lrs[i] / div_factor
                group["max_lr"] = max_lrs[i]
                group["min_lr"] = group["initial_lr"] / final_div_factor
                if cycle_momentum:
                    group["max_momentum"] = max_momentums[i]
                    group["base_momentum"] = base_momentums[i]
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [lr for lr, _ in self._values_at(epoch)]

    def step(self) -> None:
        epoch = self.last_epoch + 1
        values = self._values_at(epoch)  # refuses a step past total_steps before anything changes
        self.last_epoch = epoch
        self._set_lrs([lr for lr, _ in values])
        if self.cycle_momentum:
            for group, (_, momentum) in zip(self.optimizer.param_groups, values):
                if self.use_beta1:
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum

    def _values_at(self, epoch: int) -> list[tuple[float, float | None]]:
        """(lr, momentum) of each group at `epoch`: found in the phase that holds it."""
        if epoch > self.total_steps:
            raise ValueError(f"Tried to step {epoch} times. The specified number of total steps is "
                             f"{self.total_steps}")
        anneal = ANNEALS[self.anneal_strategy]
        values = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if epoch <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (epoch - start_step) / (end_step - start_step)
                    lr = anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                    momentum = (anneal(group[phase["start_momentum"]], group[phase["end_momentum"]], pct)
                                if self.cycle_momentum else None)
                    break
                start_step = end_step
            values.append((lr, momentum))
        return values


def _phases(pct_start: float, total_steps: int, three_phase: bool) -> list[dict[str, Any]]:
    """Where each phase ends and which group entries its lr and momentum go between."""
    warm_up = {"end_step": float(pct_start * total_steps) - 1, "start_lr": "initial_lr", "end_lr": "max_lr",
               "start_momentum": "max_momentum", "end_momentum": "base_momentum"}
    if three_phase:
        phases = [warm_up,
                  {"end_step": float(2 * pct_start * total_steps) - 2, "start_lr": "max_lr", "end_lr": "initial_lr",
                   "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
                  {"end_step": total_steps - 1, "start_lr": "initial_lr", "end_lr": "min_lr",
                   "start_momentum": "max_momentum", "end_momentum": "max_momentum"}]
    else:
        phases = [warm_up,
                  {"end_step": total_steps - 1, "start_lr": "max_lr", "end_lr": "min_lr",
                   "start_momentum": "base_momentum", "end_momentum": "max_momentum"}]
    start = 0.0
    for i, phase in enumerate(phases):
        if phase["end_step"] == start:
            raise ValueError(f"OneCycleLR: phase {i + 1} of the schedule has no steps (pct_start={pct_start!r}, "
                             f"total_steps={total_steps}); choose them so that every phase lasts at least a step")
        start = phase["end_step"]
    return phases
