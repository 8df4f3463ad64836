"""Adagrad: steps divided per coordinate by the root of the sum of all past squared gradients."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from optim.checks import non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate


class Adagrad(Optimizer):
    """Adaptive gradient (Duchi et al.), t = the parameter's step count from 1:

        g <- -g if maximize;   g <- g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g   (s starts at initial_accumulator_value)
        p <- p - clr * g / (sqrt(s) + eps)
    """

    checks = {"lr": non_negative("learning rate"), "lr_decay": non_negative("lr_decay value"),
              "weight_decay": non_negative("weight_decay value"),
              "initial_accumulator_value": non_negative("initial_accumulator_value value"),
              "eps": non_negative("epsilon value")}

    def __init__(self, params: Params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            for p, g in params:
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["sum"] = np.full_like(p._data, group["initial_accumulator_value"])
                state["step"] = t = state["step"] + 1
                g = decayed_gradient(g, p._data, group["weight_decay"], group["maximize"])
                clr = lr / (1 + (t - 1) * lr_decay)
                s = state["sum"]
                s += g * g
                p._data -= clr * (g / (np.sqrt(s) + eps))
                p.bump_version()
        return loss
