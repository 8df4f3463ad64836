"""Scheduler state_dict / load_state_dict: plain types, checks, and training runs resumed bit-identically."""
import numpy as np
import pytest
from optim_state_checks import assert_plain, assert_same

import autograd
import optim
from optim.lr_scheduler import (
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    OneCycleLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)

RNG = np.random.default_rng(3)
START = RNG.normal(size=(2, 3))
GRADS = [RNG.normal(size=(2, 3)) for _ in range(12)]
METRICS = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2]  # for ReduceLROnPlateau


class Warmup:
    """A callable object: LambdaLR saves its attributes."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


SCHEDULERS = {
    "StepLR": (optim.SGD, lambda o: StepLR(o, step_size=3, gamma=0.5)),
    "MultiStepLR": (optim.SGD, lambda o: MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5)),
    "ExponentialLR": (optim.Adam, lambda o: ExponentialLR(o, gamma=0.8)),
    "LinearLR": (optim.RMSprop, lambda o: LinearLR(o, start_factor=0.25, total_iters=6)),
    "ConstantLR": (optim.Adagrad, lambda o: ConstantLR(o, factor=0.5, total_iters=4)),
    "CosineAnnealingLR": (optim.AdamW, lambda o: CosineAnnealingLR(o, T_max=5, eta_min=0.001)),
    "LambdaLR": (optim.SGD, lambda o: LambdaLR(o, [lambda e: 0.9 ** e, Warmup(4)])),
    "OneCycleLR-SGD": (optim.SGD, lambda o: OneCycleLR(o, max_lr=0.5, total_steps=12)),
    "OneCycleLR-Adam": (optim.Adam, lambda o: OneCycleLR(o, max_lr=[0.05, 0.1], total_steps=12,
                                                         three_phase=True)),
    "ReduceLROnPlateau": (optim.SGD, lambda o: ReduceLROnPlateau(o, factor=0.5, patience=1, cooldown=1)),
    "SequentialLR": (optim.Momentum, lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.1, total_iters=3),
                                                                CosineAnnealingLR(o, T_max=4),
                                                                ExponentialLR(o, gamma=0.7)], milestones=[3, 7])),
}


def make(name, start=START):
    cls, make_scheduler = SCHEDULERS[name]
    params = [autograd.tensor(start[0], requires_grad=True), autograd.tensor(start[1], requires_grad=True)]
    opt = cls([{"params": params[:1], "lr": 0.1}, {"params": params[1:], "lr": 0.05}])
    return params, opt, make_scheduler(opt)


def train(params, opt, scheduler, first, last):
    """Epochs first .. last-1: optimizer.step() then scheduler.step(); returns the lrs each step used."""
    used = []
    for epoch in range(first, last):
        for p, row in zip(params, GRADS[epoch]):
            p.grad = autograd.tensor(row)
        used.append([g["lr"] for g in opt.param_groups])
        opt.step()
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(METRICS[epoch])
        else:
            scheduler.step()
    return used


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_resumed_training_continues_bit_identically(name):
    params, opt, scheduler = make(name)
    used = train(params, opt, scheduler, 0, 11)

    half_params, half_opt, half_scheduler = make(name)
    used_before = train(half_params, half_opt, half_scheduler, 0, 5)
    saved_opt, saved_scheduler = half_opt.state_dict(), half_scheduler.state_dict()
    values = np.stack([p._data.copy() for p in half_params])
    train(half_params, half_opt, half_scheduler, 5, 8)  # the saved dicts must not follow these steps

    resumed_params, resumed_opt, resumed_scheduler = make(name, start=values)
    resumed_opt.load_state_dict(saved_opt)
    resumed_scheduler.load_state_dict(saved_scheduler)
    used_after = train(resumed_params, resumed_opt, resumed_scheduler, 5, 11)
    assert used_before + used_after == used
    assert resumed_scheduler.get_last_lr() == scheduler.get_last_lr()
    assert resumed_scheduler.last_epoch == scheduler.last_epoch
    for p, q in zip(params, resumed_params):
        assert np.array_equal(p._data, q._data)
    assert_same(resumed_opt.state_dict(), opt.state_dict())


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_state_dict_holds_only_plain_values_and_no_optimizer(name):
    params, opt, scheduler = make(name)
    train(params, opt, scheduler, 0, 3)
    state = scheduler.state_dict()
    assert_plain(state)
    assert "optimizer" not in state
    assert_plain(opt.state_dict())


def test_lambda_lr_saves_no_functions_but_a_callable_objects_attributes():
    params, opt, scheduler = make("LambdaLR")
    state = scheduler.state_dict()
    assert state["lr_lambdas"] == [None, {"epochs": 4}]
    other = LambdaLR(opt, [lambda e: 1.0, Warmup(99)])
    other.load_state_dict(state)
    assert other.lr_lambdas[1].epochs == 4
    assert other.lr_lambdas[0](10) == 1.0  # functions stay those of the scheduler


def test_load_state_dict_refuses_another_kind_of_scheduler_and_changes_nothing():
    _, _, cosine = make("CosineAnnealingLR")
    _, _, step = make("StepLR")
    before = cosine.state_dict()
    with pytest.raises(ValueError, match=r"missing \['T_max', 'eta_min'\], unexpected \['gamma', 'step_size'\]"):
        cosine.load_state_dict(step.state_dict())
    assert_same(cosine.state_dict(), before)


def test_sequential_checks_every_inner_state_before_loading_any():
    _, _, sequential = make("SequentialLR")
    before = sequential.state_dict()
    bad = sequential.state_dict()
    bad["last_epoch"] = 9
    bad["_schedulers"][2] = {"last_epoch": 3}
    with pytest.raises(ValueError, match="ExponentialLR.load_state_dict"):
        sequential.load_state_dict(bad)
    assert_same(sequential.state_dict(), before)


def test_state_dict_for_a_different_number_of_groups_is_refused():
    _, _, scheduler = make("StepLR")
    state = scheduler.state_dict()
    state["base_lrs"] = [0.1]
    with pytest.raises(ValueError, match="'base_lrs' has 1 values for 2 parameter groups"):
        scheduler.load_state_dict(state)
