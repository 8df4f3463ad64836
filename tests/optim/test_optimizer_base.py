"""The Optimizer base: parameter groups, checks at construction, zero_grad, closures, updates outside the graph."""
import gc
import weakref

import numpy as np
import pytest

import autograd
import optim

ALL = [optim.SGD, optim.Momentum, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad]
EVERY_OPTION = {  # each optimizer with everything switched on
    optim.SGD: dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True),
    optim.Momentum: dict(lr=0.1, dampening=0.2, weight_decay=0.1),
    optim.Adam: dict(lr=0.1, amsgrad=True, weight_decay=0.1, maximize=True),
    optim.AdamW: dict(lr=0.1, amsgrad=True, maximize=True),
    optim.RMSprop: dict(lr=0.1, momentum=0.9, centered=True, weight_decay=0.1, maximize=True),
    optim.Adagrad: dict(lr=0.1, lr_decay=0.1, weight_decay=0.1, maximize=True),
}


def param(*values, dtype=np.float64):
    return autograd.tensor(np.array(values, dtype=dtype), requires_grad=True)


# ---- invalid hyper-parameters: a ValueError that names the option and the value ----
@pytest.mark.parametrize("cls, options, message", [
    (optim.SGD, dict(lr=-0.1), "lr=-0.1"),
    (optim.SGD, dict(lr=float("nan")), "lr=nan"),
    (optim.SGD, dict(momentum=-0.5), "momentum=-0.5"),
    (optim.SGD, dict(weight_decay=-1.0), "weight_decay=-1.0"),
    (optim.SGD, dict(nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    (optim.SGD, dict(nesterov=True, momentum=0.9, dampening=0.1), "dampening=0.1"),
    (optim.Momentum, dict(momentum=0.0), "momentum=0.0"),
    (optim.Adam, dict(lr=-1e-3), "lr=-0.001"),
    (optim.Adam, dict(eps=-1e-8), "eps=-1e-08"),
    (optim.Adam, dict(betas=(1.0, 0.999)), r"betas\[0\]=1.0"),
    (optim.Adam, dict(betas=(0.9, -0.1)), r"betas\[1\]=-0.1"),
    (optim.Adam, dict(betas=(0.9, 0.99, 0.9)), "pair"),
    (optim.Adam, dict(weight_decay=-0.1), "weight_decay=-0.1"),
    (optim.AdamW, dict(betas=(0.9, 1.5)), r"betas\[1\]=1.5"),
    (optim.AdamW, dict(weight_decay=-0.01), "weight_decay=-0.01"),
    (optim.RMSprop, dict(alpha=-0.5), "alpha=-0.5"),
    (optim.RMSprop, dict(eps=-1.0), "eps=-1.0"),
    (optim.RMSprop, dict(momentum=-0.9), "momentum=-0.9"),
    (optim.Adagrad, dict(lr_decay=-1.0), "lr_decay=-1.0"),
    (optim.Adagrad, dict(initial_accumulator_value=-1.0), "initial_accumulator_value=-1.0"),
    (optim.Adagrad, dict(eps=-1e-10), "eps=-1e-10"),
])
def test_invalid_options_raise_naming_option_and_value(cls, options, message):
    with pytest.raises(ValueError, match=message):
        cls([param(1.0)], **options)


@pytest.mark.parametrize("cls", ALL)
def test_a_group_with_invalid_options_is_refused_and_not_added(cls):
    a, b = param(1.0), param(2.0)
    opt = cls([a], lr=0.1)
    with pytest.raises(ValueError, match="lr=-1"):
        opt.add_param_group({"params": [b], "lr": -1})
    assert len(opt.param_groups) == 1


def test_empty_duplicate_and_shared_parameters_are_refused():
    a, b = param(1.0), param(2.0)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam(p for p in [])
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([a, b, a])
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [b, a]}])
    opt = optim.SGD([a])
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": a})
    assert len(opt.param_groups) == 1


def test_what_is_not_a_list_of_leaf_tensors_is_refused():
    a = param(1.0, 2.0)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        optim.SGD(a)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD({a})
    with pytest.raises(TypeError, match="only optimize Tensors"):
        optim.SGD([np.zeros(2)])
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([a * 2])
    with pytest.raises(TypeError, match="must be a dict"):
        optim.SGD([a]).add_param_group([a])


