"""The bad-input audit (test_bad_input_properties) for the functions and layers it leaves to their modules:
convolution, normalisation, linear, the distance losses, attention, dropout, the random samplers, autograd.grad
and modules' backward hooks.

Each call starts from one that fits (shapes, dtypes and settings that go together), and most have one argument
replaced by something arbitrary (a tensor of another shape or dtype, a number of the wrong kind, infinity, a
huge integer, None, a string, a dtype, a list). As in the op audit, each call must give a result or one of the
library's documented errors raised from its own code, and a call that fails leaves its tensors (values, .grad,
version) and the layer's parameters and buffers exactly as they were.
"""
from __future__ import annotations

import numpy as np
import pytest
from bad_input_checks import ARGUMENTS, DOCUMENTED, LIBRARY, assert_unchanged, check_call, state, where_raised
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
import nn.functional as F
from autograd.tensor_class import Tensor

BAD = ARGUMENTS | st.builds(ag.tensor, st.sampled_from([2.0, [1.0, 2.0]])) | st.sampled_from(
    [np.inf, -np.inf, 1e300, 10 ** 30, -(10 ** 30), 2 ** 63, 1.5, "x", b"x", (1, 2, 3, 4), (0,), (-1,), 3 + 0j])


def floats(draw, shape, dtype=np.float32, low=-2.0, high=2.0, requires_grad=None) -> Tensor:
    data = draw(hnp.arrays(dtype, shape, elements=st.floats(low, high, width=32)))
    wants = draw(st.booleans()) if requires_grad is None else requires_grad
    return ag.tensor(data, requires_grad=wants)


def sides(draw, count, low=1, high=3) -> tuple:
    return tuple(draw(st.integers(low, high)) for _ in range(count))


@st.composite
def corrupted(draw, args: list, kwargs: dict, bad=BAD) -> tuple[list, dict, bool]:
    """The call as it fits, or with one argument (positional or keyword) replaced by an arbitrary value; and
    whether an argument was replaced (if not, the call fits and must succeed)."""
    slots = [("arg", i) for i in range(len(args))] + [("kwarg", k) for k in kwargs]
    choice = draw(st.integers(-len(slots), len(slots) - 1))  # about half the calls keep every argument
    if choice >= 0:
        kind, where = slots[choice]
        (args if kind == "arg" else kwargs)[where] = draw(bad)
    return args, kwargs, choice >= 0


