"""AdamW: Adam with decoupled weight decay, which shrinks the weights directly instead of adding to the gradient."""
from __future__ import annotations

from optim.adam import Adam
from optim.optimizer import Params


class AdamW(Adam):
    """Adam (Loshchilov & Hutter's decoupled form): before each Adam update, p <- p * (1 - lr * weight_decay).

    Unlike L2 decay (Adam's weight_decay), the shrinking is not rescaled by Adam's per-coordinate step size.
    """

    def __init__(self, params: Params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)
