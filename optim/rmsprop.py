"""RMSprop: steps divided per coordinate by the root of a running mean of squared gradients."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from optim.checks import check_non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate, lerp_


class RMSprop(Optimizer):
    """Root-mean-square propagation (Hinton):

        g <- -g if maximize;   g <- g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        avg = sqrt(v) + eps,  or centered:  g_avg = alpha * g_avg + (1 - alpha) * g;  avg = sqrt(v - g_avg**2) + eps
        momentum > 0:  buf = momentum * buf + g / avg  (buf starts at 0);  p <- p - lr * buf
        otherwise:     p <- p - lr * g / avg
    """

    def __init__(self, params: Params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    @staticmethod
    def check_options(options: dict[str, Any]) -> None:
        check_non_negative("lr", options["lr"], "learning rate")
        check_non_negative("eps", options["eps"], "epsilon value")
        check_non_negative("momentum", options["momentum"], "momentum value")
        check_non_negative("weight_decay", options["weight_decay"], "weight_decay value")
        check_non_negative("alpha", options["alpha"], "alpha value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
            weight_decay, centered, maximize = group["weight_decay"], group["centered"], group["maximize"]
            for p, g in params:
                data = p.data
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = np.zeros_like(data)
                    if momentum > 0:
                        state["momentum_buffer"] = np.zeros_like(data)
                    if centered:
                        state["grad_avg"] = np.zeros_like(data)
                state["step"] += 1
                g = decayed_gradient(g, data, weight_decay, maximize)
                v = state["square_avg"]  # v = alpha * v + (1 - alpha) * g * g
                v *= alpha
                avg = np.multiply(g, 1 - alpha, out=np.empty_like(data))
                avg *= g
                v += avg
                if centered:  # avg = sqrt(v - g_avg**2) + eps, g_avg = alpha * g_avg + (1 - alpha) * g
                    g_avg = state["grad_avg"]
                    lerp_(g_avg, g, 1 - alpha, avg)  # rounded as PyTorch's lerp_
                    np.multiply(g_avg, g_avg, out=avg)
                    np.subtract(v, avg, out=avg)
                    np.sqrt(avg, out=avg)
                else:
                    np.sqrt(v, out=avg)
                avg += eps
                if momentum > 0:  # buf = momentum * buf + g / avg;  p -= lr * buf
                    buf = state["momentum_buffer"]
                    buf *= momentum
                    np.divide(g, avg, out=avg)
                    buf += avg
                    np.multiply(buf, lr, out=avg)
                else:  # p -= lr * (g / avg)
                    np.divide(g, avg, out=avg)
                    avg *= lr
                data -= avg
                p.bump_version()
        return loss
