"""Module and Parameter: registration, traversal, modes, gradients, state dicts, repr; the containers."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4)
        self.out = nn.Linear(4, 2)
        self.scale = nn.Parameter(ag.ones(2))
        self.register_buffer("steps", ag.zeros((), dtype=np.int64))
        self.register_buffer("cache", ag.zeros(2), persistent=False)

    def forward(self, x):
        return self.out(self.hidden(x).relu()) * self.scale


# ---- Parameter ----

def test_parameter_is_a_leaf_tensor_that_requires_grad_and_is_float32_by_default():
    p = nn.Parameter([1, 2, 3])
    assert isinstance(p, Tensor) and p.is_leaf and p.requires_grad
    assert p.dtype == np.float32
    assert nn.Parameter(np.zeros(2)).dtype == np.float64  # float64 data stays float64
    assert not nn.Parameter(ag.ones(2), requires_grad=False).requires_grad


def test_parameter_shares_the_data_of_a_tensor_and_ops_on_it_give_plain_tensors():
    t = ag.ones(3)
    p = nn.Parameter(t)
    assert p.data is t.data
    assert type(p * 2) is Tensor
    assert repr(p).startswith("Parameter containing:\ntensor([1., 1., 1.], requires_grad=True)")


# ---- registration and traversal ----

def test_attribute_assignment_registers_parameters_modules_and_buffers_in_order():
    m = TwoLayer()
    assert [n for n, _ in m.named_parameters()] == ["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert [n for n, _ in m.named_buffers()] == ["steps", "cache"]
    assert list(m.children()) == [m.hidden, m.out]
    assert list(m.modules()) == [m, m.hidden, m.out]
    assert [n for n, _ in m.named_modules()] == ["", "hidden", "out"]
    assert len(list(m.parameters(recurse=False))) == 1


def test_a_shared_parameter_or_module_is_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert len(list(model.modules())) == 3  # the Sequential, the Linear, the ReLU
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # as PyTorch


def test_assignment_errors_name_the_problem():
    m = TwoLayer()
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'"):
        m.scale = ag.ones(2)
    with pytest.raises(TypeError, match="as child module 'hidden'"):
        m.hidden = 3
    with pytest.raises(TypeError, match="as buffer 'steps'"):
        m.steps = 3

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ag.ones(1))  # before super().__init__()

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()
    with pytest.raises(KeyError, match="buffer name can.+t be empty or contain"):
        m.register_buffer("a.b", ag.ones(1))


def test_none_removes_a_parameter_and_attributes_can_be_deleted_and_reassigned():
    m = TwoLayer()
    m.scale = None
    assert "scale" not in dict(m.named_parameters()) and m.scale is None
    del m.hidden
    assert not hasattr(m, "hidden")
    m.hidden = ag.ones(1)  # a plain attribute now
    assert "hidden" not in dict(m.named_modules())
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'nothing'"):
        m.nothing


def test_missing_forward_is_a_clear_error():
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward"'):
        nn.Module()(1)


# ---- modes and gradients ----

def test_train_and_eval_switch_every_submodule():
    m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    assert all(x.training for x in m.modules())
    assert m.eval() is m
    assert not any(x.training for x in m.modules())
    m.train()
    assert all(x.training for x in m.modules())
    with pytest.raises(ValueError, match="boolean"):
        m.train("no")


def test_zero_grad_sets_to_none_by_default_or_fills_zeros():
    m = TwoLayer()
    m(ag.randn(5, 3)).sum().backward()
    grad = m.out.weight.grad
    m.zero_grad(set_to_none=False)
    assert m.out.weight.grad is grad and not grad.data.any()
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_requires_grad_and_apply():
    m = TwoLayer()
    m.hidden.requires_grad_(False)
    assert [n for n, p in m.named_parameters() if p.requires_grad] == ["scale", "out.weight", "out.bias"]
    visited = []
    assert m.apply(lambda mod: visited.append(type(mod).__name__)) is m
    assert visited == ["Linear", "Linear", "TwoLayer"]  # children first


def test_double_converts_floating_parameters_and_buffers_in_place():
    m = TwoLayer()
    weight = m.hidden.weight
    before = weight.data.copy()
    m.double()
    assert m.hidden.weight is weight and weight.dtype == np.float64
    np.testing.assert_array_equal(weight.data, before)
    assert m.steps.dtype == np.int64 and m.cache.dtype == np.float64


# ---- state dicts ----

def test_state_dict_holds_parameters_and_persistent_buffers_as_detached_tensors_sharing_memory():
    m = TwoLayer()
    sd = m.state_dict()
    assert list(sd) == ["scale", "steps", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert not sd["scale"].requires_grad and np.shares_memory(sd["scale"].data, m.scale.data)
    assert m.state_dict(keep_vars=True)["scale"] is m.scale


def test_load_state_dict_copies_values_into_the_same_parameters():
    source, target = TwoLayer(), TwoLayer()
    source.steps.data[...] = 7
    weight = target.hidden.weight
    result = target.load_state_dict({k: v.data.copy() for k, v in source.state_dict().items()})
    assert result == nn.IncompatibleKeys([], []) and result.missing_keys == []
    assert target.hidden.weight is weight
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        np.testing.assert_array_equal(a.data, b.data, err_msg=name)


def test_strict_loading_lists_every_problem_and_changes_nothing():
    model = TwoLayer()
    before = {k: v.data.copy() for k, v in model.state_dict().items()}
    bad = {k: v.data + 1 for k, v in TwoLayer().state_dict().items()}
    del bad["out.bias"]
    bad["extra.weight"] = np.zeros(1)
    bad["hidden.weight"] = np.zeros((3, 3))
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(bad)
    message = str(error.value)
    assert 'Unexpected key(s) in state_dict: "extra.weight"' in message
    assert 'Missing key(s) in state_dict: "out.bias"' in message
    assert "size mismatch for hidden.weight: copying a param with shape (3, 3) from checkpoint, the shape in " \
           "current model is (4, 3)" in message
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.data, before[name], err_msg=name)


def test_non_strict_loading_returns_missing_and_unexpected_keys_but_refuses_bad_shapes():
    model = TwoLayer()
    sd = model.state_dict()
    partial = {"hidden.weight": np.ones((4, 3)), "other": np.ones(2)}
    missing, unexpected = model.load_state_dict(partial, strict=False)
    assert unexpected == ["other"] and "out.weight" in missing and "hidden.weight" not in missing
    np.testing.assert_array_equal(model.hidden.weight.data, np.ones((4, 3)))
    with pytest.raises(RuntimeError, match="size mismatch for scale"):
        model.load_state_dict({"scale": np.ones(3)}, strict=False)
    with pytest.raises(RuntimeError, match="dtype mismatch for steps"):
        model.load_state_dict({**sd, "steps": np.array(1.5)})


# ---- repr ----

def test_nested_repr_matches_pytorch_layout():
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Sequential(nn.Linear(16, 1, bias=False), nn.Sigmoid()))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=16, out_features=1, bias=False)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        ")")
    assert repr(nn.BatchNorm1d(4)) == "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"
    assert repr(nn.LayerNorm(3)) == "LayerNorm((3,), eps=1e-05, elementwise_affine=True)"
    assert repr(nn.Dropout(0.2)) == "Dropout(p=0.2)"
    assert repr(nn.Embedding(10, 3, padding_idx=0)) == "Embedding(10, 3, padding_idx=0)"
    assert repr(nn.GELU()) == "GELU(approximate='none')"
    assert repr(nn.MSELoss()) == "MSELoss()"


# ---- containers ----

def test_sequential_indexing_slicing_and_names():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert seq[0] is a and seq[-1] is c and len(seq) == 3 and list(seq) == [a, b, c]
    assert list(seq[1:]) == [b, c] and [n for n, _ in seq[1:].named_children()] == ["1", "2"]
    named = nn.Sequential(OrderedDict([("fc", a), ("act", b)]))
    assert named.fc is a and [n for n, _ in named.named_parameters()] == ["fc.weight", "fc.bias"]
    with pytest.raises(IndexError, match="index 3 is out of range for 3 modules"):
        seq[3]
    x = ag.randn(4, 2)
    np.testing.assert_array_equal(seq(x).data, c(b(a(x))).data)


def test_module_list_and_dict_register_their_modules():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.append(nn.ReLU())
    layers.insert(0, nn.Tanh())
    assert [type(m).__name__ for m in layers] == ["Tanh", "Linear", "Linear", "ReLU"]
    del layers[0]
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Linear(2, 3)
    assert list(heads) == ["a", "b"] and "b" in heads and len(heads) == 2
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    with pytest.raises(KeyError, match="ModuleDict has no module 'c'"):
        heads["c"]
