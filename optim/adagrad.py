"""Adagrad: steps divided per coordinate by the root of the sum of all past squared gradients."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from optim.checks import check_non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate


class Adagrad(Optimizer):
    """Adaptive gradient (Duchi et al.), t = the parameter's step count from 1:

        g <- -g if maximize;   g <- g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g * g   (s starts at initial_accumulator_value)
        p <- p - clr * g / (sqrt(s) + eps)
    """

    def __init__(self, params: Params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, maximize=maximize)
        super().__init__(params, defaults)

    @staticmethod
    def check_options(options: dict[str, Any]) -> None:
        check_non_negative("lr", options["lr"], "learning rate")
        check_non_negative("lr_decay", options["lr_decay"], "lr_decay value")
        check_non_negative("weight_decay", options["weight_decay"], "weight_decay value")
        check_non_negative("initial_accumulator_value", options["initial_accumulator_value"],
                           "initial_accumulator_value value")
        check_non_negative("eps", options["eps"], "epsilon value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            weight_decay, maximize = group["weight_decay"], group["maximize"]
            for p, g in params:
                data = p.data
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["sum"] = np.full_like(data, group["initial_accumulator_value"])
                state["step"] = t = state["step"] + 1
                g = decayed_gradient(g, data, weight_decay, maximize)
                clr = lr / (1 + (t - 1) * lr_decay)
                s = state["sum"]  # s += g * g;  p -= clr * (g / (sqrt(s) + eps)), rounded as PyTorch
                std = np.multiply(g, g, out=np.empty_like(data))
                s += std
                np.sqrt(s, out=std)
                std += eps
                np.divide(g, std, out=std)
                std *= clr
                data -= std
                p.bump_version()
        return loss
