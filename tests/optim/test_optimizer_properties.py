"""Properties every optimizer must have, over drawn shapes, values, gradients and options (hypothesis)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
import optim
from autograd.testing import floats, shapes

OPTIONS = {  # per optimizer: a strategy for its options (lr is set by each test)
    optim.SGD: st.fixed_dictionaries({"momentum": st.sampled_from([0.0, 0.9]), "nesterov": st.just(False),
                                      "weight_decay": st.sampled_from([0.0, 0.1]), "maximize": st.booleans()}),
    optim.Momentum: st.fixed_dictionaries({"nesterov": st.booleans(), "maximize": st.booleans()}),
    optim.Adam: st.fixed_dictionaries({"amsgrad": st.booleans(), "weight_decay": st.sampled_from([0.0, 0.1]),
                                       "maximize": st.booleans()}),
    optim.AdamW: st.fixed_dictionaries({"amsgrad": st.booleans(), "weight_decay": st.sampled_from([0.0, 0.1])}),
    optim.RMSprop: st.fixed_dictionaries({"momentum": st.sampled_from([0.0, 0.9]), "centered": st.booleans(),
                                          "weight_decay": st.sampled_from([0.0, 0.1])}),
    optim.Adagrad: st.fixed_dictionaries({"lr_decay": st.sampled_from([0.0, 0.5]),
                                          "weight_decay": st.sampled_from([0.0, 0.1])}),
}


@st.composite
def optimizer_configs(draw):
    cls = draw(st.sampled_from(list(OPTIONS)))
    return cls, draw(OPTIONS[cls])


@st.composite
def values_and_grads(draw, steps=3, dtype=np.float64, low=-10.0, high=10.0):
    shape = draw(shapes(max_dims=3))
    arrays = [draw(hnp.arrays(dtype, shape, elements=floats(low, high, dtype))) for _ in range(steps + 1)]
    return arrays[0], arrays[1:]


def step_with(params_grads, opt):
    for p, g in params_grads:
        p.grad = autograd.tensor(g)
    opt.step()


@settings(max_examples=60)
@given(config=optimizer_configs(), data=values_and_grads(), dtype=st.sampled_from([np.float32, np.float64]))
def test_lr_zero_changes_nothing(config, data, dtype):
    cls, options = config
    start, grads = data
    p = autograd.tensor(start.astype(dtype), requires_grad=True)
    opt = cls([p], lr=0.0, **options)
    for g in grads:
        step_with([(p, g.astype(dtype))], opt)
    np.testing.assert_array_equal(p._data, start.astype(dtype))


@settings(max_examples=40)
@given(config=optimizer_configs(), data=values_and_grads(), other=values_and_grads(steps=0))
def test_a_parameter_without_grad_is_untouched_and_gets_no_state(config, data, other):
    cls, options = config
    start, grads = data
    p = autograd.tensor(start, requires_grad=True)
    idle = autograd.tensor(other[0], requires_grad=True)
    idle_array = idle._data
    opt = cls([{"params": [p]}, {"params": [idle]}], lr=0.1, **options)
    for g in grads:
        step_with([(p, g)], opt)
    assert idle._data is idle_array
    np.testing.assert_array_equal(idle._data, other[0])
    assert idle not in opt.state
    assert set(opt.state_dict()["state"]) <= {0}


@settings(max_examples=60)
@given(data=values_and_grads(steps=1), lr=st.floats(1e-4, 1.0), amsgrad=st.booleans(),
       sign=st.sampled_from([-1.0, 1.0]))
def test_adams_first_step_moves_each_coordinate_by_about_lr(data, lr, amsgrad, sign):
    start, (g,) = data
    g = sign * (np.abs(g) + 1e-3)  # away from 0, where eps would matter
    p = autograd.tensor(start, requires_grad=True)
    opt = optim.Adam([p], lr=lr, amsgrad=amsgrad)
    step_with([(p, g)], opt)
    moved = p._data - start
    np.testing.assert_allclose(np.abs(moved), lr, rtol=1e-4)
    assert np.all(np.sign(moved) == -np.sign(g))


@settings(max_examples=60)
@given(data=values_and_grads(steps=0), lr=st.floats(1e-4, 0.5), weight_decay=st.floats(0.0, 1.0),
       steps=st.integers(1, 6), amsgrad=st.booleans())
def test_adamw_with_zero_gradients_shrinks_weights_by_one_minus_lr_wd_per_step(data, lr, weight_decay, steps,
                                                                                amsgrad):
    start, _ = data
    p = autograd.tensor(start, requires_grad=True)
    opt = optim.AdamW([p], lr=lr, weight_decay=weight_decay, amsgrad=amsgrad)
    for _ in range(steps):
        step_with([(p, np.zeros_like(start))], opt)
    np.testing.assert_allclose(p._data, start * (1 - lr * weight_decay) ** steps, rtol=1e-12, atol=1e-300)


@settings(max_examples=40)
@given(config=optimizer_configs(), data=values_and_grads(steps=6), split=st.integers(0, 6),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_state_dict_round_trip_resumes_bit_identically(config, data, split, dtype):
    cls, options = config
    start, grads = data
    grads = [g.astype(dtype) for g in grads]
    p = autograd.tensor(start.astype(dtype), requires_grad=True)
    opt = cls([p], lr=0.05, **options)
    for g in grads[:split]:
        step_with([(p, g)], opt)
    saved, saved_value = opt.state_dict(), p._data.copy()
    for g in grads[split:]:
        step_with([(p, g)], opt)

    q = autograd.tensor(saved_value, requires_grad=True)
    resumed = cls([q], lr=0.05, **options)
    resumed.load_state_dict(saved)
    for g in grads[split:]:
        step_with([(q, g)], resumed)
    assert q.dtype == dtype
    np.testing.assert_array_equal(q._data, p._data)
