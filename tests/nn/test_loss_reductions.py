"""reduction='mean' to the last bit in float32: for every loss it is the 'none' losses added up and divided by
their count (by W, the sum of the class weights of the samples kept, for nll_loss and cross_entropy), one
rounding for the sum and one for the division, as PyTorch computes it."""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn.functional as F
from autograd import Tensor
from autograd.testing import floats, shapes, tensors

f32 = np.float32


def mean_as_sum_over(none: Tensor, divisor) -> np.float32:
    """One rounding for the float32 sum of the 'none' losses, one for the division (no reciprocal)."""
    return f32(none._data.sum(dtype=f32) / f32(divisor))


def assert_bit_equal(got: Tensor, expected) -> None:
    assert got.dtype == np.float32
    assert got._data.tobytes() == np.asarray(expected, dtype=f32).tobytes(), (repr(got._data), repr(expected))


ELEMENTWISE = {
    "mse_loss": F.mse_loss,
    "l1_loss": F.l1_loss,
    "huber_loss": lambda x, y, reduction: F.huber_loss(x, y, reduction, delta=0.7),
    "smooth_l1_loss": lambda x, y, reduction: F.smooth_l1_loss(x, y, reduction, beta=0.3),
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
}


@settings(max_examples=15, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(ELEMENTWISE)))
def test_elementwise_losses_mean_is_sum_divided_by_count(data, name):
    x = data.draw(tensors(np.float32, shapes(min_dims=1, max_dims=3, max_side=6), floats(-3, 3, np.float32)))
    y = data.draw(tensors(np.float32, x.shape, floats(0, 1, np.float32)))
    fn = ELEMENTWISE[name]
    assert_bit_equal(fn(x, y, reduction="mean"), mean_as_sum_over(fn(x, y, reduction="none"), x._data.size))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), weighted=st.booleans())
def test_bce_mean_is_sum_divided_by_count(data, weighted):
    p = data.draw(tensors(np.float32, shapes(min_dims=1, max_dims=3, max_side=6), floats(0.0625, 0.9375, np.float32)))
    y = data.draw(tensors(np.float32, p.shape, floats(0, 1, np.float32), requires_grad=False))
    w = data.draw(tensors(np.float32, p.shape, floats(0, 2, np.float32))) if weighted else None
    assert_bit_equal(F.binary_cross_entropy(p, y, w, reduction="mean"),
                     mean_as_sum_over(F.binary_cross_entropy(p, y, w, reduction="none"), p._data.size))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), weighted=st.booleans())
def test_bce_with_logits_weighted_mean_is_sum_divided_by_count(data, weighted):
    x = data.draw(tensors(np.float32, shapes(min_dims=1, max_dims=2, max_side=6), floats(-4, 4, np.float32)))
    y = data.draw(tensors(np.float32, x.shape, floats(0, 1, np.float32)))
    w = data.draw(tensors(np.float32, x.shape, floats(0, 2, np.float32))) if weighted else None
    pw = Tensor(np.linspace(0.5, 3, x.shape[-1], dtype=f32))
    fn = F.binary_cross_entropy_with_logits
    assert_bit_equal(fn(x, y, w, "mean", pw), mean_as_sum_over(fn(x, y, w, "none", pw), x._data.size))


@settings(max_examples=15, deadline=None)
@given(data=st.data(), margin=st.sampled_from([0.0, 0.3]))
def test_cosine_embedding_loss_mean_is_sum_divided_by_count(data, margin):
    a = data.draw(tensors(np.float32, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6), floats(-3, 3, np.float32)))
    b = data.draw(tensors(np.float32, a.shape, floats(-3, 3, np.float32)))
    labels = data.draw(hnp.arrays(np.int64, a.shape[:1], elements=st.sampled_from([-1, 1])))
    fn = F.cosine_embedding_loss
    assert_bit_equal(fn(a, b, labels, margin, "mean"), mean_as_sum_over(fn(a, b, labels, margin, "none"), len(a)))


@st.composite
def class_scores(draw):
    """float32 scores (N, C) or (N, C, d), integer targets (some of them -100, ignored) and optional class weights."""
    n, c, d = draw(st.integers(1, 9)), draw(st.integers(2, 5)), draw(st.integers(1, 3))
    shape = draw(st.sampled_from([(n, c), (n, c, d)]))
    scores = draw(tensors(np.float32, shape, floats(-5, 5, np.float32)))
    target = draw(hnp.arrays(np.int64, shape[:1] + shape[2:], elements=st.integers(-1, c - 1)))
    target = np.where(target == -1, -100, target)
    target[(0,) * target.ndim] = max(target[(0,) * target.ndim], 0)  # at least one sample kept: W > 0
    weight = draw(st.none() | hnp.arrays(np.float32, (c,), elements=floats(0.125, 3, np.float32)))
    return scores, target, weight


