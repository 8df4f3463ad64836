"""Optimizer state_dict / load_state_dict: layout, plain types, copies, checks, and bit-identical resumption."""
import copy

import numpy as np
import pytest
from optim_state_checks import assert_plain, assert_same

import autograd
import optim

RNG = np.random.default_rng(7)
SHAPES = [(3, 2), (2,), ()]
STARTS = [RNG.normal(size=s) for s in SHAPES]
GRADS = [[RNG.normal(size=s) for s in SHAPES] for _ in range(8)]

CONFIGS = [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    (optim.Momentum, dict(lr=0.1)),
    (optim.Adam, dict(lr=0.05)),
    (optim.Adam, dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    (optim.AdamW, dict(lr=0.05, amsgrad=True)),
    (optim.RMSprop, dict(lr=0.01)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.1)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _) in enumerate(CONFIGS)]


def make(cls, options, starts=STARTS, dtype=np.float64):
    params = [autograd.tensor(np.array(s, dtype=dtype), requires_grad=True) for s in starts]
    opt = cls([{"params": params[:1]}, {"params": params[1:], "lr": options["lr"] / 2}], **options)
    return params, opt


def run(params, opt, grads, first=0):
    """Steps first, first + 1, ... of the fixed gradient sequence."""
    for k, step_grads in enumerate(grads[first:], start=first):
        for i, (p, g) in enumerate(zip(params, step_grads)):
            # the last parameter has no gradient on odd steps: its step count falls behind the others
            p.grad = None if i == 2 and k % 2 else autograd.tensor(g.astype(p.dtype))
        opt.step()


@pytest.mark.parametrize("cls, options", CONFIGS, ids=IDS)
def test_resumed_run_continues_bit_identically(cls, options):
    params, opt = make(cls, options)
    run(params, opt, GRADS)

    half_params, half_opt = make(cls, options)
    run(half_params, half_opt, GRADS[:3])
    saved = half_opt.state_dict()
    saved_values = [p._data.copy() for p in half_params]
    run(half_params, half_opt, GRADS[:5], first=3)  # the saved dict must not follow these steps
    resumed_params, resumed_opt = make(cls, options, starts=saved_values)
    resumed_opt.load_state_dict(saved)
    run(resumed_params, resumed_opt, GRADS, first=3)
    for p, q in zip(params, resumed_params):
        assert np.array_equal(p._data, q._data)


@pytest.mark.parametrize("cls, options", CONFIGS, ids=IDS)
def test_state_dict_layout_and_plain_types(cls, options):
    params, opt = make(cls, options)
    run(params, opt, GRADS[:3])
    state = opt.state_dict()
    assert_plain(state)
    assert [g["params"] for g in state["param_groups"]] == [[0], [1, 2]]
    assert [g["lr"] for g in state["param_groups"]] == [options["lr"], options["lr"] / 2]
    assert set(state["state"]) <= {0, 1, 2}
    for index, values in state["state"].items():
        for name, value in values.items():
            if isinstance(value, np.ndarray):
                assert value.shape == SHAPES[index] and value is not opt.state[params[index]][name]


def test_state_dict_is_a_copy_and_loading_copies_too():
    params, opt = make(optim.Adam, dict(lr=0.1))
    run(params, opt, GRADS[:2])
    saved = opt.state_dict()
    frozen = copy.deepcopy(saved)
    run(params, opt, GRADS[:4], first=2)
    opt.param_groups[0]["lr"] = 1.0
    assert_same(saved, frozen)

    other_params, other = make(optim.Adam, dict(lr=0.1))
    other.load_state_dict(saved)
    saved["state"][0]["exp_avg"] += 1.0
    saved["param_groups"][0]["betas"] = (0.0, 0.0)
    assert_same(other.state_dict(), frozen)
    run(other_params, other, GRADS[:4], first=2)
    assert_same(saved["state"][1], frozen["state"][1])


def test_loading_casts_state_to_the_parameter_dtype_and_counts_to_int():
    params64, opt64 = make(optim.Adam, dict(lr=0.1))
    run(params64, opt64, GRADS[:2])
    saved = opt64.state_dict()
    saved["state"][0]["step"] = np.int64(2)  # as a file may give it back
    params32, opt32 = make(optim.Adam, dict(lr=0.1), dtype=np.float32)
    opt32.load_state_dict(saved)
    state = opt32.state[params32[0]]
    assert type(state["step"]) is int and state["step"] == 2
    assert state["exp_avg"].dtype == np.float32


def test_load_state_dict_refuses_what_does_not_fit_before_changing_anything():
    params, opt = make(optim.SGD, dict(lr=0.1, momentum=0.9))
    run(params, opt, GRADS[:2])
    before = opt.state_dict()
    good = opt.state_dict()
    bad_dicts = {
        "different number of parameter groups": dict(good, param_groups=good["param_groups"][:1]),
        "doesn't match the size": dict(good, param_groups=[good["param_groups"][0],
                                                           dict(good["param_groups"][1], params=[1])]),
        r"shape \(2, 3\)": dict(good, state={1: good["state"][1], 0: {"momentum_buffer": np.zeros((2, 3))}}),
        "lacks the options": dict(good, param_groups=[{k: v for k, v in good["param_groups"][0].items()
                                                       if k != "nesterov"}, good["param_groups"][1]]),
        "none of its parameter groups": dict(good, state={**good["state"], 7: {}}),
        "lr=-1": dict(good, param_groups=[dict(good["param_groups"][0], lr=-1), good["param_groups"][1]]),
        "exactly the keys": {"state": {}},
    }
    for message, bad in bad_dicts.items():
        with pytest.raises(ValueError, match=message):
            opt.load_state_dict(bad)
        assert_same(opt.state_dict(), before)
