"""LambdaLR: the lr is the base lr times a factor that a function of the epoch gives."""
from __future__ import annotations

import copy
import types
from collections.abc import Callable
from typing import Any

from optim.lr_scheduler.scheduler import LRScheduler, per_group
from optim.optimizer import Optimizer


class LambdaLR(LRScheduler):
    """lr = base * lr_lambda(epoch), with one function for every group or a list of one per group.

    state_dict() saves no functions (plain functions and lambdas are saved as None); of a callable object it
    saves the attributes (its __dict__), as PyTorch does.
    """

    _not_saved = ("optimizer", "lr_lambdas")

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        self.lr_lambdas = per_group("lr_lambda", lr_lambda, optimizer)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, epoch: int) -> list[float]:
        return [base * fn(epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) or not hasattr(fn, "__dict__") else copy.deepcopy(vars(fn))
            for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self._check_state_dict(state_dict)
        if len(state_dict["lr_lambdas"]) != len(self.lr_lambdas):
            raise ValueError(f"LambdaLR.load_state_dict: {len(state_dict['lr_lambdas'])} saved lr_lambdas for "
                             f"{len(self.lr_lambdas)} functions")
        super().load_state_dict(state_dict)
        for fn, saved in zip(self.lr_lambdas, state_dict["lr_lambdas"]):
            if saved is not None:
                vars(fn).update(copy.deepcopy(saved))
