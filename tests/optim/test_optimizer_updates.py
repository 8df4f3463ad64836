"""Every optimizer and option, driven by a fixed sequence of gradients, against the formulas written out in numpy."""
import numpy as np
import optim_reference as ref
import pytest

import autograd
import optim

RNG = np.random.default_rng(1234)
START = RNG.normal(size=(3, 4))
GRADS = [RNG.normal(size=(3, 4)) for _ in range(6)]
GRADS[3] = -3 * GRADS[2]  # a sign flip, so that momentum and moment estimates must turn around

CASES = [
    (optim.SGD, ref.sgd, dict(lr=0.1)),
    (optim.SGD, ref.sgd, dict(lr=0.1, momentum=0.9)),
    (optim.SGD, ref.sgd, dict(lr=0.1, momentum=0.9, dampening=0.3)),
    (optim.SGD, ref.sgd, dict(lr=0.1, momentum=0.8, nesterov=True)),
    (optim.SGD, ref.sgd, dict(lr=0.1, momentum=0.5, weight_decay=0.1)),
    (optim.SGD, ref.sgd, dict(lr=0.1, weight_decay=0.2, maximize=True)),
    (optim.SGD, ref.sgd, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01, maximize=True)),
    (optim.Momentum, ref.sgd, dict(lr=0.1, momentum=0.9)),
    (optim.Momentum, ref.sgd, dict(lr=0.1, momentum=0.7, nesterov=True)),
    (optim.Adam, ref.adam, dict(lr=0.01)),
    (optim.Adam, ref.adam, dict(lr=0.01, betas=(0.5, 0.6), eps=1e-3)),
    (optim.Adam, ref.adam, dict(lr=0.01, amsgrad=True)),
    (optim.Adam, ref.adam, dict(lr=0.01, weight_decay=0.1)),
    (optim.Adam, ref.adam, dict(lr=0.01, weight_decay=0.1, amsgrad=True, maximize=True)),
    (optim.AdamW, ref.adamw, dict(lr=0.01)),
    (optim.AdamW, ref.adamw, dict(lr=0.01, weight_decay=0.5, amsgrad=True)),
    (optim.AdamW, ref.adamw, dict(lr=0.01, weight_decay=0.1, maximize=True, betas=(0.8, 0.9))),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01)),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01, alpha=0.9, eps=1e-4)),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01, centered=True)),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01, momentum=0.9)),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    (optim.RMSprop, ref.rmsprop, dict(lr=0.01, weight_decay=0.1, maximize=True)),
    (optim.Adagrad, ref.adagrad, dict(lr=0.1)),
    (optim.Adagrad, ref.adagrad, dict(lr=0.1, lr_decay=0.5)),
    (optim.Adagrad, ref.adagrad, dict(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.5)),
    (optim.Adagrad, ref.adagrad, dict(lr=0.1, eps=1e-3, maximize=True)),
]


def case_id(case):
    cls, _, options = case
    return cls.__name__ + "(" + ",".join(f"{k}={v}" for k, v in options.items()) + ")"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_every_step_matches_the_formula_float64(case):
    cls, reference, options = case
    p = autograd.tensor(START, requires_grad=True)
    opt = cls([p], **options)
    expected = reference(START, GRADS, **options)
    for step, (g, want) in enumerate(zip(GRADS, expected)):
        p.grad = autograd.tensor(g)
        opt.step()
        np.testing.assert_allclose(p._data, want, rtol=1e-12, atol=1e-15, err_msg=f"after step {step + 1}")
    assert p.dtype == np.float64


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_float32_parameters_stay_float32_and_follow_the_formula(case):
    cls, reference, options = case
    p = autograd.tensor(START.astype(np.float32), requires_grad=True)
    opt = cls([p], **options)
    expected = reference(START, GRADS, **options)
    for g, want in zip(GRADS, expected):
        p.grad = autograd.tensor(g.astype(np.float32))
        opt.step()
        assert p._data.dtype == np.float32
        np.testing.assert_allclose(p._data, want, rtol=2e-5, atol=2e-6)
    for value in opt.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32


def test_default_options_are_pytorchs():
    p = autograd.zeros(2, requires_grad=True)
    assert optim.SGD([p]).defaults == dict(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                                           nesterov=False, maximize=False)
    assert optim.Momentum([p]).defaults["momentum"] == 0.9
    adam = optim.Adam([p]).defaults
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"], adam["amsgrad"]) == (
        1e-3, (0.9, 0.999), 1e-8, 0.0, False)
    assert optim.AdamW([p]).defaults["weight_decay"] == 1e-2
    rms = optim.RMSprop([p]).defaults
    assert (rms["lr"], rms["alpha"], rms["eps"], rms["weight_decay"], rms["momentum"], rms["centered"]) == (
        1e-2, 0.99, 1e-8, 0.0, 0.0, False)
    ada = optim.Adagrad([p]).defaults
    assert (ada["lr"], ada["lr_decay"], ada["weight_decay"], ada["initial_accumulator_value"], ada["eps"]) == (
        1e-2, 0.0, 0.0, 0.0, 1e-10)


def test_each_group_uses_its_own_options_and_step_counts_are_per_parameter():
    a = autograd.tensor(START, requires_grad=True)
    b = autograd.tensor(START[::-1].copy(), requires_grad=True)
    opt = optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.1, "amsgrad": True}], lr=0.01)
    for k, g in enumerate(GRADS):
        a.grad = autograd.tensor(g)
        b.grad = autograd.tensor(g) if k >= 2 else None  # b starts two steps late
        opt.step()
    np.testing.assert_allclose(a._data, ref.adam(START, GRADS, lr=0.01)[-1], rtol=1e-12)
    np.testing.assert_allclose(b._data, ref.adam(START[::-1], GRADS[2:], lr=0.1, amsgrad=True)[-1], rtol=1e-12)
    assert opt.state[a]["step"] == 6 and opt.state[b]["step"] == 4


def test_gradients_from_backward_drive_the_same_update():
    """loss = sum(G * p) has gradient G: the optimizer sees what backward accumulated."""
    p = autograd.tensor(START, requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    for g in GRADS:
        opt.zero_grad()
        (autograd.tensor(g) * p).sum().backward()
        opt.step()
    np.testing.assert_allclose(p._data, ref.sgd(START, GRADS, lr=0.1, momentum=0.9, nesterov=True)[-1],
                               rtol=1e-12)
