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
    assert p._data is t._data
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

    class EarlyBuffer(nn.Module):
        def __init__(self):
            self.register_buffer("b", ag.ones(1))  # before super().__init__()

    with pytest.raises(AttributeError, match="cannot assign buffers before Module.__init__"):
        EarlyBuffer()
    with pytest.raises(KeyError, match="buffer name can.+t be empty or contain"):
        m.register_buffer("a.b", ag.ones(1))


def members(module):
    """Everything registered, by kind, to check that a refused call changed nothing."""
    return ({k: id(v) for k, v in module._parameters.items()}, {k: id(v) for k, v in module._buffers.items()},
            {k: id(v) for k, v in module._modules.items()}, set(module._non_persistent))


def test_registering_a_name_used_by_another_kind_of_member_is_refused_and_changes_nothing():
    m = TwoLayer()
    before = members(m)
    with pytest.raises(KeyError, match="attribute 'scale' already exists"):
        m.register_buffer("scale", ag.zeros(2))  # a parameter
    with pytest.raises(KeyError, match="attribute 'hidden' already exists"):
        m.register_parameter("hidden", nn.Parameter(ag.ones(1)))  # a module
    with pytest.raises(KeyError, match="attribute 'steps' already exists"):
        m.add_module("steps", nn.ReLU())  # a buffer
    with pytest.raises(KeyError, match="attribute 'forward' already exists"):
        m.register_buffer("forward", ag.zeros(1))  # a method
    assert members(m) == before
    linear = nn.Linear(2, 2)
    with pytest.raises(KeyError, match="attribute 'weight' already exists"):
        linear.register_buffer("weight", ag.zeros(2, 2))
    assert [n for n, _ in linear.named_parameters()] == ["weight", "bias"] and dict(linear.named_buffers()) == {}
    seq = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(KeyError, match="attribute '0' already exists"):
        seq.register_parameter("0", nn.Parameter(ag.ones(1)))
    assert list(seq._modules) == ["0"] and list(seq.parameters(recurse=False)) == []


def test_registering_again_as_the_same_kind_replaces_and_assignment_switches_kinds():
    m = TwoLayer()
    new_scale, new_steps, relu = nn.Parameter(ag.zeros(2)), ag.ones((), dtype=np.int64), nn.ReLU()
    m.register_parameter("scale", new_scale)
    m.register_buffer("steps", new_steps, persistent=False)
    m.register_buffer("cache", m.cache)  # persistent now
    m.add_module("out", relu)
    assert m.scale is new_scale and m.steps is new_steps and m.out is relu
    assert "steps" not in m.state_dict() and "cache" in m.state_dict()
    m.scale = nn.ReLU()  # assignment switches a parameter to a module, as in PyTorch
    assert "scale" in m._modules and "scale" not in m._parameters
    m.scale = nn.Parameter(ag.ones(1))  # and back
    assert "scale" in m._parameters and "scale" not in m._modules


def test_none_removes_a_parameter_and_attributes_can_be_deleted_and_reassigned():
    m = TwoLayer()
    m.scale = None
    assert "scale" not in dict(m.named_parameters()) and m.scale is None
    del m.hidden
    assert not hasattr(m, "hidden")
    m.hidden = ag.ones(1)  # a plain attribute now
    assert "hidden" not in dict(m.named_modules())
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'nothing'"):
        _ = m.nothing


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
    assert m.out.weight.grad is grad and not grad._data.any()
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
    before = weight._data.copy()
    m.double()
    assert m.hidden.weight is weight and weight.dtype == np.float64
    np.testing.assert_array_equal(weight._data, before)
    assert m.steps.dtype == np.int64 and m.cache.dtype == np.float64


def test_apply_initialises_every_linear_layer():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 2)))

    def init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.constant_(module.weight, 0.5)
            nn.init.zeros_(module.bias)

    assert model.apply(init_weights) is model
    assert all((p._data == 0.5).all() for n, p in model.named_parameters() if n.endswith("weight"))
    assert all((p._data == 0).all() for n, p in model.named_parameters() if n.endswith("bias"))


def test_children_and_modules_walk_the_tree_as_pytorch():
    inner = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    model = nn.Sequential(OrderedDict(encoder=inner, head=nn.Linear(2, 1)))
    assert [n for n, _ in model.named_children()] == ["encoder", "head"] and list(model.children())[0] is inner
    assert [n for n, _ in model.named_modules()] == ["", "encoder", "encoder.0", "encoder.1", "head"]
    assert [n for n, _ in model.named_modules(prefix="model")][:2] == ["model", "model.encoder"]
    assert len(list(model.modules())) == 5


# ---- lookups by dotted name ----

