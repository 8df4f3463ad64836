"""CosineAnnealingLR: the lr follows half a cosine wave from its base value down to eta_min."""
from __future__ import annotations

import math

from optim.lr_scheduler.scheduler import LRScheduler, check_number, check_positive_int
from optim.optimizer import Optimizer


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.

    It reaches eta_min at epoch T_max and, past it, climbs back up: the wave is periodic (period 2 * T_max).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        check_positive_int("T_max", T_max)
        check_number("eta_min", eta_min, "CosineAnnealingLR")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        wave = 1 + math.cos(math.pi * epoch / self.T_max)
        return [self.eta_min + (base - self.eta_min) * wave / 2 for base in self.base_lrs]
