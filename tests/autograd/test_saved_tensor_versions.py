"""Every tensor an op keeps for backward is version-checked, integer and boolean ones included: index tensors,
masks and class targets changed in place between forward and backward make backward raise PyTorch's error
instead of computing a gradient from the new values."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

CHANGED = (r"one of the variables needed for gradient computation has been modified by an inplace operation: "
           r"\[(int64|bool) tensor of shape \(\d+(, \d+)?,?\)\] saved by \w+ is at version 1; expected version 0 "
           r"instead")


def _x():
    return ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)


def _take_rows(x, index):
    return x[index]


def _put_rows(x, index):
    y = x * 1
    y[index] = ag.tensor([10.0, 20.0, 30.0])
    return y


def _gather(x, index):
    return ag.gather(x, 1, index)


def _where(x, mask):
    return ag.where(mask, x, 0.0)


def _masked_fill(x, mask):
    return x.masked_fill(mask, 0.0)


def _embedding(x, index):
    return F.embedding(index, x)


def _cross_entropy(x, target):
    return F.cross_entropy(x, target)


def _cross_entropy_smoothed(x, target):
    return F.cross_entropy(x, target, label_smoothing=0.1)


def _nll_loss(x, target):
    return F.nll_loss(x, target)


CASES = [  # (op, the saved integer or boolean tensor, an in-place change of it)
    (_take_rows, lambda: ag.tensor([1, 0, 1]), lambda t: t.mul_(0)),
    (_take_rows, lambda: ag.tensor([True, False]), lambda t: t.__setitem__(1, True)),
    (_put_rows, lambda: ag.tensor([1]), lambda t: t.sub_(1)),
    (_gather, lambda: ag.tensor([[0, 2], [1, 1]]), lambda t: t.__setitem__((0, 0), 1)),
    (_where, lambda: ag.tensor([[True, False, True], [False, True, False]]), lambda t: t.__setitem__((1, 1), False)),
    (_masked_fill, lambda: ag.tensor([[True, False, True], [False, True, False]]),
     lambda t: t.__setitem__((0, 0), False)),
    (_embedding, lambda: ag.tensor([[0, 1], [1, 1]]), lambda t: t.__setitem__((0, 0), 1)),
    (_cross_entropy, lambda: ag.tensor([2, 0]), lambda t: t.__setitem__(0, 1)),
    (_cross_entropy_smoothed, lambda: ag.tensor([2, 0]), lambda t: t.__setitem__(0, 1)),
    (_nll_loss, lambda: ag.tensor([2, 0]), lambda t: t.mul_(0)),
]


@pytest.mark.parametrize(("op", "make_saved", "change"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_a_saved_integer_or_boolean_tensor_changed_in_place_makes_backward_raise(op, make_saved, change):
    x, saved = _x(), make_saved()
    y = op(x, saved).sum()
    change(saved)
    assert saved.version == 1
    with pytest.raises(RuntimeError, match=CHANGED):
        y.backward()
    assert x.grad is None


@pytest.mark.parametrize(("op", "make_saved", "change"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_a_change_before_forward_is_no_change_of_what_was_saved(op, make_saved, change):
    x, saved = _x(), make_saved()
    change(saved)
    op(x, saved).sum().backward()  # saved at version 1, still at version 1: no error
    assert x.grad.shape == x.shape


def test_the_expected_version_is_the_one_at_saving():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = ag.tensor([2, 0])
    index.add_(0)
    index.add_(0)  # version 2 before forward
    y = x[index].sum()
    index.add_(0)
    with pytest.raises(RuntimeError, match=r"\[int64 tensor of shape \(2,\)\] saved by GetItemBackward is at "
                                           r"version 3; expected version 2 instead"):
        y.backward()


def test_gradients_with_unchanged_integer_tensors_are_those_of_the_forward_values():
    """The checks cost no correctness: with nothing changed, gradients are the closed forms (numpy below)."""
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = ag.tensor([2, 2, 0])
    (x[index] * ag.tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [100.0, 0.0, 11.0])
    logits = ag.tensor([[0.0, 0.0], [0.0, 0.0]], requires_grad=True)
    F.cross_entropy(logits, ag.tensor([1, 0]), reduction="sum").backward()
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5], [-0.5, 0.5]])


def test_an_embedding_layer_refuses_its_indices_changed_before_backward():
    layer = nn.Embedding(4, 2)
    tokens = ag.tensor([[0, 3], [2, 2]])
    loss = layer(tokens).sum()
    tokens[1, 1] = 0
    with pytest.raises(RuntimeError, match=CHANGED):
        loss.backward()
    assert layer.weight.grad is None


def test_create_graph_checks_the_saved_index_too():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = ag.tensor([0, 0, 2])
    (g,) = ag.grad((x[index] ** 2).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [4.0, 0.0, 6.0])  # 2 * (1 + 1), 0, 2 * 3
    y = (x[index] ** 2).sum()
    index.sub_(0)
    with pytest.raises(RuntimeError, match=CHANGED):
        ag.grad(y, x, create_graph=True)


class _FlattenSavingItsOutput(ag.Function):
    """A user op whose output is a view of its input, and which saves that output for backward."""

    @staticmethod
    def forward(ctx, x):
        y = x.reshape(-1)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return (grad * y).reshape(2, 2)


def test_a_saved_output_that_is_a_view_is_checked_through_the_counter_it_shares_with_its_input():
    x = ag.ones(2, 2, requires_grad=True)
    out = _FlattenSavingItsOutput.apply(x)
    with ag.no_grad():
        out.mul_(5)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    assert x.grad is None


@pytest.mark.parametrize("op", [lambda a, b: ag.maximum(a, b), lambda a, b: ag.minimum(a, b),
                                lambda a, b: a ** b, lambda a, b: a.clamp(min=b)],
                         ids=["maximum", "minimum", "pow", "clamp"])
def test_ops_whose_masks_are_made_in_backward_refuse_an_operand_changed_before_it(op):
    """The masks of these derivatives come from the saved operands in backward, so an operand changed in place
    after forward would give wrong masks: backward refuses it, as PyTorch does."""
    a = ag.tensor([0.5, 2.0, 3.0], requires_grad=True)
    b = ag.tensor([1.0, 1.0, 4.0])
    out = op(a * 1, b)
    b.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