def test_get_submodule_parameter_and_buffer_by_dotted_name():
    model = nn.Sequential(OrderedDict(block=nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)), out=nn.Linear(3, 1)))
    assert model.get_submodule("") is model
    assert model.get_submodule("block.1") is model.block[1]
    assert model.get_parameter("block.0.weight") is model.block[0].weight
    assert model.get_parameter("out.bias") is model.out.bias
    assert model.get_buffer("block.1.running_mean") is model.block[1].running_mean
    with pytest.raises(AttributeError, match="Sequential has no attribute `2`"):
        model.get_submodule("block.2")
    with pytest.raises(AttributeError, match="`training` is not an nn.Module"):
        model.get_submodule("block.training")
    with pytest.raises(AttributeError, match="`running_mean` is not an nn.Parameter"):
        model.get_parameter("block.1.running_mean")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        model.get_buffer("out.weight")
    with pytest.raises(AttributeError, match="Linear has no attribute `scale`"):
        model.get_parameter("out.scale")


# ---- dtype and device ----

def test_to_takes_pytorchs_forms_and_keeps_the_parameter_objects():
    m = TwoLayer()
    m(ag.randn(5, 3)).sum().backward()  # gradients and graph nodes exist before the conversion
    params = list(m.parameters())
    for args, kwargs in [((ag.float64,), {}), (("cpu",), {}), ((ag.device("cpu"), ag.float32), {}),
                         ((), {"dtype": ag.float64, "device": "cpu"}), ((ag.zeros(1),), {}),
                         ((ag.zeros(1, dtype=np.float64),), {})]:
        assert m.to(*args, **kwargs) is m
    assert list(m.parameters()) == params and all(type(p) is nn.Parameter for p in params)
    assert all(p.dtype == np.float64 and p.grad.dtype == np.float64 for p in params)
    assert m.cache.dtype == np.float64 and m.steps.dtype == np.int64  # integer buffers keep their dtype
    m.zero_grad()
    m(ag.randn(5, 3, dtype=np.float64)).sum().backward()  # training goes on in the new dtype
    assert all(p.grad.dtype == np.float64 for p in params)
    assert m.float() is m and m.hidden.weight.dtype == np.float32 and m.cpu() is m


def test_to_refuses_other_devices_and_non_floating_dtypes():
    m = TwoLayer()
    for device in ["cuda", "cuda:0", "mps", 0]:
        with pytest.raises(RuntimeError, match="not available: autograd runs on the CPU only"):
            m.to(device)
    with pytest.raises(RuntimeError, match="not available"):
        m.cuda()
    with pytest.raises(TypeError, match="only accepts floating point dtypes, but got desired dtype=int64"):
        m.to(ag.int64)
    assert m.hidden.weight.dtype == np.float32


def test_type_converts_every_parameter_and_buffer_even_integer_ones():
    bn = nn.BatchNorm1d(2).type(ag.float64)
    assert bn.weight.dtype == bn.running_mean.dtype == bn.num_batches_tracked.dtype == np.float64


# ---- state dicts ----

def test_state_dict_holds_parameters_and_persistent_buffers_as_detached_tensors_sharing_memory():
    m = TwoLayer()
    sd = m.state_dict()
    assert list(sd) == ["scale", "steps", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert not sd["scale"].requires_grad and np.shares_memory(sd["scale"]._data, m.scale._data)
    assert m.state_dict(keep_vars=True)["scale"] is m.scale


def test_load_state_dict_copies_values_into_the_same_parameters():
    source, target = TwoLayer(), TwoLayer()
    source.steps._data[...] = 7
    weight = target.hidden.weight
    result = target.load_state_dict({k: v._data.copy() for k, v in source.state_dict().items()})
    assert result == nn.IncompatibleKeys([], []) and result.missing_keys == []
    assert target.hidden.weight is weight
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        np.testing.assert_array_equal(a._data, b._data, err_msg=name)


def test_strict_loading_lists_every_problem_and_changes_nothing():
    model = TwoLayer()
    before = {k: v._data.copy() for k, v in model.state_dict().items()}
    bad = {k: v._data + 1 for k, v in TwoLayer().state_dict().items()}
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
        np.testing.assert_array_equal(value._data, before[name], err_msg=name)


def test_strict_loading_refused_for_a_dtype_alone_leaves_parameters_and_buffers_unchanged():
    model = TwoLayer()
    model.steps._data[...] = 3
    before = {k: v._data.copy() for k, v in model.state_dict().items()}
    bad = {k: v._data + 1 for k, v in TwoLayer().state_dict().items()}  # every key, every shape right
    bad["steps"] = np.array(9.5)  # a float into the int64 buffer
    with pytest.raises(RuntimeError, match="dtype mismatch for steps") as error:
        model.load_state_dict(bad)
    assert "Missing" not in str(error.value) and "size mismatch" not in str(error.value)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value._data, before[name], err_msg=name)
    assert model.steps.item() == 3


def test_loading_a_parameter_shared_under_two_keys_keeps_it_shared_and_the_last_key_wins():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    weight = shared.weight
    first, last = np.full((2, 2), 1.0, np.float32), np.full((2, 2), 2.0, np.float32)
    result = model.load_state_dict({"0.weight": first, "0.bias": np.zeros(2, np.float32), "2.weight": last,
                                    "2.bias": np.ones(2, np.float32)})
    assert result == nn.IncompatibleKeys([], [])
    assert model[0] is model[2] and shared.weight is weight  # still one parameter, copied into in place
    np.testing.assert_array_equal(shared.weight._data, last)  # copied in key order, as PyTorch: the last wins
    np.testing.assert_array_equal(shared.bias._data, np.ones(2))
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "2.weight"'):
        model.load_state_dict({"0.weight": first, "0.bias": np.zeros(2), "2.bias": np.zeros(2)})
    np.testing.assert_array_equal(shared.weight._data, last)


