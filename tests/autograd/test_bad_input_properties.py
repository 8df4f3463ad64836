"""An audit of every public op with arbitrary input: tensors of any shape (empty and 0-d included) and dtype
(bool, int32, int64, float16, float32, float64, with NaN and infinities), and arguments of any kind (dims in and
out of range, negative sizes, None, strings, dtypes the library refuses, tuples, other tensors).

Each call must give a result, or raise one of the library's documented errors (TypeError, ValueError, IndexError,
RuntimeError, NotImplementedError) from the library's own code, with a message: never an exception from inside
numpy or the standard library (the traceback's last frame tells where it was raised), and never another kind of
exception (AttributeError, OverflowError, ZeroDivisionError, ...). A call that raises leaves its input tensors
(values, .grad, version) exactly as they were; an op that is not in place leaves them so when it succeeds too.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from bad_input_checks import ARGUMENTS, DOCUMENTED, LIBRARY, assert_unchanged, check_call, state, tensors, where_raised
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
import nn.functional as F
import optim
from autograd.tensor_class import Tensor

NOT_OPS = {  # what changes global state, writes files, draws at random or runs the engine: tested elsewhere
    "set_default_dtype", "set_default_device", "manual_seed", "seed", "set_rng_state", "get_rng_state",
    "initial_seed", "set_detect_anomaly", "set_grad_enabled", "detect_anomaly", "no_grad", "enable_grad",
    "inference_mode", "draw_graph", "save_graph", "backward", "grad", "gradcheck", "gradgradcheck",
    "register_hook", "retain_grad", "requires_grad_", "bump_version", "numpy", "tolist", "item", "cuda", "cpu",
    "device", "default_generator", "rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial",
    "rand_like", "randn_like", "randint_like", "uniform_", "normal_", "random_", "bernoulli_",
}
OPERATORS = ("__getitem__", "__setitem__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__truediv__",
             "__rtruediv__", "__floordiv__", "__mod__", "__pow__", "__rpow__", "__matmul__", "__neg__", "__abs__",
             "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__and__", "__or__", "__xor__",
             "__invert__", "__iadd__", "__isub__", "__imul__", "__itruediv__")
# nn.functional's functions and layers that this audit covers (convolution, normalization, attention, linear,
# dropout, the distance losses, the random samplers, grad() and modules' backward hooks are audited, from calls
# that fit, in test_bad_input_layers; pooling with its module's tests)
FUNCTIONAL = ("normalize", "one_hot", "pad", "elu", "gelu", "hardtanh", "leaky_relu", "log_softmax", "logsigmoid",
              "prelu", "relu", "relu6", "sigmoid", "silu", "softmax", "softplus", "tanh", "binary_cross_entropy",
              "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "embedding")
LAYERS = {
    "nn.ReLU": nn.ReLU, "nn.LeakyReLU": nn.LeakyReLU, "nn.ELU": nn.ELU, "nn.GELU": nn.GELU, "nn.SiLU": nn.SiLU,
    "nn.Sigmoid": nn.Sigmoid, "nn.Tanh": nn.Tanh, "nn.Softplus": nn.Softplus, "nn.LogSigmoid": nn.LogSigmoid,
    "nn.Softmax": nn.Softmax, "nn.LogSoftmax": nn.LogSoftmax, "nn.Hardtanh": nn.Hardtanh, "nn.ReLU6": nn.ReLU6,
    "nn.PReLU": nn.PReLU, "nn.Embedding": nn.Embedding, "nn.CrossEntropyLoss": nn.CrossEntropyLoss,
    "nn.NLLLoss": nn.NLLLoss,
}


def _catalogue() -> dict:
    ops = {}
    for name in ag.__all__:
        value = getattr(ag, name)
        if name not in NOT_OPS and callable(value) and not isinstance(value, type) and not inspect.ismodule(value):
            ops[f"autograd.{name}"] = value
    for name in dir(Tensor):
        value = getattr(Tensor, name, None)
        if (not name.startswith("_") or name in OPERATORS) and callable(value) and name not in NOT_OPS:
            ops[f"Tensor.{name}"] = value
    ops.update({f"F.{name}": getattr(F, name) for name in FUNCTIONAL})
    return ops


OPS = _catalogue()
IN_PLACE = {name for name in OPS if name.endswith("_") and not name.endswith("__")} | {
    "Tensor.__setitem__", "Tensor.__iadd__", "Tensor.__isub__", "Tensor.__imul__", "Tensor.__itruediv__"}

@st.composite
def calls(draw, fn):
    """Positional arguments for every required parameter (a tensor first), and some optional ones."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    args, kwargs = [], {}
    for i, p in enumerate(parameters):
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            if p.default is p.empty or draw(st.booleans()):
                args.append(draw(tensors() if i == 0 else ARGUMENTS))
            else:
                break
        elif p.kind == p.VAR_POSITIONAL:
            args.extend(draw(st.lists(ARGUMENTS, max_size=3)))
        elif p.kind == p.KEYWORD_ONLY and draw(st.integers(0, 3)) == 0:
            kwargs[p.name] = draw(ARGUMENTS)
    if not args:
        args.append(draw(tensors()))
    return args, kwargs


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=8)
@given(data=st.data())
def test_every_op_gives_a_result_or_a_documented_error_and_changes_nothing_when_it_fails(name, data):
    fn = OPS[name]
    args, kwargs = data.draw(calls(fn), label="call")
    check_call(name, fn, args, kwargs, in_place=name in IN_PLACE or _asks_in_place(fn, args, kwargs))