# ---- parameter groups ----
def test_groups_take_defaults_for_what_they_leave_out_and_user_dicts_are_not_changed():
    a, b = param(1.0), param(2.0)
    group_b = {"params": (p for p in [b]), "lr": 0.5}
    opt = optim.SGD([{"params": [a]}], lr=0.1, momentum=0.9)
    opt.add_param_group(group_b)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.9]
    assert opt.param_groups[1]["params"][0] is b
    assert set(group_b) == {"params", "lr"}
    assert "Parameter Group 1" in repr(opt) and "lr: 0.5" in repr(opt)


def test_a_single_tensor_as_a_groups_params_is_accepted():
    a = param(1.0)
    opt = optim.SGD([{"params": a}], lr=0.1)
    params = opt.param_groups[0]["params"]
    assert isinstance(params, list) and len(params) == 1 and params[0] is a


# ---- zero_grad and closures ----
def test_zero_grad_sets_none_by_default_or_fills_zeros_in_place():
    a, b = param(1.0, 2.0), param(3.0)
    opt = optim.SGD([a, b])
    (a * a).sum().backward()
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    (a * a).sum().backward()
    grad_array = a.grad._data
    opt.zero_grad(set_to_none=False)
    assert a.grad._data is grad_array and np.array_equal(a.grad._data, [0.0, 0.0])
    assert b.grad is None


def test_step_evaluates_the_closure_with_recording_on_and_returns_its_loss():
    a = param(1.0, 2.0)
    opt = optim.SGD([a], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (a * a).sum()
        loss.backward()
        return loss

    with autograd.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 5.0
    np.testing.assert_array_equal(a._data, [0.0, 0.0])  # p - 0.5 * 2p
    assert optim.SGD([param(1.0)]).step() is None


# ---- updates happen on the arrays, outside the graph ----
@pytest.mark.parametrize("cls", ALL)
def test_step_keeps_array_identity_leaves_grad_alone_and_records_nothing(cls):
    a = param(1.0, -2.0, 3.0)
    opt = cls([a], **EVERY_OPTION[cls])
    array = a._data
    (a * a * a).sum().backward()
    grad = a.grad._data.copy()
    opt.step()
    assert a._data is array and not np.array_equal(array, [1.0, -2.0, 3.0])
    assert a.is_leaf and a.grad_fn is None and a.requires_grad
    np.testing.assert_array_equal(a.grad._data, grad)
    for value in opt.state[a].values():
        assert isinstance(value, (np.ndarray, int))


@pytest.mark.parametrize("cls", ALL)
def test_a_gradient_graph_is_not_kept_alive_by_the_optimizer(cls):
    a = param(1.0, 2.0)
    opt = cls([a], **EVERY_OPTION[cls])
    (a * a * a).sum().backward(create_graph=True)
    node = weakref.ref(a.grad.grad_fn)
    opt.step()
    a.grad = None
    gc.collect()
    assert node() is None


def test_backward_through_a_graph_saved_before_the_step_is_refused():
    a = param(1.0, 2.0)
    opt = optim.SGD([a], lr=0.1)
    loss = (a * a).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        loss.backward()


@pytest.mark.parametrize("cls", ALL)
def test_a_gradient_of_the_wrong_shape_or_dtype_is_refused_before_any_parameter_changes(cls):
    a, b = param(1.0, 2.0), param(3.0, 4.0)
    opt = cls([{"params": [a]}, {"params": [b]}], **EVERY_OPTION[cls])
    a.grad = autograd.tensor([1.0, 1.0], dtype=np.float64)
    b.grad = autograd.tensor([1.0], dtype=np.float64)
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*gradient has shape \(1,\)"):
        opt.step()
    b.grad = autograd.tensor([1.0, 1.0], dtype=np.float32)
    with pytest.raises(RuntimeError, match="dtype float32"):
        opt.step()
    np.testing.assert_array_equal(a._data, [1.0, 2.0])
    assert len(opt.state) == 0
