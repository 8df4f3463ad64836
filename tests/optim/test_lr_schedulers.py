"""Learning-rate schedulers: closed forms computed here independently, PYTORCH_SEMANTICS.md's worked values,
construction-time first step, errors, and OneCycleLR's momentum cycling."""
import math

import numpy as np
import pytest

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


def make_optimizer(lrs=(0.1,), cls=optim.SGD, **options):
    groups = [{"params": [autograd.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs]
    return cls(groups, **options)


def lrs_over(scheduler, epochs):
    """The lr of every group at epochs 0 .. epochs-1 (epoch 0 is set by the construction)."""
    seen = []
    for epoch in range(epochs):
        if epoch > 0:
            scheduler.optimizer.step()
            scheduler.step()
        seen.append([g["lr"] for g in scheduler.optimizer.param_groups])
        assert scheduler.get_last_lr() == seen[-1] and scheduler.last_epoch == epoch
    return np.array(seen)


# ---- closed forms, computed here from the formulas, for two groups with different base lrs ----
BASES = (0.1, 0.03)
CLOSED_FORMS = [
    (lambda o: StepLR(o, step_size=3), lambda b, e: b * 0.1 ** (e // 3)),
    (lambda o: StepLR(o, step_size=2, gamma=0.5), lambda b, e: b * 0.5 ** (e // 2)),
    (lambda o: MultiStepLR(o, milestones=[5, 2, 2, 7], gamma=0.5),
     lambda b, e: b * 0.5 ** sum(1 for m in [2, 2, 5, 7] if m <= e)),
    (lambda o: ExponentialLR(o, gamma=0.9), lambda b, e: b * 0.9 ** e),
    (lambda o: LinearLR(o), lambda b, e: b * (1 / 3 + (1 - 1 / 3) * min(e, 5) / 5)),
    (lambda o: LinearLR(o, start_factor=0.2, end_factor=0.6, total_iters=4),
     lambda b, e: b * (0.2 + 0.4 * min(e, 4) / 4)),
    (lambda o: ConstantLR(o), lambda b, e: b / 3 if e < 5 else b),
    (lambda o: ConstantLR(o, factor=0.5, total_iters=2), lambda b, e: b * 0.5 if e < 2 else b),
    (lambda o: CosineAnnealingLR(o, T_max=6), lambda b, e: b * (1 + math.cos(math.pi * e / 6)) / 2),
    (lambda o: CosineAnnealingLR(o, T_max=5, eta_min=0.01),
     lambda b, e: 0.01 + (b - 0.01) * (1 + math.cos(math.pi * e / 5)) / 2),
    (lambda o: LambdaLR(o, lambda e: 1 / (1 + e)), lambda b, e: b / (1 + e)),
]


@pytest.mark.parametrize("make, formula", CLOSED_FORMS, ids=[
    "StepLR", "StepLR-gamma", "MultiStepLR-repeated", "ExponentialLR", "LinearLR-defaults", "LinearLR",
    "ConstantLR-defaults", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingLR-eta_min", "LambdaLR"])
def test_closed_form(make, formula):
    seen = lrs_over(make(make_optimizer(BASES)), 16)
    expected = [[formula(b, e) for b in BASES] for e in range(16)]
    np.testing.assert_allclose(seen, expected, rtol=1e-13, atol=1e-17)


def test_cosine_annealing_worked_values_and_period():
    seen = lrs_over(CosineAnnealingLR(make_optimizer(), T_max=4), 9)[:, 0]
    np.testing.assert_allclose(seen, [0.1, 0.085355, 0.05, 0.014645, 0.0, 0.014645, 0.05, 0.085355, 0.1],
                               atol=5e-7)


def test_one_cycle_worked_values_and_error_past_total_steps():
    opt = make_optimizer(cls=optim.SGD, momentum=0.9)
    scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=10)
    seen = lrs_over(scheduler, 10)[:, 0]
    np.testing.assert_allclose(seen, [0.04, 0.52, 1.0, 0.950485, 0.811746, 0.611262, 0.388742, 0.188258,
                                      0.049519, 4e-6], atol=5e-7)
    scheduler.step()  # the 10th step after construction is allowed, as in PyTorch
    lr, momentum = opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]
    with pytest.raises(ValueError, match="^Tried to step 11 times. The specified number of total steps is 10$"):
        scheduler.step()
    assert scheduler.last_epoch == 10 and opt.param_groups[0]["lr"] == lr
    assert opt.param_groups[0]["momentum"] == momentum


def cos_anneal(start, end, pct):
    return end + (start - end) * (1 + math.cos(math.pi * pct)) / 2


@pytest.mark.parametrize("cls, key", [(optim.SGD, "momentum"), (optim.RMSprop, "momentum"), (optim.Adam, "betas")])
def test_one_cycle_cycles_momentum_or_beta1_inversely(cls, key):
    opt = make_optimizer(cls=cls, **({"momentum": 0.5} if cls is optim.RMSprop else {}))
    scheduler = OneCycleLR(opt, max_lr=0.5, total_steps=20, pct_start=0.25, base_momentum=0.8,
                           max_momentum=0.9, div_factor=10.0, final_div_factor=100.0)
    for e in range(20):
        if e > 0:
            scheduler.step()
        group = opt.param_groups[0]
        momentum = group["betas"][0] if key == "betas" else group["momentum"]
        if e <= 4:  # phase 1 ends at step 0.25 * 20 - 1 = 4
            lr, mom = cos_anneal(0.05, 0.5, e / 4), cos_anneal(0.9, 0.8, e / 4)
        else:
            lr, mom = cos_anneal(0.5, 0.0005, (e - 4) / 15), cos_anneal(0.8, 0.9, (e - 4) / 15)
        assert group["lr"] == pytest.approx(lr, rel=1e-13)
        assert momentum == pytest.approx(mom, rel=1e-13)
        if key == "betas":
            assert group["betas"][1] == 0.999


def test_one_cycle_three_phase_linear_from_epochs_and_steps_per_epoch():
    opt = make_optimizer()
    scheduler = OneCycleLR(opt, max_lr=1.0, epochs=4, steps_per_epoch=5, pct_start=0.25, anneal_strategy="linear",
                           three_phase=True, cycle_momentum=False)
    assert scheduler.total_steps == 20

    def linear(start, end, pct):
        return start + (end - start) * pct

    expected = []
    for e in range(20):  # phases end at steps 4, 8 and 19
        if e <= 4:
            expected.append(linear(0.04, 1.0, e / 4))
        elif e <= 8:
            expected.append(linear(1.0, 0.04, (e - 4) / 4))
        else:
            expected.append(linear(0.04, 4e-6, (e - 8) / 11))
    np.testing.assert_allclose(lrs_over(scheduler, 20)[:, 0], expected, rtol=1e-13)
    assert opt.param_groups[0]["momentum"] == 0.0


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(max_lr=1.0), ValueError, "total_steps OR"),
    (dict(max_lr=1.0, total_steps=0), ValueError, "positive integer total_steps"),
    (dict(max_lr=1.0, epochs=2, steps_per_epoch=1.5), ValueError, "positive integer steps_per_epoch"),
    (dict(max_lr=1.0, total_steps=10, pct_start=1.5), ValueError, "pct_start"),
    (dict(max_lr=1.0, total_steps=10, anneal_strategy="cosine"), ValueError, "anneal_strategy"),
    (dict(max_lr=[1.0, 2.0], total_steps=10), ValueError, "expected 1 values for max_lr"),
    (dict(max_lr=1.0, total_steps=10, pct_start=0.1), ValueError, "phase 1 of the schedule has no steps"),
])
def test_one_cycle_refuses_bad_arguments_before_changing_the_optimizer(kwargs, error, message):
    opt = make_optimizer()
    with pytest.raises(error, match=message):
        OneCycleLR(opt, **kwargs)
    assert set(opt.param_groups[0]) == set(make_optimizer().param_groups[0]) and opt.param_groups[0]["lr"] == 0.1


def test_one_cycle_needs_momentum_or_betas_to_cycle():
    with pytest.raises(ValueError, match="momentum or beta1"):
        OneCycleLR(make_optimizer(cls=optim.Adagrad), max_lr=1.0, total_steps=10)
    OneCycleLR(make_optimizer(cls=optim.Adagrad), max_lr=1.0, total_steps=10, cycle_momentum=False)


# ---- the first step at construction, initial_lr and base_lrs ----
def test_construction_records_initial_lr_and_sets_the_epoch_zero_lr():
    opt = make_optimizer(BASES)
    scheduler = LinearLR(opt, start_factor=0.5, total_iters=2)
    assert scheduler.last_epoch == 0 and scheduler.base_lrs == list(BASES)
    assert [g["initial_lr"] for g in opt.param_groups] == list(BASES)
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.015] == scheduler.get_last_lr()
    second = ExponentialLR(opt, gamma=0.5)  # a second scheduler keeps the recorded initial_lr
    assert second.base_lrs == list(BASES)


def test_resuming_with_last_epoch_needs_initial_lr():
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(make_optimizer(), step_size=2, last_epoch=4)
    opt = make_optimizer()
    opt.param_groups[0]["initial_lr"] = 1.0
    scheduler = StepLR(opt, step_size=2, last_epoch=4)
    assert scheduler.last_epoch == 5 and opt.param_groups[0]["lr"] == pytest.approx(0.01)


@pytest.mark.parametrize("make, error, message", [
    (lambda o: StepLR(object(), step_size=2), TypeError, "object is not an Optimizer"),
    (lambda o: StepLR(o, step_size=0), ValueError, "step_size"),
    (lambda o: CosineAnnealingLR(o, T_max=0), ValueError, "T_max"),
    (lambda o: LinearLR(o, start_factor=0.0), ValueError, "start_factor=0.0"),
    (lambda o: LinearLR(o, end_factor=1.5), ValueError, "end_factor=1.5"),
    (lambda o: LinearLR(o, total_iters=0), ValueError, "total_iters"),
    (lambda o: ConstantLR(o, factor=2.0), ValueError, "factor=2.0"),
    (lambda o: LambdaLR(o, [lambda e: 1.0, lambda e: 2.0]), ValueError, "expected 1 values for lr_lambda"),
    (lambda o: LambdaLR(o, 3.0), TypeError, "lr_lambda should be a function"),
    (lambda o: ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0"),
    (lambda o: ReduceLROnPlateau(o, mode="lowest"), ValueError, "mode 'lowest' is unknown"),
    (lambda o: ReduceLROnPlateau(o, threshold_mode="relative"), ValueError, "threshold mode"),
    (lambda o: ReduceLROnPlateau(o, min_lr=[0.0, 0.0]), ValueError, "expected 1 values for min_lr"),
])
def test_bad_scheduler_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make(make_optimizer())


# ---- ReduceLROnPlateau ----
def test_reduce_on_plateau_waits_patience_then_reduces_then_cools_down():
    opt = make_optimizer((1.0, 0.5))
    scheduler = ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=[0.2, 0.3])
    assert scheduler.get_last_lr() == [1.0, 0.5]
    metrics = [10, 9, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8, 8]
    # bad epochs after each metric: 0 0 1 2 3 (> patience: reduce, cool down) 0 (cooldown ignores it) 1 2
    # 0 (better) 1 2 3 (reduce) 0
    expected = [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]
    for metric, lr in zip(metrics, expected):
        scheduler.step(metric)
        assert opt.param_groups[0]["lr"] == max(lr, 0.2)
    assert opt.param_groups[1]["lr"] == 0.3  # 0.5 -> max(0.25, 0.3); then 0.3 -> 0.3 is no change
    assert scheduler.last_epoch == len(metrics) and scheduler.get_last_lr() == [0.25, 0.3]


def test_reduce_on_plateau_threshold_modes_and_max_mode():
    def reductions(metrics, **kwargs):
        opt = make_optimizer((1.0,))
        scheduler = ReduceLROnPlateau(opt, factor=0.5, patience=0, **kwargs)
        lrs = []
        for m in metrics:
            scheduler.step(autograd.tensor(m))  # a one-element Tensor is a metric too
            lrs.append(opt.param_groups[0]["lr"])
        return lrs

    # rel (min): 0.95 is not below 1 * (1 - 0.1), so it is a bad epoch; 0.85 is
    assert reductions([1.0, 0.95, 0.85], threshold=0.1) == [1.0, 0.5, 0.5]
    assert reductions([1.0, 0.95, 0.85], threshold=0.01, threshold_mode="abs") == [1.0, 1.0, 1.0]
    assert reductions([1.0, 1.05, 1.2], mode="max", threshold=0.1) == [1.0, 0.5, 0.5]
    assert reductions([1.0, 1.05, 1.2], mode="max", threshold=0.1, threshold_mode="abs") == [1.0, 0.5, 0.5]
    # a change smaller than eps is not applied
    assert reductions([1.0, 2.0], eps=0.6) == [1.0, 1.0]


# ---- SequentialLR ----
def test_sequential_warm_up_then_cosine():
    warm, total = 3, 10
    opt = make_optimizer(BASES)
    scheduler = SequentialLR(opt, [LinearLR(opt, start_factor=0.1, total_iters=warm),
                                   CosineAnnealingLR(opt, T_max=total - warm)], milestones=[warm])
    expected = [[b * (0.1 + 0.9 * e / warm) if e < warm
                 else b * (1 + math.cos(math.pi * (e - warm) / (total - warm))) / 2 for b in BASES]
                for e in range(total + 1)]
    np.testing.assert_allclose(lrs_over(scheduler, total + 1), expected, rtol=1e-13, atol=1e-17)


def test_sequential_three_schedulers_restart_each_at_its_epoch_zero():
    opt = make_optimizer()
    scheduler = SequentialLR(opt, [ConstantLR(opt, factor=0.5, total_iters=10), ExponentialLR(opt, gamma=0.5),
                                   StepLR(opt, step_size=1, gamma=0.1)], milestones=[2, 4])
    np.testing.assert_allclose(lrs_over(scheduler, 7)[:, 0], [0.05, 0.05, 0.1, 0.05, 0.1, 0.01, 0.001],
                               rtol=1e-13)


def test_sequential_refuses_bad_arguments():
    opt, other = make_optimizer(), make_optimizer()
    with pytest.raises(ValueError, match="at least one scheduler"):
        SequentialLR(opt, [], milestones=[])
    with pytest.raises(ValueError, match="one more than the number of milestone"):
        SequentialLR(opt, [StepLR(opt, 2), StepLR(opt, 3)], milestones=[])
    with pytest.raises(ValueError, match="same optimizer"):
        SequentialLR(opt, [StepLR(opt, 2), StepLR(other, 3)], milestones=[2])
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        SequentialLR(opt, [StepLR(opt, 2), ReduceLROnPlateau(opt)], milestones=[2])
    with pytest.raises(ValueError, match="increasing positive milestones"):
        SequentialLR(opt, [StepLR(opt, 2), StepLR(opt, 3), StepLR(opt, 4)], milestones=[4, 2])
