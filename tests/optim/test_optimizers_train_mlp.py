"""End to end: each optimizer trains a small MLP, built from raw autograd Tensors, to a stated loss.

The problem: fit y = sin(2x) on 64 points of [-2, 2] with a 1-16-1 tanh network, full batch, float32, 300 steps,
from a fixed seed. Predicting the mean gives a mean squared error of about 0.58.
"""
import numpy as np
import pytest

import autograd
import optim
from optim.lr_scheduler import CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR

X = np.linspace(-2, 2, 64, dtype=np.float32).reshape(-1, 1)
Y = np.sin(2 * X)
STEPS = 300


def mlp_parameters(seed=0, hidden=16):
    rng = np.random.default_rng(seed)
    w1 = rng.uniform(-1, 1, (1, hidden))
    b1 = rng.uniform(-1, 1, hidden)
    w2 = rng.uniform(-0.25, 0.25, (hidden, 1))
    b2 = np.zeros(1)
    return [autograd.tensor(a.astype(np.float32), requires_grad=True) for a in (w1, b1, w2, b2)]


def mse(params):
    w1, b1, w2, b2 = params
    prediction = (autograd.tensor(X) @ w1 + b1).tanh() @ w2 + b2
    return ((prediction - autograd.tensor(Y)) ** 2).mean()


CASES = [  # optimizer, options, scheduler, the loss it must reach (measured values are 2-10 times lower)
    (optim.SGD, dict(lr=0.1), None, 2e-2),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), None, 5e-3),
    (optim.SGD, dict(lr=0.1, momentum=0.9),
     lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.1, total_iters=30), CosineAnnealingLR(o, T_max=270)],
                            milestones=[30]), 5e-3),
    (optim.Momentum, dict(lr=0.05), None, 5e-3),
    (optim.Adam, dict(lr=0.03), None, 1e-3),
    (optim.Adam, dict(lr=0.03), lambda o: OneCycleLR(o, max_lr=0.05, total_steps=STEPS), 1e-3),
    (optim.AdamW, dict(lr=0.03), None, 1e-3),
    (optim.RMSprop, dict(lr=0.01), None, 1e-2),
    (optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.5), None, 1e-3),
    (optim.Adagrad, dict(lr=0.3), None, 2e-2),
    (optim.Adagrad, dict(lr=0.3), lambda o: ReduceLROnPlateau(o, patience=5, factor=0.5), 2e-2),
]


@pytest.mark.parametrize("cls, options, make_scheduler, threshold", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_optimizer_trains_a_small_mlp(cls, options, make_scheduler, threshold):
    params = mlp_parameters()
    opt = cls(params, **options)
    scheduler = make_scheduler(opt) if make_scheduler else None
    first = mse(params).item()
    for _ in range(STEPS):
        opt.zero_grad()
        loss = mse(params)
        loss.backward()
        opt.step()
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(loss.item())
        elif scheduler is not None:
            scheduler.step()
    final = mse(params).item()
    assert first > 0.5
    assert final < threshold
    assert all(p.dtype == np.float32 and p.is_leaf for p in params)
