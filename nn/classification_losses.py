"""Classification losses: binary_cross_entropy (on probabilities), binary_cross_entropy_with_logits,
nll_loss (on log-probabilities) and cross_entropy (on logits, = log_softmax then nll_loss).

None of them takes the log of a probability that may have rounded to 0: cross_entropy goes through
log_softmax (x - logsumexp x), the logits form of BCE through logsigmoid, and BCE on probabilities clamps
its logs at -100 as PyTorch does. Targets of the wrong kind get an error that says what is wrong: float
class indices, an index out of range, a shape that does not fit.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import require_floating
from autograd.function import Function
from autograd.ops import dual
from autograd.ops.arguments import as_number
from autograd.ops.arithmetic import where
from autograd.ops.softmax import LogSoftmax, log_softmax_array
from autograd.tensor_class import Tensor
from nn.activation_functions import logsigmoid
from nn.class_targets import (
    ClassTargets,
    along_class_dim,
    check_indices,
    class_dim,
    class_targets,
    class_weights,
    sample_weights_of,
)
from nn.index_cross_entropy import IndexCrossEntropy, flat_class_indices
from nn.reduction import check_reduction, reduce


def _as_tensor(value: Any, like: Tensor) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value, dtype=like.dtype)


def _same_shape(input: Tensor, target: Tensor, op: str) -> None:
    if target.shape != input.shape:
        raise ValueError(f"{op}: target shape {target.shape} does not match input shape {input.shape}; "
                         "they must be the same")
    if target.dtype.kind != "f":
        raise TypeError(f"{op}: target must be a floating tensor of probabilities (0 or 1 for hard labels), got "
                        f"dtype {target.dtype}; convert it with target.float()")


class _BinaryCrossEntropy(Function, on_arrays=True):
    """l = -(y max(log x, -100) + (1 - y) max(log(1 - x), -100));
    dl/dx = (x - y) / max(x (1 - x), 1e-12) (PyTorch's form, finite at x = 0 and x = 1);
    dl/dy = max(log(1 - x), -100) - max(log x, -100) (= -logit(x) for x in (0, 1), as PyTorch)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore"):  # log 0 = -inf, clamped just below
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        return -(y * log_x + (1 - y) * log_1mx)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dx, dy = ctx.needs_input_grad
        grad_x = grad * (x - y) / dual.maximum(x * (1 - x), 1e-12) if dx else None
        if not dy:
            return grad_x, None
        with np.errstate(divide="ignore"):  # log 0 = -inf, clamped as in forward
            log_x, log_1mx = dual.maximum(dual.log(x), -100), dual.maximum(dual.log(1 - x), -100)
        return grad_x, grad * (log_1mx - log_x)


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None, reduction: str = "mean") -> Tensor:
    """-w (y log x + (1 - y) log(1 - x)) for probabilities x in [0, 1], with each log clamped at -100.

    The target may require grad too (soft targets that are learned): dl/dy = w (log(1 - x) - log x).
    """
    check_reduction(reduction)
    target = _as_tensor(target, input)
    _same_shape(input, target, "binary_cross_entropy")
    if input._data.size and (input._data.min() < 0 or input._data.max() > 1 or np.isnan(input._data).any()):
        raise ValueError(f"binary_cross_entropy: input values must be probabilities between 0 and 1, got values "
                         f"from {input._data.min()} to {input._data.max()} (for logits use "
                         "binary_cross_entropy_with_logits)")
    loss = _BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * _as_tensor(weight, input)
    return reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Any, weight: Any = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:
    """BCE on logits x (probabilities sigmoid(x)), in the stable form

        l = (1 - y) x - (1 + (pw - 1) y) logsigmoid(x)       (pw = pos_weight, 1 when not given)
        dl/dx = (1 + (pw - 1) y) sigmoid(x) - pw y

    pos_weight (broadcast along the last dimension, one per class) weighs the positive examples.
    """
    check_reduction(reduction)
    target = _as_tensor(target, input)
    _same_shape(input, target, "binary_cross_entropy_with_logits")
    log_p = logsigmoid(input)
    if pos_weight is None:
        loss = (1 - target) * input - log_p
    else:
        loss = (1 - target) * input - (1 + (_as_tensor(pos_weight, input) - 1) * target) * log_p
    if weight is not None:
        loss = loss * _as_tensor(weight, input)
    return reduce(loss, reduction)