# ---- fitting calls of each function: (args, kwargs) ----
def _conv(draw, spatial):
    groups = draw(st.sampled_from([1, 1, 2]))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = sides(draw, spatial, 1, 2)
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    padding, dilation = draw(st.sampled_from([0, 1, "same", "valid"])), draw(st.integers(1, 2))
    stride = 1 if padding == "same" else draw(st.integers(1, 2))  # a strided "same" convolution is refused
    # each side of the padded input at least the dilated kernel, so that at least one window fits
    pad = padding if isinstance(padding, int) else 0
    size = tuple(draw(st.integers(max(2, dilation * (k - 1) + 1 - 2 * pad), 4)) for k in kernel)
    batch = sides(draw, draw(st.integers(0, 1)))
    x = floats(draw, batch + (c,) + size, dtype)
    weight = floats(draw, (o, c // groups) + kernel, dtype)
    bias = floats(draw, (o,), dtype) if draw(st.booleans()) else None
    return [x, weight, bias], {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}


def _batch_norm(draw):
    c, training = draw(st.integers(1, 3)), draw(st.booleans())
    batch = draw(st.integers(2 if training else 1, 3))  # training needs more than one value per channel
    x = floats(draw, (batch, c) + sides(draw, draw(st.integers(0, 1))))
    stats = [floats(draw, (c,), requires_grad=False), floats(draw, (c,), low=0.5, requires_grad=False)]
    affine = [floats(draw, (c,)), floats(draw, (c,))] if draw(st.booleans()) else [None, None]
    return [x, *stats, *affine], {"training": training, "momentum": 0.1, "eps": 1e-5}


def _layer_norm(draw):
    shape = sides(draw, draw(st.integers(1, 3)))
    k = draw(st.integers(1, len(shape)))
    affine = [floats(draw, shape[-k:]), floats(draw, shape[-k:])] if draw(st.booleans()) else [None, None]
    return [floats(draw, shape), list(shape[-k:]), *affine], {"eps": 1e-5}


def _group_norm(draw):
    groups = draw(st.integers(1, 2))
    c = groups * draw(st.integers(1, 2))
    x = floats(draw, (draw(st.integers(1, 2)), c) + sides(draw, draw(st.integers(0, 1))))
    affine = [floats(draw, (c,)), floats(draw, (c,))] if draw(st.booleans()) else [None, None]
    return [x, groups, *affine], {"eps": 1e-5}


def _linear(draw):
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x = floats(draw, sides(draw, draw(st.integers(0, 2))) + (n_in,))
    return [x, floats(draw, (n_out, n_in)), floats(draw, (n_out,)) if draw(st.booleans()) else None], {}


def _distance(draw, setting=None):
    shape = sides(draw, draw(st.integers(0, 2)), 0, 3)
    kwargs = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    if setting:
        kwargs[setting] = draw(st.sampled_from([0.5, 1.0, 2.0]))
    return [floats(draw, shape), floats(draw, shape, requires_grad=False)], kwargs


def _cosine_embedding(draw):
    shape = sides(draw, draw(st.integers(1, 2)))
    target = ag.tensor(draw(hnp.arrays(np.int64, shape[:-1], elements=st.sampled_from([1, -1]))))
    return [floats(draw, shape), floats(draw, shape), target], {"margin": 0.1, "reduction": "mean"}


def _attention(draw):
    batch, (length, source, e, ev) = sides(draw, draw(st.integers(0, 2))), sides(draw, 4)
    q, k, v = (floats(draw, batch + shape) for shape in ((length, e), (source, e), (source, ev)))
    mask = draw(st.none() | st.just(ag.tensor(np.tril(np.ones((length, source), bool)))))
    return [q, k, v], {"attn_mask": mask, "dropout_p": draw(st.sampled_from([0.0, 0.5])),
                       "is_causal": mask is None and draw(st.booleans()), "scale": None}


def _dropout(draw):
    return [floats(draw, sides(draw, draw(st.integers(0, 2))))], {"p": draw(st.sampled_from([0.0, 0.5, 1.0])),
                                                                  "training": draw(st.booleans())}


def _size(draw, min_dims=0):
    """A shape: sides of 0 to 3 (an empty tensor is a valid result), min_dims to 2 of them."""
    return [draw(st.integers(0, 3)) for _ in range(draw(st.integers(min_dims, 2)))]


def _grad(draw):
    x = floats(draw, sides(draw, 1), requires_grad=True)
    y = (x * x).sum() if draw(st.booleans()) else x * 2
    grad_outputs = None if y.ndim == 0 else ag.ones(y.shape)
    return [[y], [x]], {"grad_outputs": grad_outputs, "retain_graph": None, "allow_unused": False}


FUNCTIONS = {  # name: (function, its fitting call, whether it changes a tensor it is given when it succeeds)
    "F.conv1d": (F.conv1d, lambda d: _conv(d, 1), False),
    "F.conv2d": (F.conv2d, lambda d: _conv(d, 2), False),
    "F.batch_norm": (F.batch_norm, _batch_norm, True),  # training updates the running statistics
    "F.layer_norm": (F.layer_norm, _layer_norm, False),
    "F.group_norm": (F.group_norm, _group_norm, False),
    "F.linear": (F.linear, _linear, False),
    "F.mse_loss": (F.mse_loss, _distance, False),
    "F.l1_loss": (F.l1_loss, _distance, False),
    "F.huber_loss": (F.huber_loss, lambda d: _distance(d, "delta"), False),
    "F.smooth_l1_loss": (F.smooth_l1_loss, lambda d: _distance(d, "beta"), False),
    "F.cosine_embedding_loss": (F.cosine_embedding_loss, _cosine_embedding, False),
    "F.scaled_dot_product_attention": (F.scaled_dot_product_attention, _attention, False),
    "F.dropout": (F.dropout, _dropout, False),
    "autograd.rand": (ag.rand, lambda d: (_size(d, 1), {"dtype": ag.float32}), False),  # rand() has no size
    "autograd.randn": (ag.randn, lambda d: (_size(d, 1), {"dtype": ag.float64}), False),
    "autograd.randint": (ag.randint, lambda d: ([-2, d(st.integers(-1, 5)), tuple(_size(d))], {}), False),
    "autograd.randperm": (ag.randperm, lambda d: ([d(st.integers(0, 4))], {}), False),
    "autograd.normal": (ag.normal, lambda d: ([0.5, 2.0, tuple(_size(d))], {}), False),
    "autograd.normal (tensors)": (ag.normal, lambda d: ([floats(d, (2,)), floats(d, (2, 1), low=0)], {}), False),
    "autograd.bernoulli": (ag.bernoulli, lambda d: ([floats(d, (2, 2), np.float32, 0, 1, False)], {}), False),
    "autograd.rand_like": (ag.rand_like, lambda d: ([floats(d, (2,))], {"dtype": ag.float64}), False),
    "autograd.randn_like": (ag.randn_like, lambda d: ([floats(d, (2,))], {}), False),
    "autograd.randint_like": (ag.randint_like, lambda d: ([floats(d, (2,)), 0, 4], {}), False),
    "Tensor.uniform_": (Tensor.uniform_, lambda d: ([floats(d, (2,), requires_grad=False), -1.0, 1.0], {}), True),
    "Tensor.normal_": (Tensor.normal_, lambda d: ([floats(d, (2,), requires_grad=False), 0.0, 2.0], {}), True),
    "Tensor.random_": (Tensor.random_, lambda d: ([floats(d, (2,), requires_grad=False), 0, 8], {}), True),
    "Tensor.bernoulli_": (Tensor.bernoulli_, lambda d: ([floats(d, (2,), requires_grad=False), 0.5], {}), True),
    "autograd.grad": (ag.grad, _grad, False),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@settings(max_examples=25)
@given(data=st.data())
def test_functions_give_a_result_or_a_documented_error_and_change_nothing_when_they_fail(name, data):
    """A call with an argument replaced gives a result or a documented error; a call left as it fits succeeds."""
    fn, fitting, in_place = FUNCTIONS[name]
    args, kwargs, changed = data.draw(corrupted(*fitting(data.draw)), label="call")
    succeeded = check_call(name, fn, args, kwargs, in_place=in_place, must_succeed=not changed)
    assert succeeded or changed


# ---- layers: a fitting constructor and input, one of them perhaps corrupted ----
def _conv_layer(draw, cls, spatial):
    groups = draw(st.sampled_from([1, 2]))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    settings_ = {"stride": draw(st.integers(1, 2)), "padding": draw(st.sampled_from([0, 1, "same"])),
                 "groups": groups, "bias": draw(st.booleans()),
                 "padding_mode": draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]))}
    if settings_["padding"] == "same":
        settings_["stride"] = 1
    x = floats(draw, sides(draw, draw(st.integers(0, 1))) + (c,) + sides(draw, spatial, 2, 4))
    return cls, [c, o, draw(st.integers(1, 2))], settings_, [x]


def _batch_norm_layer(draw, cls, spatial):
    c = draw(st.integers(1, 3))
    x = floats(draw, (draw(st.integers(2, 3)), c) + sides(draw, spatial))
    return cls, [c], {"momentum": draw(st.sampled_from([0.1, None])), "affine": draw(st.booleans()),
                      "track_running_stats": draw(st.booleans())}, [x]


def _group_norm_layer(draw):
    groups = draw(st.integers(1, 2))
    c = groups * draw(st.integers(1, 2))
    return nn.GroupNorm, [groups, c], {"eps": 1e-5, "affine": draw(st.booleans())}, [floats(draw, (2, c, 2))]


def _layer_norm_layer(draw):
    shape = sides(draw, draw(st.integers(1, 3)))
    return nn.LayerNorm, [shape[-1]], {"eps": 1e-5, "elementwise_affine": draw(st.booleans())}, [floats(draw, shape)]


def _attention_layer(draw):
    heads = draw(st.integers(1, 2))
    e, (length, source, n) = heads * draw(st.integers(1, 2)), sides(draw, 3)
    q, k, v = (floats(draw, (size, n, e)) for size in (length, source, source))
    return nn.MultiheadAttention, [e, heads], {}, [q, k, v]


def _loss_layer(draw, cls, *settings_):
    args, _ = _distance(draw)
    return cls, [], {s: 1.0 for s in settings_}, args


LAYERS = {  # name: the fitting call, (draw -> class, constructor args, constructor kwargs, forward args)
    "nn.Conv1d": lambda d: _conv_layer(d, nn.Conv1d, 1),
    "nn.Conv2d": lambda d: _conv_layer(d, nn.Conv2d, 2),
    "nn.BatchNorm1d": lambda d: _batch_norm_layer(d, nn.BatchNorm1d, d(st.integers(0, 1))),
    "nn.BatchNorm2d": lambda d: _batch_norm_layer(d, nn.BatchNorm2d, 2),
    "nn.LayerNorm": _layer_norm_layer,
    "nn.GroupNorm": _group_norm_layer,
    "nn.Linear": lambda d: (nn.Linear, [2, 3], {"bias": d(st.booleans())}, [floats(d, (d(st.integers(1, 2)), 2))]),
    "nn.Dropout": lambda d: (nn.Dropout, [d(st.sampled_from([0.0, 0.3, 1.0]))], {}, [floats(d, (2, 3))]),
    "nn.MultiheadAttention": _attention_layer,
    "nn.MSELoss": lambda d: _loss_layer(d, nn.MSELoss),
    "nn.L1Loss": lambda d: _loss_layer(d, nn.L1Loss),
    "nn.HuberLoss": lambda d: _loss_layer(d, nn.HuberLoss, "delta"),
    "nn.SmoothL1Loss": lambda d: _loss_layer(d, nn.SmoothL1Loss, "beta"),
    "nn.CosineEmbeddingLoss": lambda d: (nn.CosineEmbeddingLoss, [], {"margin": 0.0}, _cosine_embedding(d)[0]),
}
# the layers whose constructors belong to the modules audited here (the others only get corrupted inputs)
CONSTRUCTORS = {"nn.Conv1d", "nn.Conv2d", "nn.BatchNorm1d", "nn.BatchNorm2d", "nn.LayerNorm", "nn.GroupNorm",
                "nn.Dropout"}


def _watched(layer: nn.Module) -> list:
    """The layer's parameters and buffers, with their state now."""
    return [(t, state(t)) for t in list(layer.parameters()) + [b for b in layer.buffers() if b is not None]]


@pytest.mark.parametrize("name", sorted(LAYERS))
@settings(max_examples=25)
@given(data=st.data())
def test_layers_give_a_result_or_a_documented_error_and_keep_their_state_when_they_fail(name, data):
    """A layer built and called with an argument replaced gives a result or a documented error (and keeps its
    parameters and buffers when it fails); one built and called as it fits succeeds."""
    cls, args, kwargs, inputs = LAYERS[name](data.draw)
    constructor_changed = False
    if name in CONSTRUCTORS and data.draw(st.booleans()):
        args, kwargs, constructor_changed = data.draw(corrupted(args, kwargs), label="constructor")
        if not check_call(f"{name}.__init__", cls, args, kwargs, must_succeed=not constructor_changed):
            assert constructor_changed
            return  # a corrupted constructor call refused, as it may be
    layer = cls(*args, **kwargs)  # it fits, or was accepted just now: no error allowed
    if data.draw(st.booleans()):
        layer.eval()
    inputs, _, inputs_changed = data.draw(corrupted(inputs, {}, BAD), label="inputs")
    fits = not (constructor_changed or inputs_changed)
    watched = _watched(layer)
    if not check_call(name, layer, inputs, {}, must_succeed=fits):
        assert not fits
        assert_unchanged(watched, f"{name} parameters and buffers")


# ---- modules' backward hooks ----
def _returned(draw, x: Tensor):
    """What a full backward hook (or pre-hook) returns: a fitting replacement, or something that does not fit."""
    return draw(st.sampled_from([
        None, (ag.ones(x.shape),), (ag.ones(x.shape, dtype=ag.float64),), (ag.ones((5,)),), 1.5, (1.5,), (),
        (ag.ones(x.shape), ag.ones(x.shape)), "ab", [ag.ones(x.shape)], (None,), (np.ones(x.shape, np.float32),),
        (ag.ones(x.shape, dtype=ag.int64),), ag.ones(x.shape)]))


@settings(max_examples=60)
@given(data=st.data())
def test_backward_hooks_that_return_what_does_not_fit_get_an_error_naming_the_hook(data):
    """A module's full backward hook or pre-hook may return None or a tuple of gradients that fit (one per input
    or output, each of its tensor's shape and dtype, or None); anything else is refused with an error naming
    the hook, raised by the library, before the input's .grad is touched."""
    layer = nn.Linear(2, 2)
    x = ag.ones((3, 2), requires_grad=True)
    returned = _returned(data.draw, x if data.draw(st.booleans()) else ag.ones((3, 2)))
    pre = data.draw(st.booleans())

    def hook(module, *grads):
        return returned

    (layer.register_full_backward_pre_hook if pre else layer.register_full_backward_hook)(hook)
    watched = [(x, state(x))] + [(p, (p._data.copy(), None, p.version, True)) for p in layer.parameters()]
    try:
        layer(x).sum().backward()
    except DOCUMENTED as error:
        frame = where_raised(error)
        assert frame is not None and frame.filename.startswith(LIBRARY), f"{returned!r}: {error!r} from {frame}"
        assert "hook" in str(error), f"the error does not name the hook: {error}"
        assert_unchanged(watched[:1], f"hook returning {returned!r}")
        for p, (values, _, version, _) in watched[1:]:
            np.testing.assert_array_equal(p._data, values)
            assert p.version == version
    except Exception as error:  # noqa: BLE001 (any other kind is the finding)
        pytest.fail(f"a hook returning {returned!r}: undocumented {type(error).__name__}: {error}")
    else:
        # a hook may send no gradient on (None); any other is the input's shape and dtype
        assert x.grad is None or (x.grad.shape == x.shape and x.grad.dtype == x.dtype)


def test_a_backward_hook_that_changes_the_dtype_is_refused_naming_the_hook():
    layer = nn.Linear(2, 2)

    def widening_hook(module, grad_input, grad_output):
        return (grad_input[0].double(),)

    layer.register_full_backward_hook(widening_hook)
    x = ag.ones((1, 2), requires_grad=True)
    with pytest.raises(RuntimeError, match="widening_hook.*dtype float64.*float32"):
        layer(x).sum().backward()
    assert x.grad is None


def test_a_hook_after_one_that_dropped_the_gradient_is_checked_against_the_gradient_given():
    layer = nn.Linear(2, 2)

    def dropping_hook(module, grad_input, grad_output):
        return (None,)

    def widening_hook(module, grad_input, grad_output):
        return (ag.ones((1, 2), dtype=ag.float64),)

    layer.register_full_backward_hook(dropping_hook)
    layer.register_full_backward_hook(widening_hook)
    with pytest.raises(RuntimeError, match=r"widening_hook \(for grad_input\[0\]\) has changed the type"):
        layer(ag.ones((1, 2), requires_grad=True)).sum().backward()


def test_a_backward_hook_that_returns_a_bare_gradient_is_told_to_return_a_tuple():
    layer = nn.Linear(2, 2)

    def bare_hook(module, grad_input, grad_output):
        return 1.5

    layer.register_full_backward_hook(bare_hook)
    with pytest.raises(TypeError, match="bare_hook returned a float; it must return None or a tuple"):
        layer(ag.ones((1, 2), requires_grad=True)).sum().backward()


