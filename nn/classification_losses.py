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

from autograd.function import Function
from autograd.ops.arithmetic import maximum, where
from autograd.ops.softmax import LogSoftmax, log_softmax_array, softmax
from autograd.tensor import Tensor
from nn.activation_functions import logsigmoid
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


class _BinaryCrossEntropy(Function):
    """l = -(y max(log x, -100) + (1 - y) max(log(1 - x), -100));
    dl/dx = (x - y) / max(x (1 - x), 1e-12) (PyTorch's form, finite at x = 0 and x = 1);
    dl/dy = max(log(1 - x), -100) - max(log x, -100) (= -logit(x) for x in (0, 1), as PyTorch)."""

    @staticmethod
    def forward(ctx, x: Tensor, y: Tensor) -> np.ndarray:
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore"):  # log 0 = -inf, clamped just below
            log_x = np.maximum(np.log(x.data), -100)
            log_1mx = np.maximum(np.log1p(-x.data), -100)
        return -(y.data * log_x + (1 - y.data) * log_1mx)

    @staticmethod
    def backward(ctx, grad: Tensor):
        x, y = ctx.saved_tensors
        dx, dy = ctx.needs_input_grad
        grad_x = grad * (x - y) / maximum(x * (1 - x), 1e-12) if dx else None
        if not dy:
            return grad_x, None
        with np.errstate(divide="ignore"):  # log 0 = -inf, clamped as in forward
            log_x, log_1mx = maximum(x.log(), -100), maximum((1 - x).log(), -100)
        return grad_x, grad * (log_1mx - log_x)


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None, reduction: str = "mean") -> Tensor:
    """-w (y log x + (1 - y) log(1 - x)) for probabilities x in [0, 1], with each log clamped at -100.

    The target may require grad too (soft targets that are learned): dl/dy = w (log(1 - x) - log x).
    """
    check_reduction(reduction)
    target = _as_tensor(target, input)
    _same_shape(input, target, "binary_cross_entropy")
    if input.data.size and (input.data.min() < 0 or input.data.max() > 1 or np.isnan(input.data).any()):
        raise ValueError(f"binary_cross_entropy: input values must be probabilities between 0 and 1, got values "
                         f"from {input.data.min()} to {input.data.max()} (for logits use "
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


def _class_dim(input: Tensor, op: str) -> int:
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have a class dimension: (C,), (N, C) or (N, C, d1, ...); got a 0-d input")
    return 0 if input.ndim == 1 else 1


def _class_indices(input: Tensor, target: Any, dim: int, ignore_index: int, op: str
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """The target as an integer array of input's shape without the class dimension `dim`, every index in
    range or ignore_index; and where it is ignore_index (a boolean array), or None where no target is."""
    indices = np.asarray(target.data if isinstance(target, Tensor) else target)
    classes = input.shape[dim]
    expected = input.shape[:dim] + input.shape[dim + 1:]
    if indices.dtype.kind == "f" and indices.shape == expected:
        raise TypeError(f"{op}: got float class indices (dtype {indices.dtype}); class indices must be an integer "
                        "tensor (use target.long())")
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must hold class indices (an integer dtype) of shape {expected}, got dtype "
                        f"{indices.dtype} and shape {indices.shape}")
    if indices.shape != expected:
        raise ValueError(f"{op}: target shape {indices.shape} does not match input shape {input.shape}: class "
                         f"indices need shape {expected} (the input's shape without its class dimension {dim})")
    in_range = indices.size == 0 or (np.minimum.reduce(indices, None) >= 0
                                     and np.maximum.reduce(indices, None) < classes)
    if in_range and not 0 <= ignore_index < classes:  # the usual case: every class in range, none ignored
        return indices, None
    ignored = indices == ignore_index
    bad = ~ignored & ((indices < 0) | (indices >= classes))
    if bad.any():
        raise IndexError(f"{op}: target {indices[bad].flat[0]} is out of bounds for {classes} classes (class "
                         f"indices go from 0 to {classes - 1}; ignore_index is {ignore_index})")
    return indices, ignored if ignored.any() else None


def _class_weights(weight: Any, classes: int, like: Tensor, op: str) -> np.ndarray | None:
    if weight is None:
        return None
    weights = np.asarray(weight.data if isinstance(weight, Tensor) else weight, dtype=like.dtype)
    if weights.shape != (classes,):
        raise ValueError(f"{op}: weight must have one entry per class, shape ({classes},), got {weights.shape}")
    return weights


def _along_class_dim(values: np.ndarray, input: Tensor) -> np.ndarray:
    """A per-class vector shaped to broadcast against input along its class dimension."""
    dim = _class_dim(input, "")
    return values.reshape((-1,) + (1,) * (input.ndim - dim - 1))


class _NegativeLogLikelihood(Function):
    """l_i = -w_i x[i, y_i] per sample; 'sum' adds them, 'mean' divides the sum by W = sum_i w_i.

    dl/dx[i, c] = -w_i where c = y_i, else 0 (divided by W for 'mean').
    """

    @staticmethod
    def forward(ctx, input: Tensor, targets: tuple, sample_weights: np.ndarray | None, dim: int, reduction: str,
                ignored: np.ndarray | None) -> np.ndarray:
        return _negative_log_likelihood(ctx, input.data, targets, sample_weights, dim, reduction, ignored)

    @staticmethod
    def backward(ctx, grad: Tensor):
        per_sample = grad.unsqueeze(ctx.dim) if ctx.reduction == "none" else grad
        return per_sample * Tensor._wrap(_scattered(ctx, ctx.coefficients)), None, None, None, None, None

    @staticmethod
    def array_backward(ctx, grad: np.ndarray):
        return _scattered(ctx, grad * ctx.coefficients), None, None, None, None, None


class _CrossEntropy(Function):
    """log_softmax then nll_loss in one node (the usual classification loss, so kept cheap):

        l_i = -w_i log p_i[y_i],  p_i = softmax(x_i);   dl_i/dx_i = w_i (p_i - onehot(y_i))

    ('mean' divides by W = sum_i w_i, as nll_loss). The log-probabilities are those of log_softmax, bit for bit.
    """

    @staticmethod
    def forward(ctx, input: Tensor, targets: tuple, sample_weights: np.ndarray | None, dim: int, reduction: str,
                ignored: np.ndarray | None) -> np.ndarray:
        ctx.save_for_backward(input)
        ctx.log_p = log_softmax_array(input.data, dim)
        return _negative_log_likelihood(ctx, ctx.log_p, targets, sample_weights, dim, reduction, ignored)

    @staticmethod
    def backward(ctx, grad: Tensor):
        x, = ctx.saved_tensors
        per_sample = grad.unsqueeze(ctx.dim) if ctx.reduction == "none" else grad
        g = per_sample * Tensor._wrap(_scattered(ctx, ctx.coefficients))  # what nll_loss would pass to log_softmax
        g_sum = per_sample * Tensor._wrap(_with_class_dim(ctx.coefficients, ctx.dim))  # g summed over the classes
        return g - softmax(x, ctx.dim) * g_sum, *(None,) * 5

    @staticmethod
    def array_backward(ctx, grad: np.ndarray):
        g_sum = grad * ctx.coefficients  # per sample, as above
        d = np.exp(ctx.log_p) * -_with_class_dim(g_sum, ctx.dim)
        d[ctx.targets] += g_sum  # the numbers of log_softmax's backward after nll_loss's: g - p * g_sum
        return d, *(None,) * 5

    def release(self) -> None:
        super().release()
        self.log_p = None


def _negative_log_likelihood(ctx: Function, log_p: np.ndarray, targets: tuple, sample_weights: np.ndarray | None,
                             dim: int, reduction: str, ignored: np.ndarray | None) -> np.ndarray:
    """The loss from log-probabilities (sample_weights None: every sample weighs 1); ctx keeps what backward
    needs, the coefficients -w_i (-w_i / W for 'mean')."""
    ctx.shape, ctx.targets, ctx.dim, ctx.reduction = log_p.shape, targets, dim, reduction
    if sample_weights is None:
        losses = -log_p[targets]
        ctx.coefficients, total = np.array(-1, dtype=log_p.dtype), log_p.dtype.type(losses.size)
    else:
        losses = log_p[targets] * -sample_weights
        if ignored is not None:  # an ignored sample adds 0, even where its picked log-probability is -inf
            losses = np.where(ignored, 0, losses)
        ctx.coefficients, total = -sample_weights, sample_weights.sum()
    if reduction != "mean":
        return losses if reduction == "none" else losses.sum()
    if total != 0:
        return _mean(ctx, losses, total)
    with np.errstate(divide="ignore", invalid="ignore"):  # nothing weighs anything: 0 / 0, a nan loss as PyTorch
        loss = _mean(ctx, losses, total)
    if ignored is not None:  # and, as there, no gradient for an ignored sample (rather than 0 / 0)
        ctx.coefficients = np.where(ignored, 0, ctx.coefficients)
    return loss


def _mean(ctx: Function, losses: np.ndarray, total: np.ndarray) -> np.ndarray:
    """'mean': the sum of the losses divided by W, and the coefficients with it."""
    ctx.coefficients = ctx.coefficients / total
    return losses.sum() / total


def _scattered(ctx: Function, values: np.ndarray) -> np.ndarray:
    """An array of the input's shape holding each sample's value at its target, 0 elsewhere."""
    scattered = np.zeros(ctx.shape, dtype=ctx.coefficients.dtype)
    scattered[ctx.targets] = values
    return scattered


def _with_class_dim(values: np.ndarray, dim: int) -> np.ndarray:
    """Per-sample values with a size-1 class dimension, to broadcast against the input."""
    return values.reshape(values.shape[:dim] + (1,) + values.shape[dim:])


def _target_positions(indices: np.ndarray, dim: int) -> tuple:
    """The index that picks input[i, y_i] (input[i, y_i, j, ...] for more dimensions) for every sample at once:
    the sample's own position in every dimension but the class dimension `dim`, which gets its target."""
    positions = [np.arange(n).reshape((-1,) + (1,) * (indices.ndim - k - 1)) for k, n in enumerate(indices.shape)]
    return (*positions[:dim], indices, *positions[dim:])


def nll_loss(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """-w[y_i] * input[i, y_i] for log-probabilities input (N, C) (or (C,), or (N, C, d1, ...)) and class
    indices y; 'mean' divides by the sum of w[y_i] over the samples whose target is not ignore_index."""
    check_reduction(reduction)
    dim = _class_dim(input, "nll_loss")
    indices, ignored = _class_indices(input, target, dim, ignore_index, "nll_loss")
    weights = _class_weights(weight, input.shape[dim], input, "nll_loss")
    return _checked_nll_loss(input, indices, ignored, weights, dim, reduction)


def _checked_nll_loss(input: Tensor, indices: np.ndarray, ignored: np.ndarray | None, weights: np.ndarray | None,
                      dim: int, reduction: str, node: type[Function] = _NegativeLogLikelihood) -> Tensor:
    """nll_loss (or, with node=_CrossEntropy, cross_entropy) of arguments already checked: indices in range
    where not `ignored`, weights one per class."""
    if ignored is None:
        safe, sample_weights = indices, None if weights is None else weights[indices]
    else:
        safe = np.where(ignored, 0, indices)
        sample_weights = _sample_weights(safe, ~ignored, weights, input.dtype)
    return node.apply(input, _target_positions(safe, dim), sample_weights, dim, reduction, ignored)


def _sample_weights(indices: np.ndarray, kept: np.ndarray, weights: np.ndarray | None, dtype: np.dtype) -> np.ndarray:
    """w[y_i] for every sample (1 without class weights), 0 where y_i is ignored (`kept` is False; there `indices`
    must hold a valid class, any); 'mean' divides by their sum."""
    return (kept if weights is None else weights[indices] * kept).astype(dtype)


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
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    dim = _class_dim(input, "cross_entropy")
    classes = input.shape[dim]
    weights = _class_weights(weight, classes, input, "cross_entropy")
    target_array = np.asarray(target.data if isinstance(target, Tensor) else target)
    if target_array.dtype.kind == "f" and target_array.shape == input.shape:
        return _cross_entropy_probabilities(LogSoftmax.apply(input, dim), _as_tensor(target, input), weights,
                                            ignore_index, reduction, label_smoothing)
    indices, ignored = _class_indices(input, target_array, dim, ignore_index, "cross_entropy")
    if label_smoothing == 0.0:
        return _checked_nll_loss(input, indices, ignored, weights, dim, reduction, node=_CrossEntropy)
    log_p = LogSoftmax.apply(input, dim)
    nll = _checked_nll_loss(log_p, indices, ignored, weights, dim, reduction)
    kept = target_array != ignore_index
    weighted = log_p if weights is None else log_p * Tensor._wrap(_along_class_dim(weights, input))
    smooth = where(kept, -weighted.sum(dim), 0.0)
    if reduction == "mean":  # divided by nll's W, as PyTorch does
        smooth = smooth.sum() / _sample_weights(np.where(kept, indices, 0), kept, weights, input.dtype).sum()
    else:
        smooth = reduce(smooth, reduction)
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / classes)


def _cross_entropy_probabilities(log_p: Tensor, target: Tensor, weights: np.ndarray | None, ignore_index: int,
                                 reduction: str, label_smoothing: float) -> Tensor:
    if ignore_index >= 0:
        raise ValueError("cross_entropy: ignore_index is not supported for class-probability targets")
    dim = _class_dim(log_p, "cross_entropy")
    classes = log_p.shape[dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = log_p * target
    if weights is not None:
        terms = terms * Tensor._wrap(_along_class_dim(weights, log_p))
    losses = -terms.sum(dim)
    if reduction == "mean":
        return losses.sum() / (log_p.data.size // classes)
    return reduce(losses, reduction)