def test_non_strict_loading_returns_missing_and_unexpected_keys_but_refuses_bad_shapes():
    model = TwoLayer()
    sd = model.state_dict()
    partial = {"hidden.weight": np.ones((4, 3)), "other": np.ones(2)}
    missing, unexpected = model.load_state_dict(partial, strict=False)
    assert unexpected == ["other"] and "out.weight" in missing and "hidden.weight" not in missing
    np.testing.assert_array_equal(model.hidden.weight._data, np.ones((4, 3)))
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
    assert repr(nn.Dropout(0.2)) == "Dropout(p=0.2, inplace=False)"  # as PyTorch
    assert repr(nn.Embedding(10, 3, padding_idx=0)) == "Embedding(10, 3, padding_idx=0)"
    assert repr(nn.GELU()) == "GELU(approximate='none')"
    assert repr(nn.MSELoss()) == "MSELoss()"


def test_a_non_persistent_buffer_is_used_but_not_saved(tmp_path):
    m = TwoLayer()
    m.cache.fill_(3.0)
    assert "cache" in dict(m.named_buffers()) and "cache" not in m.state_dict()
    nn.save(m.state_dict(), tmp_path / "model.npz")
    loaded = nn.load(tmp_path / "model.npz")
    assert "cache" not in loaded and "steps" in loaded
    fresh = TwoLayer()
    assert fresh.load_state_dict(loaded) == ([], [])  # strict loading: nothing missing, nothing unexpected
    assert (fresh.cache._data == 0).all()  # a non-persistent buffer keeps its own value


def test_repr_shows_extra_repr_and_compresses_repeated_modules_in_a_module_list():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)] + [nn.Conv1d(4, 4, 3)])
            self.norm = nn.GroupNorm(2, 4)
            self.missing = None

        def extra_repr(self):
            return "depth=4"

    assert repr(Block()) == (
        "Block(\n"
        "  depth=4\n"
        "  (layers): ModuleList(\n"
        "    (0-2): 3 x Linear(in_features=4, out_features=4, bias=True)\n"
        "    (3): Conv1d(4, 4, kernel_size=(3,), stride=(1,))\n"
        "  )\n"
        "  (norm): GroupNorm(2, 4, eps=1e-05, affine=True)\n"
        ")")
    assert repr(nn.ModuleList()) == "ModuleList()"


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
    np.testing.assert_array_equal(seq(x)._data, c(b(a(x)))._data)


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


def test_a_failed_container_mutation_leaves_the_container_unchanged():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])
    before = list(layers._modules.items())
    with pytest.raises(TypeError, match="str is not a Module subclass"):
        layers.insert(0, "not a module")
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        layers.append(3)
    with pytest.raises(TypeError, match="str is not a Module subclass"):
        layers.extend([nn.Tanh(), "not a module"])  # the Tanh is not appended either
    with pytest.raises(TypeError, match="extend should be called with an iterable"):
        layers.extend(nn.Tanh())
    with pytest.raises(TypeError, match="float is not a Module subclass"):
        layers[1] = 1.5
    with pytest.raises(IndexError, match="index 2 is out of range for 2 modules"):
        layers[2] = nn.Tanh()
    assert list(layers._modules.items()) == before
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    before = list(heads.items())
    with pytest.raises(TypeError, match="str is not a Module subclass"):
        heads.update({"b": nn.ReLU(), "c": "not a module"})
    with pytest.raises(KeyError, match="attribute 'training' already exists"):
        heads.update([("b", nn.ReLU()), ("training", nn.ReLU())])
    with pytest.raises(ValueError, match="update sequence element #1 should be a \\(key, module\\) pair"):
        heads.update([("b", nn.ReLU()), ("c",)])
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        heads["b"] = 3
    assert list(heads.items()) == before
    seq = nn.Sequential(nn.ReLU())
    with pytest.raises(TypeError, match="str is not a Module subclass"):
        seq.append("relu")
    assert len(seq) == 1


def test_reading_a_parameter_attribute_always_gives_the_registered_one():
    m = TwoLayer()
    first, second = nn.Parameter(ag.zeros(2)), nn.Parameter(ag.ones(2))
    steps = [lambda: setattr(m, "scale", first), lambda: m.register_parameter("scale", second),
             lambda: setattr(m, "scale", None), lambda: m.register_parameter("scale", first),
             lambda: setattr(m, "scale", nn.ReLU()), lambda: setattr(m, "scale", second)]
    for change in steps:
        change()
        registered = m._parameters.get("scale", m._modules.get("scale"))
        assert m.scale is registered
    del m.scale
    assert not hasattr(m, "scale") and "scale" not in dict(m.named_parameters())
