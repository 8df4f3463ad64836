"""SequentialLR: one schedule after another, e.g. a linear warm-up and then a cosine decay."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from optim.lr_scheduler.plateau import ReduceLROnPlateau
from optim.lr_scheduler.scheduler import LRScheduler, check_optimizer
from optim.optimizer import Optimizer


class SequentialLR(LRScheduler):
    """schedulers[i] runs from milestones[i-1] up to milestones[i], restarted at its own epoch 0 at the switch.

        warm_up = LinearLR(optimizer, start_factor=0.1, total_iters=W)
        decay = CosineAnnealingLR(optimizer, T_max=N - W)
        scheduler = SequentialLR(optimizer, [warm_up, decay], milestones=[W])
    """

    _not_saved = ("optimizer", "_schedulers")

    def __init__(self, optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int],
                 last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        schedulers, milestones = list(schedulers), list(milestones)
        if not schedulers:
            raise ValueError("SequentialLR expects at least one scheduler, but got no scheduler.")
        for i, scheduler in enumerate(schedulers):
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError("SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires "
                                 f"additional kwargs to be specified when calling `step`, but got one at index {i} "
                                 "in the given schedulers sequence.")
            if not isinstance(scheduler, LRScheduler) or scheduler.optimizer is not optimizer:
                raise ValueError(f"SequentialLR expects all schedulers to belong to the same optimizer, but "
                                 f"scheduler {type(scheduler).__name__} at index {i} does not")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the "
                             f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                             f"number of milestones to be equal to {len(milestones)}")
        if any(not a < b for a, b in zip([0] + milestones, milestones)):
            raise ValueError(f"SequentialLR expects increasing positive milestones, but got {milestones}")
        self.optimizer = optimizer
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in schedulers:  # undo the step each took when it was made
            scheduler.last_epoch -= 1
        schedulers[0].step()
        self._last_lr = schedulers[0].get_last_lr()

    def lr_at(self, epoch: int) -> list[float]:
        i = bisect_right(self._milestones, epoch)
        return self._schedulers[i].lr_at(epoch - (self._milestones[i - 1] if i > 0 else 0))

    def step(self) -> None:
        epoch = self.last_epoch + 1
        i = bisect_right(self._milestones, epoch)
        scheduler = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == epoch:
            scheduler.last_epoch = -1  # restart it: this step takes it to its epoch 0
        scheduler.step()
        self.last_epoch = epoch
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self._check_state_dict(state_dict)
        saved = state_dict["_schedulers"]
        if len(saved) != len(self._schedulers):
            raise ValueError(f"SequentialLR.load_state_dict: {len(saved)} saved schedulers for "
                             f"{len(self._schedulers)}")
        for scheduler, state in zip(self._schedulers, saved):
            scheduler._check_state_dict(state)
        super().load_state_dict(state_dict)
        for scheduler, state in zip(self._schedulers, saved):
            scheduler.load_state_dict(state)
