"""optim together with nn: gradient clipping before the step, nn.Parameters, and checkpoints through nn.save."""
import numpy as np
import pytest

import autograd
import nn
import optim
from nn.utils import clip_grad_norm_
from optim.lr_scheduler import ExponentialLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR, StepLR

RNG = np.random.default_rng(11)
STARTS = [RNG.normal(size=(4, 3)), RNG.normal(size=(3,))]
CONFIGS = [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (optim.Momentum, dict(lr=0.1)),
    (optim.Adam, dict(lr=0.01, amsgrad=True)),
    (optim.AdamW, dict(lr=0.01)),
    (optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.5)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.01)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _) in enumerate(CONFIGS)]


def loss_of(params, scale):
    w, b = params
    return (scale * ((autograd.tensor(np.arange(12.0).reshape(3, 4)) @ w + b) ** 2)).sum()


@pytest.mark.parametrize("max_norm", [0.5, 1e6])
@pytest.mark.parametrize("cls, options", CONFIGS, ids=IDS)
def test_clipping_then_stepping_equals_stepping_with_the_scaled_gradient(cls, options, max_norm):
    clipped = [autograd.tensor(s, requires_grad=True) for s in STARTS]
    scaled = [autograd.tensor(s, requires_grad=True) for s in STARTS]
    clipped_opt, scaled_opt = cls(clipped, **options), cls(scaled, **options)
    for step in range(4):
        scale = 1.0 + step
        clipped_opt.zero_grad()
        loss_of(clipped, scale).backward()
        total = clip_grad_norm_(clipped, max_norm)
        clipped_opt.step()

        scaled_opt.zero_grad()
        loss_of(scaled, scale).backward()
        grads = [p.grad._data.copy() for p in scaled]
        norm = np.sqrt(sum(np.sum(g * g) for g in grads))
        coef = min(max_norm / (norm + 1e-6), 1.0)
        for p, g in zip(scaled, grads):
            p.grad = autograd.tensor(g * coef)
        scaled_opt.step()

        assert float(total) == pytest.approx(norm, rel=1e-12)
        for a, b in zip(clipped, scaled):
            np.testing.assert_allclose(a._data, b._data, rtol=1e-12, atol=1e-14)


SCHEDULED = [
    (optim.SGD, dict(lr=0.1, momentum=0.9), lambda o: OneCycleLR(o, max_lr=0.2, total_steps=10)),
    (optim.Adam, dict(lr=0.05), lambda o: OneCycleLR(o, max_lr=0.05, total_steps=10, three_phase=True)),
    (optim.AdamW, dict(lr=0.05, amsgrad=True),
     lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.2, total_iters=3), ExponentialLR(o, gamma=0.9)],
                            milestones=[3])),
    (optim.RMSprop, dict(lr=0.01, centered=True), lambda o: StepLR(o, step_size=2)),
    (optim.Adagrad, dict(lr=0.3), lambda o: ReduceLROnPlateau(o, patience=0, factor=0.5)),
]


@pytest.mark.parametrize("cls, options, make_scheduler", SCHEDULED,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(SCHEDULED)])
def test_training_resumed_from_an_nn_save_checkpoint_is_bit_identical(cls, options, make_scheduler, tmp_path):
    x = autograd.tensor(RNG.normal(size=(16, 3)).astype(np.float32))
    y = autograd.tensor(RNG.normal(size=(16, 2)).astype(np.float32))

    def start():
        autograd.manual_seed(5)
        model = nn.Linear(3, 2)
        opt = cls(model.parameters(), **options)
        return model, opt, make_scheduler(opt)

    def train(model, opt, scheduler, steps):
        for _ in range(steps):
            opt.zero_grad()
            loss = nn.MSELoss()(model(x), y)
            loss.backward()
            opt.step()
            scheduler.step(loss.item()) if isinstance(scheduler, ReduceLROnPlateau) else scheduler.step()

    model, opt, scheduler = start()
    train(model, opt, scheduler, 9)

    half = start()
    train(*half, 4)
    path = tmp_path / "checkpoint.npz"
    nn.save({"model": half[0].state_dict(), "optimizer": half[1].state_dict(),
             "scheduler": half[2].state_dict()}, path)
    resumed_model, resumed_opt, resumed_scheduler = start()
    checkpoint = nn.load(path)
    resumed_model.load_state_dict(checkpoint["model"])
    resumed_opt.load_state_dict(checkpoint["optimizer"])
    resumed_scheduler.load_state_dict(checkpoint["scheduler"])
    train(resumed_model, resumed_opt, resumed_scheduler, 5)

    for (name, p), q in zip(model.named_parameters(), resumed_model.parameters()):
        assert isinstance(q, nn.Parameter) and q.dtype == np.float32
        assert np.array_equal(p._data, q._data), name
    assert resumed_scheduler.get_last_lr() == scheduler.get_last_lr()
