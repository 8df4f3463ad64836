"""Schedules that scale the lr by a factor for the first epochs (warm-up): LinearLR, ConstantLR."""
from __future__ import annotations

from optim.lr_scheduler.scheduler import LRScheduler, check_positive_int
from optim.optimizer import Optimizer


class LinearLR(LRScheduler):
    """lr = base * (start + (end - start) * min(epoch, T) / T): the factor goes linearly from start to end
    over T = total_iters epochs, then stays at end."""

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        if not 0 < start_factor <= 1:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal "
                             f"to 1 (got start_factor={start_factor!r})")
        if not 0 <= end_factor <= 1:
            raise ValueError(f"Ending multiplicative factor expected to be between 0 and 1 (got "
                             f"end_factor={end_factor!r})")
        check_positive_int("total_iters", total_iters)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        factor = (self.start_factor
                  + (self.end_factor - self.start_factor) * min(epoch, self.total_iters) / self.total_iters)
        return [base * factor for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """lr = base * factor while epoch < total_iters, then base."""

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        if not 0 <= factor <= 1:
            raise ValueError(f"Constant multiplicative factor expected to be between 0 and 1 (got "
                             f"factor={factor!r})")
        if isinstance(total_iters, bool) or not isinstance(total_iters, int) or total_iters < 0:
            raise ValueError(f"Expected non-negative integer total_iters, but got {total_iters!r}")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [base * self.factor if epoch < self.total_iters else base for base in self.base_lrs]
