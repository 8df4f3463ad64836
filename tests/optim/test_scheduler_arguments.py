"""The schedulers' argument checks, compared with PyTorch's: what PyTorch accepts with a meaning gives the same
learning rates here (numbers computed by PyTorch 2.13 and stored below); what PyTorch accepts without one (a
milestone that is never reached) or fails on deep inside (a division by zero) is refused here with an error naming
the scheduler and the argument, before the optimizer is changed."""
import copy

import pytest

import autograd as ag
import nn
import optim
from optim import lr_scheduler as S


def _optimizer():
    return optim.SGD([nn.Parameter(ag.zeros(1))], lr=1.0, momentum=0.9)


def _lrs(make, steps=4):
    """The lr after construction and after each of `steps` steps (as the PyTorch script that made the numbers)."""
    opt = _optimizer()
    scheduler = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


ACCEPTED = {  # name: (scheduler, PyTorch's learning rates)
    "MultiStepLR, a milestone at 0": (lambda o: S.MultiStepLR(o, [0, 2]), [0.1, 0.1, 0.01, 0.01, 0.01]),
    "MultiStepLR, unsorted": (lambda o: S.MultiStepLR(o, [3, 1]), [1.0, 0.1, 0.1, 0.01, 0.01]),
    "MultiStepLR, a whole float": (lambda o: S.MultiStepLR(o, [2.0]), [1.0, 1.0, 0.1, 0.1, 0.1]),
    "MultiStepLR, none": (lambda o: S.MultiStepLR(o, []), [1.0, 1.0, 1.0, 1.0, 1.0]),
    "MultiStepLR, gamma 2": (lambda o: S.MultiStepLR(o, [1], gamma=2), [1.0, 2.0, 2.0, 2.0, 2.0]),
    "MultiStepLR, gamma 0": (lambda o: S.MultiStepLR(o, [1], gamma=0), [1.0, 0.0, 0.0, 0.0, 0.0]),
    "StepLR, negative gamma": (lambda o: S.StepLR(o, 1, gamma=-0.5), [1.0, -0.5, 0.25, -0.125, 0.0625]),
    "ExponentialLR, gamma 0": (lambda o: S.ExponentialLR(o, 0.0), [1.0, 0.0, 0.0, 0.0, 0.0]),
    "CosineAnnealingLR, negative eta_min": (lambda o: S.CosineAnnealingLR(o, 2, eta_min=-1),
                                            [1.0, 0.0, -1.0, 0.0, 1.0]),
    "OneCycleLR, negative max_lr": (lambda o: S.OneCycleLR(o, -1.0, total_steps=10),
                                    [-0.04, -0.52, -1.0, -0.950485, -0.811746]),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_arguments_pytorch_gives_a_meaning_give_its_learning_rates(name):
    make, expected = ACCEPTED[name]
    assert _lrs(make) == pytest.approx(expected, abs=1e-6)


REFUSED = {  # name: (scheduler, error, message); PyTorch's behaviour in the comment
    "MultiStepLR, a negative milestone": (  # PyTorch: never decays there
        lambda o: S.MultiStepLR(o, [-1, 2]), ValueError,
        r"MultiStepLR: milestones must be epochs from 0 on, got -1 in \[-1, 2\]"),
    "MultiStepLR, a fractional milestone": (  # PyTorch: never decays there
        lambda o: S.MultiStepLR(o, [1.5]), TypeError, r"MultiStepLR: milestones must be integers \(epochs\), got 1.5"),
    "MultiStepLR, a NaN milestone": (
        lambda o: S.MultiStepLR(o, [float("nan")]), TypeError, r"MultiStepLR: milestones must be integers"),
    "MultiStepLR, one int": (  # PyTorch: 'int' object is not iterable
        lambda o: S.MultiStepLR(o, 3), TypeError, r"MultiStepLR: milestones must be a list of epochs"),
    "MultiStepLR, a string": (  # PyTorch: never decays
        lambda o: S.MultiStepLR(o, "ab"), TypeError, r"MultiStepLR: milestones must be a list of epochs"),
    "MultiStepLR, gamma a string": (
        lambda o: S.MultiStepLR(o, [1], gamma="a"), TypeError, r"MultiStepLR: gamma must be a number, got 'a'"),
    "StepLR, step_size 0": (  # PyTorch: ZeroDivisionError
        lambda o: S.StepLR(o, 0), ValueError, r"Expected positive integer step_size, but got 0"),
    "StepLR, negative step_size": (  # PyTorch: decays every epoch
        lambda o: S.StepLR(o, -1), ValueError, r"Expected positive integer step_size, but got -1"),
    "StepLR, gamma a string": (  # PyTorch: TypeError at the first step
        lambda o: S.StepLR(o, 1, gamma="a"), TypeError, r"StepLR: gamma must be a number, got 'a'"),
    "ExponentialLR, gamma None": (
        lambda o: S.ExponentialLR(o, None), TypeError, r"ExponentialLR: gamma must be a number, got None"),
    "CosineAnnealingLR, T_max 0": (  # PyTorch: ZeroDivisionError
        lambda o: S.CosineAnnealingLR(o, 0), ValueError, r"Expected positive integer T_max, but got 0"),
    "CosineAnnealingLR, negative T_max": (
        lambda o: S.CosineAnnealingLR(o, -2), ValueError, r"Expected positive integer T_max, but got -2"),
    "LinearLR, total_iters 0": (  # PyTorch: stays at start_factor for ever
        lambda o: S.LinearLR(o, total_iters=0), ValueError, r"Expected positive integer total_iters, but got 0"),
    "LinearLR, start_factor 0": (  # PyTorch: the same ValueError
        lambda o: S.LinearLR(o, start_factor=0), ValueError, r"Starting multiplicative factor expected"),
    "ConstantLR, factor 2": (  # PyTorch: the same ValueError
        lambda o: S.ConstantLR(o, factor=2), ValueError, r"Constant multiplicative factor expected"),
    "OneCycleLR, div_factor 0": (  # PyTorch: ZeroDivisionError
        lambda o: S.OneCycleLR(o, 1.0, total_steps=10, div_factor=0), ValueError,
        r"OneCycleLR: div_factor must be positive"),
    "OneCycleLR, final_div_factor negative": (
        lambda o: S.OneCycleLR(o, 1.0, total_steps=10, final_div_factor=-1.0), ValueError,
        r"OneCycleLR: final_div_factor must be positive"),
    "OneCycleLR, total_steps 0": (  # PyTorch: the same ValueError
        lambda o: S.OneCycleLR(o, 1.0, total_steps=0), ValueError, r"Expected positive integer total_steps"),
    "ReduceLROnPlateau, factor 1": (  # PyTorch: the same ValueError
        lambda o: S.ReduceLROnPlateau(o, factor=1.0), ValueError, r"Factor should be < 1.0"),
    "ReduceLROnPlateau, factor a string": (  # PyTorch: TypeError from a comparison
        lambda o: S.ReduceLROnPlateau(o, factor="a"), TypeError, r"ReduceLROnPlateau: factor must be a number"),
    "ReduceLROnPlateau, patience None": (
        lambda o: S.ReduceLROnPlateau(o, patience=None), TypeError, r"ReduceLROnPlateau: patience must be a number"),
    "SequentialLR, a negative milestone": (  # PyTorch: accepted, never switches
        lambda o: S.SequentialLR(o, [S.ConstantLR(o), S.ConstantLR(o)], milestones=[-1]), ValueError,
        r"SequentialLR expects increasing positive milestones"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_arguments_without_a_meaning_are_refused_before_the_optimizer_changes(name):
    make, error, message = REFUSED[name]
    opt = _optimizer()
    before = copy.deepcopy(opt.param_groups[0]) if "SequentialLR" not in name else None
    with pytest.raises(error, match=message):
        make(opt)
    if before is not None:  # (SequentialLR's own schedulers, made first, change it legitimately)
        assert {k: v for k, v in opt.param_groups[0].items() if k != "params"} == \
            {k: v for k, v in before.items() if k != "params"}
