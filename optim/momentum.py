"""Momentum: SGD whose step follows a running sum of past gradients ("heavy ball"), momentum 0.9 by default."""
from __future__ import annotations

from optim.checks import positive
from optim.optimizer import Params
from optim.sgd import SGD


class Momentum(SGD):
    """SGD with momentum:  buf = momentum * buf + (1 - dampening) * g  (buf = g at the first step);
    p <- p - lr * buf, or p <- p - lr * (g + momentum * buf) with nesterov=True.

    The same update as SGD(..., momentum=0.9); its own class because momentum is its own lesson.
    """

    checks = {  # after SGD's
        "momentum": positive("momentum value", "Momentum needs momentum > 0; SGD is the optimizer without it")}

    def __init__(self, params: Params, lr: float = 1e-3, momentum: float = 0.9, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False) -> None:
        super().__init__(params, lr, momentum, dampening, weight_decay, nesterov, maximize=maximize)
