"""ReduceLROnPlateau: divide the lr when a watched metric (e.g. the validation loss) stops improving."""
from __future__ import annotations

import math
from typing import Any

from optim.lr_scheduler.scheduler import LRScheduler, check_number, check_optimizer, per_group
from optim.optimizer import Optimizer


class ReduceLROnPlateau(LRScheduler):
    """Called as step(metric) once per epoch. In mode 'min', a metric a is better than the best so far when
    a < best * (1 - threshold) ('rel') or a < best - threshold ('abs'); mode 'max' mirrors it.

    After more than `patience` epochs without improvement: lr = max(lr * factor, min_lr) (applied only when the
    change exceeds eps), then `cooldown` epochs during which bad epochs are not counted.
    Unlike the other schedules it changes the optimizer's current lr and takes no step at construction.
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0,
                 min_lr: float | list[float] = 0, eps: float = 1e-8) -> None:
        check_optimizer(optimizer)
        for name, value in (("factor", factor), ("threshold", threshold), ("eps", eps), ("patience", patience),
                            ("cooldown", cooldown)):
            check_number(name, value, "ReduceLROnPlateau")
        if not factor < 1.0:
            raise ValueError(f"Factor should be < 1.0 (got factor={factor!r})")
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode!r} is unknown! (it is 'min' or 'max')")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode!r} is unknown! (it is 'rel' or 'abs')")
        self.min_lrs = per_group("min_lr", min_lr, optimizer)
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.cooldown = cooldown
        self.eps = eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def step(self, metrics: Any) -> None:  # type: ignore[override]
        """Record this epoch's metric (a number or a one-element Tensor) and reduce the lr if it has stalled."""
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def is_better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            return a < best * (1.0 - self.threshold) if self.threshold_mode == "rel" else a < best - self.threshold
        return a > best * (self.threshold + 1.0) if self.threshold_mode == "rel" else a > best + self.threshold

    def _reduce_lr(self) -> None:
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr
