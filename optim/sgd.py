"""SGD: stochastic gradient descent, with optional momentum (heavy ball or Nesterov) and L2 weight decay."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from optim.checks import check_non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate


class SGD(Optimizer):
    """p <- p - lr * d, where d is the gradient, or a running sum of gradients with momentum.

        g <- -g if maximize;   g <- g + weight_decay * p
        with momentum:  buf = g at the first step, then buf = momentum * buf + (1 - dampening) * g
                        d = g + momentum * buf (nesterov)  or  d = buf
        without:        d = g
    """

    def __init__(self, params: Params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    @staticmethod
    def check_options(options: dict[str, Any]) -> None:
        check_non_negative("lr", options["lr"], "learning rate")
        check_non_negative("momentum", options["momentum"], "momentum value")
        check_non_negative("weight_decay", options["weight_decay"], "weight_decay value")
        if options["nesterov"] and (options["momentum"] <= 0 or options["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening (got "
                             f"momentum={options['momentum']!r}, dampening={options['dampening']!r})")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
            for p, g in params:
                data = p.data
                d = decayed_gradient(g, data, weight_decay, maximize)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = np.array(d, copy=True)
                    else:
                        buf *= momentum
                        buf += d if dampening == 0 else (1 - dampening) * d
                    if nesterov:
                        ahead = np.multiply(buf, momentum, out=np.empty_like(buf))
                        ahead += d
                        d = ahead
                    else:
                        d = buf
                data -= lr * d
                p.bump_version()
        return loss
