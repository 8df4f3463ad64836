"""Losses: values against numpy formulas for every reduction, gradcheck on drawn shapes, numerical safety with
huge logits and probabilities 0 and 1, PyTorch's options (weight, ignore_index, label_smoothing, pos_weight),
and errors that say what is wrong with a target."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from nn_strategies import distinct_tensors

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor, gradcheck
from autograd.testing import floats, shapes, tensors

REDUCE = {"none": lambda v: v, "mean": np.mean, "sum": np.sum}
reductions = st.sampled_from(list(REDUCE))


def log_softmax_np(x, axis):
    shifted = x - x.max(axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis, keepdims=True))


# ---- distances ----

DISTANCES = {  # name: (function, per-element formula of d = x - y); kinks at d = 0, +-0.5, +-2 are never drawn
    "mse": (F.mse_loss, lambda d: d * d),
    "l1": (F.l1_loss, np.abs),
    "huber": (lambda x, y, r: F.huber_loss(x, y, r, delta=0.5),
              lambda d: np.where(np.abs(d) < 0.5, 0.5 * d * d, 0.5 * (np.abs(d) - 0.25))),
    "smooth_l1": (lambda x, y, r: F.smooth_l1_loss(x, y, r, beta=2.0),
                  lambda d: np.where(np.abs(d) < 2, 0.25 * d * d, np.abs(d) - 1)),
}


@pytest.mark.parametrize("name", DISTANCES)
@settings(max_examples=10)
@given(data=st.data(), reduction=reductions)
def test_distance_losses_values_and_gradcheck(name, data, reduction):
    fn, formula = DISTANCES[name]
    d = data.draw(distinct_tensors(shapes(max_dims=3), bound=5.0, requires_grad=False))
    y = data.draw(tensors(shape=d.shape, elements=floats(-3, 3)))
    x = Tensor(d._data + y._data, requires_grad=True)  # x - y is d (up to rounding), away from the kinks
    np.testing.assert_allclose(fn(x, y, reduction)._data, REDUCE[reduction](formula(x._data - y._data)), rtol=1e-10,
                               atol=1e-12)
    assert gradcheck(lambda x, y: fn(x, y, reduction), (x, y))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threshold", [0.5, 1.0, 1.5])
def test_huber_and_smooth_l1_exactly_at_the_threshold_follow_pytorchs_formula(dtype, threshold):
    """PyTorch: value z < delta ? 0.5 z^2 : delta (z - 0.5 delta) (z = |d|), gradient d < -delta ? -delta :
    d > delta ? delta : d; smooth_l1: z < beta ? 0.5 z^2 / beta : z - 0.5 beta, gradient -1, 1 or d / beta."""
    y = np.array([1.0, -2.0, 0.25, 3.0], dtype=dtype)
    d = np.array([threshold, -threshold, threshold, -threshold], dtype=dtype)  # |d| == delta == beta exactly
    t = dtype(threshold)
    for fn, value, slope in (
            (lambda x: F.huber_loss(x, Tensor(y), "none", delta=threshold), t * (t - dtype(0.5) * t), d),
            (lambda x: F.smooth_l1_loss(x, Tensor(y), "none", beta=threshold), t - dtype(0.5) * t, d / t)):
        x = Tensor(y + d, requires_grad=True)
        assert np.array_equal(x._data - y, d)
        loss = fn(x)
        np.testing.assert_array_equal(loss._data, np.full(4, value, dtype))
        loss.sum().backward()
        assert x.grad.dtype == dtype
        np.testing.assert_array_equal(x.grad._data, slope)


def test_distance_loss_modules_defaults_and_shape_errors():
    x, y = ag.tensor([1.0, 2.0, 5.0]), ag.tensor([1.5, 2.0, 1.0])
    assert nn.MSELoss()(x, y).item() == pytest.approx((0.25 + 16) / 3)
    assert nn.L1Loss(reduction="sum")(x, y).item() == pytest.approx(4.5)
    assert nn.HuberLoss()(x, y).item() == pytest.approx((0.125 + 3.5) / 3)
    assert nn.SmoothL1Loss(beta=0.0)(x, y).item() == pytest.approx(4.5 / 3)  # beta = 0 is l1
    with pytest.raises(ValueError, match=r"mse_loss: target shape \(3, 1\) does not match input shape \(3,\)"):
        F.mse_loss(x, y.reshape(3, 1))
    with pytest.raises(ValueError, match="'avg' is not a valid value for reduction"):
        nn.L1Loss(reduction="avg")


@settings(max_examples=15)
@given(data=st.data(), reduction=reductions, margin=st.sampled_from([0.0, 0.3]))
def test_cosine_embedding_loss_values_and_gradcheck(data, reduction, margin):
    n = data.draw(st.integers(1, 4))
    x1, x2 = data.draw(distinct_tensors((n, 3))), data.draw(distinct_tensors((n, 3)))
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.sampled_from([1, -1])))
    a, b = x1._data, x2._data
    cos = (a * b).sum(1) / np.sqrt(((a * a).sum(1) + 1e-12) * ((b * b).sum(1) + 1e-12))
    per_pair = np.where(labels == 1, 1 - cos, np.maximum(cos - margin, 0))
    loss = F.cosine_embedding_loss(x1, x2, ag.tensor(labels), margin, reduction)
    np.testing.assert_allclose(loss._data, REDUCE[reduction](per_pair), rtol=1e-10, atol=1e-12)
    if np.all(np.abs(cos - margin) > 1e-3):  # away from the hinge
        assert gradcheck(lambda x1, x2: F.cosine_embedding_loss(x1, x2, ag.tensor(labels), margin, reduction),
                         (x1, x2))


def test_cosine_embedding_loss_errors():
    x = ag.ones(2, 3)
    with pytest.raises(ValueError, match=r"target labels must be 1 \(similar\) or -1 \(dissimilar\), got \[0, 1\]"):
        nn.CosineEmbeddingLoss()(x, x, ag.tensor([0, 1]))
    with pytest.raises(ValueError, match=r"target must have shape \(2,\)"):
        F.cosine_embedding_loss(x, x, ag.tensor([1]))


# ---- binary cross-entropy ----

@settings(max_examples=20)
@given(data=st.data(), reduction=reductions, weighted=st.booleans())
def test_bce_on_probabilities_values_and_gradcheck(data, reduction, weighted):
    p = data.draw(tensors(shape=shapes(max_dims=2), elements=floats(0.05, 0.95)))
    y = data.draw(tensors(shape=p.shape, elements=floats(0, 1), requires_grad=False))
    w = data.draw(tensors(shape=p.shape, elements=floats(0, 2), requires_grad=False)) if weighted else None
    per = -(y._data * np.log(p._data) + (1 - y._data) * np.log(1 - p._data)) * (w._data if weighted else 1)
    np.testing.assert_allclose(F.binary_cross_entropy(p, y, w, reduction)._data, REDUCE[reduction](per), rtol=1e-10)
    assert gradcheck(lambda p: F.binary_cross_entropy(p, y, w, reduction), (p,))


def test_bce_at_probabilities_zero_and_one_is_clamped_like_pytorch():
    p = ag.tensor([0.0, 1.0, 0.0, 1.0], requires_grad=True)
    y = ag.tensor([1.0, 0.0, 0.0, 1.0])
    loss = nn.BCELoss(reduction="none")(p, y)
    np.testing.assert_array_equal(loss._data, [100.0, 100.0, 0.0, 0.0])
    loss.sum().backward()
    assert np.isfinite(p.grad._data).all()
    np.testing.assert_allclose(p.grad._data, [-1e12, 1e12, 0.0, 0.0], rtol=1e-6)  # (x - y) / max(x(1-x), 1e-12)


def test_bce_refuses_values_outside_zero_one_and_targets_of_another_shape_or_dtype():
    with pytest.raises(ValueError, match="input values must be probabilities between 0 and 1, got values from -0.5"):
        F.binary_cross_entropy(ag.tensor([-0.5, 0.5]), ag.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"target shape \(2, 1\) does not match input shape \(2,\)"):
        F.binary_cross_entropy(ag.tensor([0.5, 0.5]), ag.tensor([[0.0], [1.0]]))
    with pytest.raises(TypeError, match="target must be a floating tensor of probabilities .* got dtype int64"):
        F.binary_cross_entropy_with_logits(ag.tensor([0.5, 0.5]), ag.tensor([0, 1]))


@settings(max_examples=20)
@given(data=st.data(), reduction=reductions, weighted=st.booleans())
def test_bce_gradient_for_the_target_is_log_1_minus_x_minus_log_x_and_passes_gradcheck(data, reduction, weighted):
    p = data.draw(tensors(shape=shapes(max_dims=2), elements=floats(0.05, 0.95)))
    y = data.draw(tensors(shape=p.shape, elements=floats(0.05, 0.95)))  # a soft target that requires grad
    w = data.draw(tensors(shape=p.shape, elements=floats(0, 2), requires_grad=False)) if weighted else None
    loss = F.binary_cross_entropy(p, y, w, reduction)
    loss.backward(ag.ones_like(loss))
    count = p._data.size if reduction == "mean" else 1
    expected = (np.log(1 - p._data) - np.log(p._data)) * (w._data if weighted else 1) / count
    np.testing.assert_allclose(y.grad._data, expected, rtol=1e-12, atol=1e-15)
    assert gradcheck(lambda p, y: F.binary_cross_entropy(p, y, w, reduction), (p, y))


def test_bce_target_gradient_at_probabilities_zero_and_one_uses_the_clamped_logs():
    # d/dy of -(y max(log x, -100) + (1 - y) max(log(1 - x), -100)): +-100 where a log is clamped
    p, y = ag.tensor([0.0, 1.0, 0.3]), ag.tensor([0.5, 0.5, 1.0], requires_grad=True)
    F.binary_cross_entropy(p, y, reduction="sum").backward()
    np.testing.assert_allclose(y.grad._data, [100.0, -100.0, np.log(0.7 / 0.3)], rtol=1e-6)  # -logit(0.3) inside


@settings(max_examples=20)
@given(data=st.data(), reduction=reductions, use_pos_weight=st.booleans())
def test_bce_with_logits_values_and_gradcheck(data, reduction, use_pos_weight):
    x = data.draw(tensors(shape=shapes(min_dims=1, max_dims=2), elements=floats(-8, 8)))
    y = data.draw(tensors(shape=x.shape, elements=floats(0, 1), requires_grad=False))
    pw = Tensor(np.linspace(0.5, 3, x.shape[-1])) if use_pos_weight else None
    s = 1 / (1 + np.exp(-x._data))
    per = -((pw._data if use_pos_weight else 1) * y._data * np.log(s) + (1 - y._data) * np.log(1 - s))
    loss = F.binary_cross_entropy_with_logits(x, y, reduction=reduction, pos_weight=pw)
    np.testing.assert_allclose(loss._data, REDUCE[reduction](per), rtol=1e-9, atol=1e-12)
    assert gradcheck(lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=reduction, pos_weight=pw),
                     (x, y))


def test_bce_with_logits_of_magnitude_1e4_is_finite_and_exact():
    x = ag.tensor([1e4, -1e4, 1e4, -1e4], requires_grad=True)
    y = ag.tensor([1.0, 0.0, 0.0, 1.0])
    loss = nn.BCEWithLogitsLoss(reduction="none")(x, y)
    np.testing.assert_array_equal(loss._data, [0.0, 0.0, 1e4, 1e4])
    loss.sum().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 0.0, 1.0, -1.0])  # sigmoid(x) - y


# ---- NLL and cross-entropy ----

@st.composite
def classification(draw, ignore=False):
    """logits (N, C) or (N, C, d) or (C,) and integer targets of the matching shape."""
    kind = draw(st.sampled_from(["NC", "NCd", "C"]))
    n, c, d = draw(st.integers(1, 4)), draw(st.integers(2, 4)), draw(st.integers(1, 3))
    shape = {"NC": (n, c), "NCd": (n, c, d), "C": (c,)}[kind]
    logits = draw(tensors(shape=shape, elements=floats(-5, 5)))
    target_shape = shape[:1] + shape[2:] if kind != "C" else ()
    low = -1 if ignore else 0
    target = draw(hnp.arrays(np.int64, target_shape, elements=st.integers(low, c - 1)))
    return logits, np.where(target == -1, -100, target)


def nll_np(log_p, target, weight, reduction, ignore_index=-100):
    dim = 0 if log_p.ndim == 1 else 1
    kept = target != ignore_index
    safe = np.where(kept, target, 0)
    picked = np.take_along_axis(log_p, np.expand_dims(safe, dim), dim).squeeze(dim)
    w = (weight[safe] if weight is not None else np.ones(safe.shape)) * kept
    losses = -picked * w
    return losses.sum() / w.sum() if reduction == "mean" else REDUCE[reduction](losses)


@settings(max_examples=25)
@given(case=classification(ignore=True), reduction=reductions, weighted=st.booleans())
def test_nll_and_cross_entropy_with_class_indices_values_and_gradcheck(case, reduction, weighted):
    logits, target = case
    classes = logits.shape[0 if logits.ndim == 1 else 1]
    weight = np.linspace(0.5, 2.0, classes) if weighted else None
    if reduction == "mean" and not (target != -100).any():
        return  # 0/0 (every target ignored) is nan in PyTorch too
    log_p = log_softmax_np(logits._data, 0 if logits.ndim == 1 else 1)
    expected = nll_np(log_p, target, weight, reduction)
    t, w = ag.tensor(target), None if weight is None else ag.tensor(weight)
    np.testing.assert_allclose(F.cross_entropy(logits, t, w, reduction=reduction)._data, expected, rtol=1e-10)
    np.testing.assert_allclose(F.nll_loss(Tensor(log_p), t, w, reduction=reduction)._data, expected, rtol=1e-10)
    assert gradcheck(lambda x: F.cross_entropy(x, t, w, reduction=reduction), (logits,))
    assert gradcheck(lambda x: F.nll_loss(x, t, w, reduction=reduction), (logits,))


@settings(max_examples=20)
@given(case=classification(ignore=True), reduction=reductions, weighted=st.booleans(),
       eps=st.sampled_from([0.1, 0.3]))
def test_cross_entropy_label_smoothing_follows_pytorchs_formula(case, reduction, weighted, eps):
    logits, target = case
    dim = 0 if logits.ndim == 1 else 1
    classes = logits.shape[dim]
    weight = np.linspace(0.5, 2.0, classes) if weighted else None
    if reduction == "mean" and not (target != -100).any():
        return
    log_p = log_softmax_np(logits._data, dim)
    kept = target != -100
    w_view = (weight if weighted else np.ones(classes)).reshape((-1,) + (1,) * (logits.ndim - dim - 1))
    smooth = np.where(kept, -(log_p * w_view).sum(dim), 0)
    if reduction == "mean":
        divisor = (weight[np.where(kept, target, 0)] * kept).sum() if weighted else kept.sum()
        smooth = smooth.sum() / divisor
    else:
        smooth = REDUCE[reduction](smooth)
    expected = (1 - eps) * nll_np(log_p, target, weight, reduction) + eps / classes * smooth
    t, w = ag.tensor(target), None if weight is None else ag.tensor(weight)
    loss = nn.CrossEntropyLoss(weight=w, reduction=reduction, label_smoothing=eps)
    np.testing.assert_allclose(loss(logits, t)._data, expected, rtol=1e-10)
    assert gradcheck(lambda x: loss(x, t), (logits,))


@settings(max_examples=20)
@given(data=st.data(), reduction=reductions, weighted=st.booleans(), eps=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_with_class_probabilities(data, reduction, weighted, eps):
    logits, _ = data.draw(classification())
    dim = 0 if logits.ndim == 1 else 1
    classes = logits.shape[dim]
    raw = data.draw(hnp.arrays(np.float64, logits.shape, elements=floats(0.01, 1)))
    probs = raw / raw.sum(dim, keepdims=True)
    weight = np.linspace(0.5, 2.0, classes) if weighted else None
    w_view = (weight if weighted else np.ones(classes)).reshape((-1,) + (1,) * (logits.ndim - dim - 1))
    smoothed = probs * (1 - eps) + eps / classes
    per = -(log_softmax_np(logits._data, dim) * smoothed * w_view).sum(dim)
    expected = per.sum() / (logits._data.size / classes) if reduction == "mean" else REDUCE[reduction](per)
    w = None if weight is None else ag.tensor(weight)
    target = Tensor(probs, requires_grad=True)
    loss_fn = lambda x, t: F.cross_entropy(x, t, w, reduction=reduction, label_smoothing=eps)  # noqa: E731
    np.testing.assert_allclose(loss_fn(logits, target)._data, expected, rtol=1e-10)
    assert gradcheck(loss_fn, (logits, target))


def test_cross_entropy_one_hot_probabilities_equal_class_indices():
    logits = ag.randn(5, 4, dtype=np.float64)
    target = ag.tensor([0, 3, 1, 1, 2])
    one_hot = Tensor(np.eye(4)[target._data])
    assert F.cross_entropy(logits, one_hot).item() == pytest.approx(F.cross_entropy(logits, target).item(), rel=1e-12)


def test_cross_entropy_and_log_softmax_with_logits_of_magnitude_1e4_are_finite():
    logits = ag.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, -1e4]], requires_grad=True)
    target = ag.tensor([1, 0, 2])
    loss = nn.CrossEntropyLoss()(logits, target)
    loss.backward()
    assert loss.item() == pytest.approx((2e4 + (2e4 + np.log(2)) + (1e4 + np.log(2))) / 3, rel=1e-6)
    assert np.isfinite(logits.grad._data).all()
    np.testing.assert_allclose(logits.grad._data.sum(1), 0, atol=1e-6)  # softmax - one_hot sums to 0
    log_p = nn.LogSoftmax(dim=1)(logits)
    assert np.isfinite(log_p._data).all()


def test_class_index_target_errors_say_what_is_wrong():
    logits = ag.randn(3, 4)
    with pytest.raises(TypeError, match="float class indices"):
        F.cross_entropy(logits, ag.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(IndexError, match="target 4 is out of bounds for 4 classes"):
        F.cross_entropy(logits, ag.tensor([0, 4, 1]))
    with pytest.raises(IndexError, match="target -1 is out of bounds"):
        nn.NLLLoss()(logits, ag.tensor([0, -1, 1]))
    with pytest.raises(IndexError, match="target -1 is out of bounds"):
        F.cross_entropy(logits, np.array([0, -1, 1], dtype=np.int32))
    with pytest.raises(ValueError, match=r"target shape \(3, 1\) does not match input shape \(3, 4\): class "
                                         r"indices need shape \(3,\)"):
        F.cross_entropy(logits, ag.tensor([[0], [1], [2]]))
    with pytest.raises(ValueError, match=r"weight must have one entry per class, shape \(4,\)"):
        F.cross_entropy(logits, ag.tensor([0, 1, 2]), weight=ag.ones(3))
    with pytest.raises(ValueError, match="label_smoothing must be between 0.0 and 1.0"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="ignore_index is not supported for class-probability targets"):
        F.cross_entropy(logits, ag.ones(3, 4) / 4, ignore_index=0)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_the_usual_cross_entropy_call_is_one_index_node_and_others_take_the_general_node(dtype):
    """(N, C) logits with indices in range, no weights, nothing ignored: IndexCrossEntropy, with the general node's
    values and gradients; an ignored target, class weights or smoothing go to the general node."""
    logits = ag.tensor(np.random.default_rng(0).standard_normal((4, 3)), requires_grad=True)
    target = ag.tensor(np.array([2, 0, 1, 2], dtype=dtype))
    usual = F.cross_entropy(logits, target)
    assert type(usual.grad_fn).__name__ == "IndexCrossEntropy"
    (usual_grad,) = ag.grad(usual, logits)
    general = F.cross_entropy(logits, target, weight=ag.ones(3, dtype=ag.float64))
    assert type(general.grad_fn).__name__ == "_CrossEntropy"
    (general_grad,) = ag.grad(general, logits)
    np.testing.assert_allclose(usual._data, general._data, rtol=1e-15)
    np.testing.assert_allclose(usual_grad._data, general_grad._data, rtol=1e-15, atol=1e-17)
    for other in (F.cross_entropy(logits, ag.tensor([2, 0, -100, 2])), F.cross_entropy(logits, target, ignore_index=1),
                  F.cross_entropy(logits, target, label_smoothing=0.1)):
        assert type(other.grad_fn).__name__ != "IndexCrossEntropy"


def test_loss_module_weights_are_buffers_in_the_state_dict():
    loss = nn.CrossEntropyLoss(weight=ag.tensor([1.0, 2.0]))
    assert list(loss.state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=ag.tensor([3.0])).state_dict()) == ["pos_weight"]
    assert list(nn.CrossEntropyLoss().state_dict()) == []


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_every_target_ignored_gives_a_nan_mean_and_no_gradient(loss):
    # PyTorch: the mean is 0 / 0 = nan, and an ignored sample sends no gradient (zeros, not 0 / 0)
    x = ag.tensor(np.log(np.full((3, 4), 0.25)), requires_grad=True)
    value = loss(x, ag.tensor([-100, -100, -100]))
    assert np.isnan(value.item())
    value.backward()
    np.testing.assert_array_equal(x.grad._data, np.zeros((3, 4)))


@settings(max_examples=40)
@given(case=classification(ignore=True), reduction=reductions, weighted=st.booleans(), upstream=floats(0.5, 2))
def test_cross_entropy_is_log_softmax_then_nll_loss_to_the_bit(case, reduction, weighted, upstream):
    """cross_entropy is one node; log_softmax then nll_loss are two. Values and gradients agree exactly (float32)."""
    logits, target = case
    if reduction == "mean" and not (target != -100).any():
        target = np.zeros_like(target)  # every target ignored: tested on its own above
    classes = logits.shape[0 if logits.ndim == 1 else 1]
    weight = ag.tensor(np.linspace(0.5, 2.0, classes), dtype=np.float32) if weighted else None
    t = ag.tensor(target)
    results = []
    for loss in (lambda x: F.cross_entropy(x, t, weight, reduction=reduction),
                 lambda x: F.nll_loss(F.log_softmax(x, 0 if x.ndim == 1 else 1), t, weight, reduction=reduction)):
        x = ag.tensor(logits._data, dtype=np.float32, requires_grad=True)
        value = loss(x)
        value.backward(ag.full(value.shape, upstream, dtype=np.float32))
        results.append((value._data, x.grad._data))
    (fused, fused_grad), (chained, chained_grad) = results
    np.testing.assert_array_equal(fused, chained)
    np.testing.assert_array_equal(fused_grad, chained_grad)