class _NegativeLogLikelihood(Function, on_arrays=True):
    """l_i = -w_i x[i, y_i] per sample; 'sum' adds them, 'mean' divides the sum by W = sum_i w_i.

    dl/dx[i, c] = -w_i where c = y_i, else 0 (divided by W for 'mean').
    """

    @staticmethod
    def forward(ctx, log_p, targets: ClassTargets, target):
        loss, coefficients = _negative_log_likelihood(log_p, targets)
        ctx.per_sample = _per_sample_shape(log_p.shape, targets)
        ctx.shape, ctx.targets, ctx.coefficients = log_p.shape, targets, coefficients
        ctx.save_for_backward(target)  # the target as given: refused if changed in place before backward
        return loss

    @staticmethod
    def backward(ctx, grad):
        (_,) = ctx.saved_tensors  # reading the target checks that it is unchanged
        return grad.reshape(ctx.per_sample) * _scattered(ctx.coefficients, ctx.shape, ctx.targets), None, None


class _CrossEntropy(Function, on_arrays=True):
    """log_softmax then nll_loss in one node (the usual classification loss, so kept cheap):

        l_i = -w_i log p_i[y_i],  p_i = softmax(x_i);   dl_i/dx_i = w_i (p_i - onehot(y_i))

    ('mean' divides by W = sum_i w_i, as nll_loss). The log-probabilities are those of log_softmax, bit for bit,
    and so is the gradient: nll_loss's gradient g, then log_softmax's g - p * sum_c g_c.
    """

    @staticmethod
    def forward(ctx, x, targets: ClassTargets, target):
        log_p = log_softmax_array(x, targets.dim)
        loss, coefficients = _negative_log_likelihood(log_p, targets)
        ctx.dim, ctx.per_sample = targets.dim, _per_sample_shape(x.shape, targets)
        ctx.save_for_backward(x, target)  # the target as given: refused if changed in place before backward
        ctx.log_p, ctx.targets, ctx.coefficients = log_p, targets, coefficients  # the gradient is made in backward
        return loss

    @staticmethod
    def backward(ctx, grad):
        x, _ = ctx.saved_tensors
        # recorded (Tensor form): the log-probabilities as a function of x, to be differentiated again
        log_p = LogSoftmax.apply(x, ctx.dim) if isinstance(x, Tensor) else ctx.log_p
        per_sample, coefficients = grad.reshape(ctx.per_sample), ctx.coefficients
        picked = _scattered(coefficients, log_p.shape, ctx.targets)
        spread = np.expand_dims(coefficients, ctx.dim) if coefficients.ndim else coefficients
        return per_sample * picked - dual.exp(log_p) * (per_sample * spread), None, None


def _negative_log_likelihood(log_p: np.ndarray, targets: ClassTargets) -> tuple[np.ndarray, np.ndarray]:
    """The loss from log-probabilities, and its coefficients: d loss / d log_p[i, y_i] per sample, -w_i (or
    -w_i / W for 'mean'; a 0-d -1 or -1 / N when every sample weighs 1)."""
    weights, ignored = targets.weights, targets.ignored
    if weights is None:
        losses = -log_p[targets.positions]
        coefficients, total = np.array(-1, dtype=log_p.dtype), log_p.dtype.type(losses.size)
    else:
        losses = log_p[targets.positions] * -weights
        if ignored is not None:  # an ignored sample adds 0, even where its picked log-probability is -inf
            losses = np.where(ignored, 0, losses)
        coefficients, total = -weights, weights.sum()
    if targets.reduction != "mean":
        return (losses if targets.reduction == "none" else losses.sum()), coefficients
    if total != 0:
        return losses.sum() / total, coefficients / total
    with np.errstate(divide="ignore", invalid="ignore"):  # nothing weighs anything: 0 / 0, a nan loss as PyTorch
        loss, coefficients = losses.sum() / total, coefficients / total
    if ignored is not None:  # and, as there, no gradient for an ignored sample (rather than 0 / 0)
        coefficients = np.where(ignored, 0, coefficients)
    return loss, coefficients


def _per_sample_shape(shape: tuple, targets: ClassTargets) -> tuple:
    """The shape the loss's gradient takes to broadcast against the input: each sample's own gradient with a
    size-1 class dimension for 'none', one number otherwise."""
    if targets.reduction != "none":
        return ()
    return shape[:targets.dim] + (1,) + shape[targets.dim + 1:]