# ---- the leaks the audit found, each with its error ----
X, W = ag.ones((1, 2, 4)), ag.ones((3, 2, 2))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: F.conv1d(X, W.numpy()), TypeError, "conv1d: weight must be a Tensor, got ndarray"),
    (lambda: F.conv2d(X.unsqueeze(0), W.unsqueeze(0), 1.0), TypeError, "conv2d: bias must be a Tensor or None"),
    (lambda: F.conv1d(X, W, groups=1.0), TypeError, "conv1d: groups must be an int"),
    (lambda: F.conv1d(X, ag.ones((3, 2, 0))), ValueError, "conv1d: the kernel must not be empty"),
    (lambda: nn.Conv1d(2, 3, 2, padding_mode="reflect")([1.0]), TypeError, "Conv1d: input must be a Tensor"),
    (lambda: F.linear([1.0, 2.0], ag.ones((3, 2))), TypeError, "linear: input must be a Tensor, got list"),
    (lambda: F.batch_norm(X, None, None, training=True, eps="a"), TypeError, "batch_norm: eps must be a number"),
    (lambda: F.batch_norm(X, [0.0, 0.0], None, training=True), TypeError, "batch_norm: running_mean must be a "
                                                                             "Tensor or None"),
    (lambda: F.layer_norm(X, "4"), TypeError, "layer_norm: normalized_shape must be an int"),
    (lambda: F.layer_norm(X, 4.0), TypeError, "layer_norm: normalized_shape must be an int"),
    (lambda: F.group_norm(X, 1.5), TypeError, "group_norm: num_groups must be an int"),
    (lambda: nn.LayerNorm((2, -1)), ValueError, "LayerNorm: normalized_shape must not be negative"),
    (lambda: F.mse_loss(None, X), TypeError, "mse_loss: input must be a Tensor"),
    (lambda: F.huber_loss(X, X, delta="1"), TypeError, "huber_loss: delta must be a number"),
    (lambda: F.cosine_embedding_loss(X, 2.0, ag.ones(1)), TypeError, "cosine_embedding_loss: input2 must be a Tensor"),
    (lambda: F.scaled_dot_product_attention(X, X, 1.0), TypeError, "scaled_dot_product_attention: value must be a "
                                                                     "Tensor"),
    (lambda: F.scaled_dot_product_attention(X, X, X, dropout_p="0.1"), TypeError, "dropout_p must be a number"),
    (lambda: F.dropout(X, "0.5"), TypeError, "dropout: p must be a number"),
    (lambda: F.dropout(X, 1.5), ValueError, "dropout: p must be a probability between 0 and 1, but got 1.5"),
    (lambda: nn.Dropout(-0.1), ValueError, "Dropout: p must be a probability between 0 and 1, but got -0.1"),
    (lambda: ag.randint(0, np.inf, (2,)), TypeError, "randint: high must be an int, got float inf"),
    (lambda: ag.randint(0, 10 ** 30, (2,)), RuntimeError, "randint: .* is not a range of integers that dtype int64"),
    (lambda: ag.rand(10 ** 30), RuntimeError, "rand: a tensor of shape .* is too large"),
    (lambda: ag.zeros(2).uniform_(-np.inf, np.inf), RuntimeError, "uniform_: expects from=-inf and to=inf to be "
                                                                   "finite"),
    (lambda: ag.zeros(2).random_(0, np.inf), TypeError, "random_: to must be an int"),
    (lambda: ag.zeros(2).normal_("0"), TypeError, "normal_: mean must be a number"),
    (lambda: ag.normal("a", 1.0, (2,)), TypeError, "normal: mean must be a number"),
    (lambda: ag.bernoulli(0.5), TypeError, "bernoulli: input must be a Tensor"),
    (lambda: ag.grad("a", ag.ones(1, requires_grad=True)), TypeError, "grad: outputs must be a Tensor or a "
                                                                      "sequence of Tensors, got str"),
    (lambda: ag.grad([ag.ones(1, requires_grad=True)], [1.0]), TypeError, r"grad: inputs\[0\] must be a Tensor"),
    (lambda: ag.grad(ag.ones(1, requires_grad=True), []), RuntimeError, "grad: inputs must not be empty"),
])
def test_each_leak_found_is_a_clear_error_naming_the_op(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_grad_takes_its_inputs_from_any_iterable_of_tensors():
    layer = nn.Linear(2, 1)
    grads = ag.grad(layer(ag.ones((1, 2))).sum(), layer.parameters())
    assert [g.shape for g in grads] == [(1, 2), (1,)]


def test_a_batch_norm_layer_that_fails_counts_no_batch_and_keeps_its_running_statistics():
    layer = nn.BatchNorm1d(2)
    before = [b._data.copy() for b in layer.buffers()]
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        layer(ag.ones((1, 2)))
    for buffer, values in zip(layer.buffers(), before):
        np.testing.assert_array_equal(buffer._data, values)
    layer(ag.ones((2, 2)))
    assert int(layer.num_batches_tracked._data) == 1