def total_weight(target: np.ndarray, weight: np.ndarray | None) -> np.float32:
    """W: the float32 sum of w[y_i] over the samples that are not ignored (1 each without class weights)."""
    kept = target != -100
    per_sample = kept if weight is None else weight[np.where(kept, target, 0)] * kept
    return per_sample.astype(f32).sum()


NLL_1ULP_CASE = (Tensor(np.array([[0.4116305410861969, 0.0], [-0.12853465974330902, 0.0],
                                  [-0.6651946902275085, 0.0]], dtype=f32)), np.zeros(3, dtype=np.int64), None)


@settings(max_examples=40, deadline=None)
@given(case=class_scores())
@example(case=NLL_1ULP_CASE)  # sum * (1/3) is 1 ulp above sum / 3 here
@example(case=(Tensor(np.array([[0.3, -1.2], [2.5, 0.7], [-0.9, 1.1]], dtype=f32)), np.array([0, 1, 1]),
               np.array([0.7, 1.3], dtype=f32)))
def test_nll_loss_mean_and_its_gradient_divide_by_the_total_weight(case):
    scores, target, weight = case
    x = Tensor(scores._data, requires_grad=True)
    w = None if weight is None else Tensor(weight)
    W = total_weight(target, weight)
    loss = F.nll_loss(x, target, w, reduction="mean")
    assert_bit_equal(loss, mean_as_sum_over(F.nll_loss(x, target, w, reduction="none"), W))
    loss.backward()
    kept = target != -100
    sample_weights = (kept if weight is None else weight[np.where(kept, target, 0)] * kept).astype(f32)
    expected = np.zeros_like(scores._data)
    np.put_along_axis(expected, np.expand_dims(np.where(kept, target, 0), 1),
                      np.expand_dims(-sample_weights / W, 1), 1)  # -w_i / W, divided, not times 1 / W
    assert x.grad._data.tobytes() == expected.tobytes()


@settings(max_examples=30, deadline=None)
@given(case=class_scores())
@example(case=NLL_1ULP_CASE)
def test_cross_entropy_mean_is_sum_divided_by_the_total_weight(case):
    scores, target, weight = case
    w = None if weight is None else Tensor(weight)
    none = F.cross_entropy(scores, target, w, reduction="none")
    assert_bit_equal(F.cross_entropy(scores, target, w), mean_as_sum_over(none, total_weight(target, weight)))


@settings(max_examples=30, deadline=None)
@given(case=class_scores(), eps=st.sampled_from([0.1, 0.25]))
def test_cross_entropy_label_smoothing_mean_divides_both_parts_by_the_same_total_weight(case, eps):
    """PyTorch: (1 - eps) nll_loss(mean) + eps / C * (sum of the smoothing terms) / W, W as nll_loss's."""
    scores, target, weight = case
    classes = scores.shape[1]
    w = None if weight is None else Tensor(weight)
    W = total_weight(target, weight)
    log_p = F.log_softmax(scores, 1)
    nll_mean = mean_as_sum_over(F.nll_loss(log_p, target, w, reduction="none"), W)
    w_view = (np.ones(classes, f32) if weight is None else weight).reshape((-1,) + (1,) * (scores.ndim - 2))
    smooth = np.where(target != -100, -(log_p._data * w_view).sum(1), f32(0))
    smooth_mean = mean_as_sum_over(Tensor(smooth), W)
    expected = f32(1 - eps) * nll_mean + smooth_mean * f32(eps / classes)
    assert_bit_equal(F.cross_entropy(scores, target, w, label_smoothing=eps), expected)


@settings(max_examples=15, deadline=None)
@given(case=class_scores(), eps=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_with_class_probabilities_mean_is_sum_divided_by_samples(case, eps):
    scores, _, weight = case
    probs = Tensor(F.softmax(scores * 0.5, 1)._data)
    w = None if weight is None else Tensor(weight)
    samples = scores._data.size // scores.shape[1]
    assert_bit_equal(F.cross_entropy(scores, probs, w, label_smoothing=eps),
                     mean_as_sum_over(F.cross_entropy(scores, probs, w, reduction="none", label_smoothing=eps),
                                      samples))
