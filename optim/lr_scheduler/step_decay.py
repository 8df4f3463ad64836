"""Schedules that multiply the lr by gamma as epochs pass: StepLR, MultiStepLR, ExponentialLR."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from optim.lr_scheduler.scheduler import LRScheduler, check_milestones, check_number, check_positive_int
from optim.optimizer import Optimizer


class StepLR(LRScheduler):
    """lr = base * gamma ** (epoch // step_size): decay by gamma every step_size epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        check_positive_int("step_size", step_size)
        check_number("gamma", gamma, "StepLR")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [base * self.gamma ** (epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """lr = base * gamma ** (number of milestones <= epoch): decay by gamma at each milestone.

    A milestone listed twice decays twice. Milestones are epochs: integers from 0 (a negative one, which PyTorch
    would silently never reach, is refused).
    """

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.milestones = check_milestones(milestones, "MultiStepLR")
        check_number("gamma", gamma, "MultiStepLR")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [base * self.gamma ** bisect_right(self.milestones, epoch) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr = base * gamma ** epoch: decay by gamma every epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        check_number("gamma", gamma, "ExponentialLR")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [base * self.gamma ** epoch for base in self.base_lrs]
