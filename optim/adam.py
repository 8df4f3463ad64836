"""Adam: steps scaled per coordinate by running estimates of the gradient's mean and mean square."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from optim.checks import beta_pair, non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate, lerp_


class Adam(Optimizer):
    """Adaptive moment estimation (Kingma & Ba), t = the parameter's step count from 1:

        g <- -g if maximize;   g <- g + weight_decay * p   (L2; decoupled_weight_decay: p <- p * (1 - lr * wd))
        m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g * g
        (amsgrad: v_max = max(v_max, v), used in place of v below)
        p <- p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    Each line is rounded as PyTorch's single-tensor Adam rounds it: m through lerp (m + (1 - beta1) * (g - m)),
    the step as p - (lr / (1 - beta1**t)) * (m / denominator).
    """

    checks = {"lr": non_negative("learning rate"), "eps": non_negative("epsilon value"), "betas": beta_pair,
              "weight_decay": non_negative("weight_decay value")}

    def __init__(self, params: Params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, eps, weight_decay, amsgrad = group["lr"], group["eps"], group["weight_decay"], group["amsgrad"]
            beta1, beta2 = group["betas"]
            decoupled = group["decoupled_weight_decay"]
            for p, g in params:
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = np.zeros_like(p._data)
                    state["exp_avg_sq"] = np.zeros_like(p._data)
                    if amsgrad:
                        state["max_exp_avg_sq"] = np.zeros_like(p._data)
                state["step"] = t = state["step"] + 1
                if decoupled and weight_decay != 0:
                    p._data *= 1 - lr * weight_decay
                g = decayed_gradient(g, p._data, 0 if decoupled else weight_decay, group["maximize"])
                m, v = state["exp_avg"], state["exp_avg_sq"]
                lerp_(m, g, 1 - beta1)
                v *= beta2  # v = beta2 * v + (1 - beta2) * g * g, in place (each line a pass over the array)
                v += (1 - beta2) * g * g
                if amsgrad:
                    v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                bias_correction1, bias_correction2 = 1 - beta1 ** t, 1 - beta2 ** t
                denom = np.sqrt(v)  # denom = sqrt(v) / sqrt(bias_correction2) + eps, in place
                denom /= math.sqrt(bias_correction2)
                denom += eps
                p._data -= (lr / bias_correction1) * (m / denom)
                p.bump_version()
        return loss
