"""`LRScheduler`: the base of the learning-rate schedules, which set each parameter group's lr as epochs pass."""
from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Iterable
from typing import Any

from optim.optimizer import Optimizer


class LRScheduler:
    """Sets each parameter group's 'lr' from the number of scheduler steps taken so far (`last_epoch`).

    Construction records each group's lr as 'initial_lr' (the `base_lrs`, unless a group has one already) and
    takes the first step, so that `last_epoch` is 0 and the groups hold the epoch-0 lr at once. In a training
    loop, call `scheduler.step()` after `optimizer.step()`. A subclass gives the closed form, `lr_at(epoch)`.
    """

    _not_saved: tuple[str, ...] = ("optimizer",)

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when resuming an "
                                   "optimizer")
        self.optimizer = optimizer
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def lr_at(self, epoch: int) -> list[float]:
        """Each group's lr at `epoch` (the schedule's closed form)."""
        raise NotImplementedError

    def get_lr(self) -> list[float]:
        """Each group's lr at the current epoch, from the closed form."""
        return self.lr_at(self.last_epoch)

    def get_last_lr(self) -> list[float]:
        """The lrs that the latest step set."""
        return list(self._last_lr)

    def step(self) -> None:
        """Move to the next epoch and set every group's lr for it."""
        epoch = self.last_epoch + 1
        lrs = self.lr_at(epoch)  # computed (and possibly refused) before anything changes
        self.last_epoch = epoch
        self._set_lrs(lrs)

    def _set_lrs(self, lrs: list[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    # ---- saving and resuming (the optimizer saves its own state) ----
    def state_dict(self) -> dict[str, Any]:
        """A copy of every attribute but the optimizer: numbers, strings and lists."""
        return {name: copy.deepcopy(value) for name, value in vars(self).items() if name not in self._not_saved}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the state of `state_dict` (from `state_dict()` of the same kind of scheduler), checked first."""
        self._check_state_dict(state_dict)
        vars(self).update(copy.deepcopy({k: v for k, v in state_dict.items() if k not in self._not_saved}))

    def _check_state_dict(self, state_dict: dict[str, Any]) -> None:
        expected = {name for name in vars(self) if name != "optimizer"}
        if not isinstance(state_dict, dict) or set(state_dict) != expected:
            got = set(state_dict) if isinstance(state_dict, dict) else set()
            raise ValueError(f"{type(self).__name__}.load_state_dict: the state dict does not fit this scheduler "
                             f"(missing {sorted(expected - got)}, unexpected {sorted(got - expected)})")
        for name in ("base_lrs", "_last_lr", "min_lrs"):
            if name in state_dict and len(state_dict[name]) != len(self.optimizer.param_groups):
                raise ValueError(f"{type(self).__name__}.load_state_dict: '{name}' has {len(state_dict[name])} "
                                 f"values for {len(self.optimizer.param_groups)} parameter groups")


def check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def per_group(name: str, value: Any, optimizer: Optimizer) -> list:
    """One value per parameter group: a list or tuple of that length, or one value for every group."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"expected {len(optimizer.param_groups)} values for {name}, got {len(value)}")
        return list(value)
    return [value] * len(optimizer.param_groups)


def check_positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value!r}")


def check_number(name: str, value: Any, who: str) -> None:
    """A real number (an int or a float, not a bool), else a TypeError naming the scheduler and the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{who}: {name} must be a number, got {value!r}")


def check_milestones(milestones: Any, who: str) -> list[int]:
    """Milestones as a sorted list of epochs: integers from 0 (a negative or fractional one would never be reached:
    PyTorch silently never decays there; here it is refused)."""
    if not isinstance(milestones, Iterable) or isinstance(milestones, (str, bytes)):
        raise TypeError(f"{who}: milestones must be a list of epochs (integers), got {milestones!r}")
    epochs = []
    for milestone in milestones:
        if isinstance(milestone, bool) or not isinstance(milestone, numbers.Real) \
                or not math.isfinite(milestone) or milestone != int(milestone):
            raise TypeError(f"{who}: milestones must be integers (epochs), got {milestone!r} in {milestones!r}")
        if milestone < 0:
            raise ValueError(f"{who}: milestones must be epochs from 0 on, got {milestone!r} in {milestones!r} (a "
                             "negative milestone would never be reached)")
        epochs.append(int(milestone))
    return sorted(epochs)

