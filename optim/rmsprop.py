"""RMSprop: steps divided per coordinate by the root of a running mean of squared gradients."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from optim.checks import non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate, lerp_


class RMSprop(Optimizer):
    """Root-mean-square propagation (Hinton):

        g <- -g if maximize;   g <- g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        avg = sqrt(v) + eps,  or centered:  g_avg = alpha * g_avg + (1 - alpha) * g;  avg = sqrt(v - g_avg**2) + eps
        momentum > 0:  buf = momentum * buf + g / avg  (buf starts at 0);  p <- p - lr * buf
        otherwise:     p <- p - lr * g / avg
    """

    checks = {"lr": non_negative("learning rate"), "eps": non_negative("epsilon value"),
              "momentum": non_negative("momentum value"), "weight_decay": non_negative("weight_decay value"),
              "alpha": non_negative("alpha value")}

    def __init__(self, params: Params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
            for p, g in params:
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = np.zeros_like(p._data)
                    if momentum > 0:
                        state["momentum_buffer"] = np.zeros_like(p._data)
                    if group["centered"]:
                        state["grad_avg"] = np.zeros_like(p._data)
                state["step"] += 1
                g = decayed_gradient(g, p._data, group["weight_decay"], group["maximize"])
                v = state["square_avg"]
                v *= alpha  # v = alpha * v + (1 - alpha) * g * g, in place
                v += (1 - alpha) * g * g
                if group["centered"]:
                    g_avg = state["grad_avg"]
                    lerp_(g_avg, g, 1 - alpha)
                    avg = np.sqrt(v - g_avg * g_avg) + eps
                else:
                    avg = np.sqrt(v) + eps
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf *= momentum  # buf = momentum * buf + g / avg, in place
                    buf += g / avg
                    p._data -= lr * buf
                else:
                    p._data -= lr * (g / avg)
                p.bump_version()
        return loss