def _asks_in_place(fn, args: list, kwargs: dict) -> bool:
    """Whether the call gives a true `inplace=` argument (by position or by name): then it may change its input."""
    try:
        return bool(inspect.signature(fn).bind_partial(*args, **kwargs).arguments.get("inplace", False))
    except (TypeError, ValueError, RuntimeError):  # no signature, arguments that do not bind, a Tensor of many values
        return False


def _layer(name: str, data) -> nn.Module:
    cls = LAYERS[name]
    args, kwargs = data.draw(calls(cls.__init__), label="constructor") if name in (
        "nn.LeakyReLU", "nn.ELU", "nn.Softplus", "nn.Hardtanh", "nn.Softmax", "nn.LogSoftmax") else ([], {})
    if name == "nn.Embedding":
        return cls(data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3)))
    if name == "nn.PReLU":
        return cls(data.draw(st.sampled_from([1, 2, 3])))
    try:
        return cls(*args[1:], **kwargs)  # (args[0] stands for self)
    except DOCUMENTED:
        return cls()


@pytest.mark.parametrize("name", sorted(LAYERS))
@settings(max_examples=8)
@given(data=st.data())
def test_layers_give_a_result_or_a_documented_error_and_keep_their_parameters_when_they_fail(name, data):
    layer = _layer(name, data)
    inputs = data.draw(st.lists(ARGUMENTS, max_size=1).map(lambda rest: [data.draw(tensors())] + rest),
                       label="inputs")
    parameters = [(p, state(p)) for p in layer.parameters()]
    check_call(name, layer, inputs, {})
    assert_unchanged(parameters, f"{name} parameters")


OPTIMIZERS = {
    "SGD": lambda params, lr: optim.SGD(params, lr=lr, momentum=0.9, nesterov=True),
    "Momentum": lambda params, lr: optim.Momentum(params, lr=lr),
    "Adam": lambda params, lr: optim.Adam(params, lr=lr, amsgrad=True),
    "AdamW": lambda params, lr: optim.AdamW(params, lr=lr),
    "RMSprop": lambda params, lr: optim.RMSprop(params, lr=lr, momentum=0.5, centered=True),
    "Adagrad": lambda params, lr: optim.Adagrad(params, lr=lr),
}


def _arrays_of(state: dict) -> list:
    """The optimizer's state_dict as a flat list of comparable values (arrays copied)."""
    flat = []
    for index, values in state["state"].items():
        for name, value in sorted(values.items()):
            flat.append((index, name, np.array(value._data if isinstance(value, Tensor) else value, copy=True)))
    return flat


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@settings(max_examples=15)
@given(data=st.data())
def test_a_failing_optimizer_step_changes_no_parameter_and_no_state(name, data):
    """A step with gradients of any shape and dtype (some that fit, some that do not) either updates, or raises a
    documented error having changed nothing: parameters, their .grad and the optimizer's state as before."""
    params = [nn.Parameter(ag.tensor(data.draw(hnp.arrays(np.float32, shape, elements=st.floats(-2, 2, width=32)))))
              for shape in ((3,), (2, 2))]
    lr = data.draw(st.sampled_from([1e-2, 0.5]))
    optimizer = OPTIMIZERS[name](params, lr)
    for p in params:  # a first good step, so that there is state to keep
        p.grad = ag.ones(p.shape)
    optimizer.step()
    for p in params:
        p.grad = data.draw(st.none() | tensors(requires_grad=False) | st.just(ag.ones(p.shape)), label="grad")
    before = _arrays_of(optimizer.state_dict())
    watched = [(p, state(p)) for p in params]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # overflow of float16 gradients is fine here
            optimizer.step()
    except DOCUMENTED as error:
        frame = where_raised(error)
        assert frame is not None and frame.filename.startswith(LIBRARY), f"{name}.step: {error!r} from {frame}"
        assert_unchanged(watched, f"{name}.step")
        after = _arrays_of(optimizer.state_dict())
        assert [(i, n) for i, n, _ in after] == [(i, n) for i, n, _ in before]
        for (_, key, old), (_, _, new) in zip(before, after):
            np.testing.assert_array_equal(new, old, err_msg=f"{name}.step changed its state {key} and raised")