def _scattered(values: np.ndarray, shape: tuple, targets: ClassTargets) -> np.ndarray:
    """An array of the input's shape holding each sample's value at its target, 0 elsewhere."""
    scattered = np.zeros(shape, dtype=values.dtype)
    scattered[targets.positions] = values
    return scattered


def nll_loss(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """-w[y_i] * input[i, y_i] for log-probabilities input (N, C) (or (C,), or (N, C, d1, ...)) and class
    indices y; 'mean' divides by the sum of w[y_i] over the samples whose target is not ignore_index."""
    check_reduction(reduction)
    require_floating(input, "nll_loss")
    dim = class_dim(input, "nll_loss")
    indices, ignored = check_indices(input, target, dim, ignore_index, "nll_loss")
    weights = class_weights(weight, input.shape[dim], input, "nll_loss")
    targets = class_targets(indices, ignored, weights, dim, reduction, input.dtype)
    return _NegativeLogLikelihood.apply(input, targets, target if isinstance(target, Tensor) else indices)


def cross_entropy(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy on logits input (N, C) (or (C,), or (N, C, d1, ...)): log_softmax over the
    class dimension, then

    class indices y (integers):  nll_loss, mixed with label smoothing eps as
        (1 - eps) nll + eps/C * (sum over classes of -w_c log p_c; 'mean' divides it as nll's mean does)
    class probabilities (input's shape, floats), with eps: y (1 - eps) + eps/C, then
        -sum_c w_c y_c log p_c per sample; 'mean' divides by the number of samples.

    d/dlogits = softmax(x) - y for one-hot y: finite for logits of any size.
    """
    check_reduction(reduction)
    require_floating(input, "cross_entropy")
    if weight is None and label_smoothing == 0.0 and len(input._data.shape) == 2:  # the usual case: one cheap node
        flat = flat_class_indices(input, target, ignore_index)
        if flat is not None:
            return IndexCrossEntropy.apply(input, target, flat, reduction)
    if not 0.0 <= as_number(label_smoothing, "label_smoothing", "cross_entropy") <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    dim = class_dim(input, "cross_entropy")
    classes = input.shape[dim]
    weights = class_weights(weight, classes, input, "cross_entropy")
    target_array = np.asarray(target._data if isinstance(target, Tensor) else target)
    if target_array.dtype.kind == "f" and target_array.shape == input.shape:
        return _cross_entropy_probabilities(LogSoftmax.apply(input, dim), _as_tensor(target, input), weights,
                                            ignore_index, reduction, label_smoothing)
    indices, ignored = check_indices(input, target_array, dim, ignore_index, "cross_entropy")
    targets = class_targets(indices, ignored, weights, dim, reduction, input.dtype)
    given = target if isinstance(target, Tensor) else indices
    if label_smoothing == 0.0:
        return _CrossEntropy.apply(input, targets, given)
    log_p = LogSoftmax.apply(input, dim)
    nll = _NegativeLogLikelihood.apply(log_p, targets, given)
    kept = target_array != ignore_index
    weighted = log_p if weights is None else log_p * Tensor._wrap(along_class_dim(weights, input))
    smooth = where(kept, -weighted.sum(dim), 0.0)
    if reduction == "mean":  # divided by nll's W, as PyTorch does
        smooth = smooth.sum() / sample_weights_of(np.where(kept, indices, 0), kept, weights, input.dtype).sum()
    else:
        smooth = reduce(smooth, reduction)
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / classes)


def _cross_entropy_probabilities(log_p: Tensor, target: Tensor, weights: np.ndarray | None, ignore_index: int,
                                 reduction: str, label_smoothing: float) -> Tensor:
    if ignore_index >= 0:
        raise ValueError("cross_entropy: ignore_index is not supported for class-probability targets")
    dim = class_dim(log_p, "cross_entropy")
    classes = log_p.shape[dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = log_p * target
    if weights is not None:
        terms = terms * Tensor._wrap(along_class_dim(weights, log_p))
    losses = -terms.sum(dim)
    if reduction == "mean":
        return losses.sum() / (log_p._data.size // classes if classes else 0)  # no class: nan, as PyTorch
    return reduce(losses, reduction)
