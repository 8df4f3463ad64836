"""SGD: stochastic gradient descent, with optional momentum (heavy ball or Nesterov) and L2 weight decay."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from optim.checks import non_negative
from optim.optimizer import Optimizer, Params, decayed_gradient, evaluate


def nesterov_needs_momentum(name: str, options: dict[str, Any]) -> None:
    """nesterov=True only with momentum > 0 and dampening 0."""
    if options[name] and (options["momentum"] <= 0 or options["dampening"] != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening (got "
                         f"momentum={options['momentum']!r}, dampening={options['dampening']!r})")


class SGD(Optimizer):
    """p <- p - lr * d, where d is the gradient, or a running sum of gradients with momentum.

        g <- -g if maximize;   g <- g + weight_decay * p
        with momentum:  buf = g at the first step, then buf = momentum * buf + (1 - dampening) * g
                        d = g + momentum * buf (nesterov)  or  d = buf
        without:        d = g
    """

    checks = {"lr": non_negative("learning rate"), "momentum": non_negative("momentum value"),
              "weight_decay": non_negative("weight_decay value"), "nesterov": nesterov_needs_momentum}

    def __init__(self, params: Params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = evaluate(closure)
        for group, params in zip(self.param_groups, self._params_with_grad()):
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            for p, g in params:
                g = decayed_gradient(g, p._data, group["weight_decay"], group["maximize"])
                if momentum != 0:
                    buf = self.state[p].get("momentum_buffer")
                    if buf is None:
                        buf = self.state[p]["momentum_buffer"] = np.array(g, dtype=p._data.dtype)  # a copy
                    else:
                        buf *= momentum  # buf = momentum * buf + (1 - dampening) * g, in place
                        buf += g if dampening == 0 else (1 - dampening) * g
                    g = g + momentum * buf if group["nesterov"] else buf
                p._data -= lr * g
                p.bump_version()
        return loss
