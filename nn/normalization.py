"""Normalisation layers: batch normalisation (`batch_norm`, `BatchNorm1d`, `BatchNorm2d`), `layer_norm` /
`LayerNorm` and `group_norm` / `GroupNorm`. All compute

    y = (x - mean) / sqrt(var + eps) * weight + bias        (var the biased variance, divided by n)

BatchNorm takes mean and var per channel (dimension 1) over the batch and any spatial dimensions while
training, and keeps running estimates for evaluation:

    running = (1 - momentum) * running + momentum * batch_statistic   (running_var uses the unbiased variance)

(momentum=None: the cumulative average of all batch statistics so far). BatchNorm is one node with its closed-form
derivative (nn.batch_norm).

LayerNorm takes them per sample over the last dimensions (normalized_shape), the same in training and eval.
GroupNorm takes them per sample and per group of channels (the C channels split into num_groups groups of
consecutive channels) over the group's channels and all spatial dimensions, the same in training and eval; its
weight and bias are per channel.
The gradients come from the composed Tensor ops (mean, var, sqrt, division), so they are exact and can be
differentiated again; LayerNorm is one node with its derivative (nn.layer_norm), for speed.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.arguments import (
    as_flag,
    as_int,
    as_number,
    as_optional_tensor,
    as_tensor_argument,
    check_allocatable,
)
from autograd.tensor_class import Tensor
from nn.batch_norm import BatchNorm, reduced_dims
from nn.layer_norm import fused_layer_norm
from nn.module import Module
from nn.parameter import Parameter


def normalized(shape: Any, op: str) -> tuple[int, ...]:
    """normalized_shape (an int, or a sequence of non-negative ints) as a tuple."""
    if hasattr(shape, "__iter__") and not isinstance(shape, (str, bytes)):
        dims = tuple(as_int(d, "normalized_shape", op) for d in shape)
    else:
        dims = (as_int(shape, "normalized_shape", op),)
    if min(dims, default=0) < 0:
        raise ValueError(f"{op}: normalized_shape must not be negative, got {list(dims)}")
    return check_allocatable(dims, op)


def _normalize(x: Tensor, mean: Tensor, var: Tensor, eps: float) -> Tensor:
    return (x - mean) / (var + eps).sqrt()


def _affine(x: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple) -> Tensor:
    if weight is not None:
        x = x * weight.reshape(shape)
    if bias is not None:
        x = x + bias.reshape(shape)
    return x


def _check_batch(input: Tensor) -> None:
    """Statistics of a single value per channel are refused (its variance would be 0, or 0/0 unbiased)."""
    if input._data.size // max(input.shape[1], 1) <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalisation of (N, C) or (N, C, *) input per channel C.

    training: batch statistics are used, and running_mean / running_var (if given) are updated in place.
    not training: running_mean / running_var are used.
    """
    op = "batch_norm"
    as_tensor_argument(input, "input", op)
    training, eps = as_flag(training, "training", op), as_number(eps, "eps", op)
    momentum = as_number(momentum, "momentum", op)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, ...), got {input.shape}")
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if as_optional_tensor(t, name, op) is not None and t.shape != (channels,):
            raise ValueError(f"batch_norm: {name} has shape {t.shape}, but the input (shape {input.shape}) has "
                             f"{channels} channels in dimension 1")
    dims = reduced_dims(input.ndim)
    if training:
        _check_batch(input)
        mean, var = input._data.mean(axis=dims), input._data.var(axis=dims)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are needed when not training")
        mean, var = running_mean._data, running_var._data
    invstd = 1 / np.sqrt(var + var.dtype.type(eps))
    # copies: the running statistics may change in place before backward reads them
    out = BatchNorm.apply(input, weight, bias, mean.astype(input.dtype), invstd.astype(input.dtype), training, eps)
    if training:  # the running statistics change only once the output is made
        if running_mean is not None:
            running_mean._data[...] = (1 - momentum) * running_mean._data + momentum * mean
            running_mean.bump_version()
        if running_var is not None:
            count = input._data.size // channels
            running_var._data[...] = (1 - momentum) * running_var._data + momentum * var * (count / (count - 1))
            running_var.bump_version()
    return out


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input shapes they accept."""

    input_dims: tuple[int, ...] = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True) -> None:
        super().__init__()
        name = type(self).__name__
        num_features, eps = as_int(num_features, "num_features", name), as_number(eps, "eps", name)
        if num_features < 0:
            raise ValueError(f"{name}: num_features must not be negative, got {num_features}")
        check_allocatable((num_features,), name)
        if momentum is not None:
            momentum = as_number(momentum, "momentum", name)
        affine = as_flag(affine, "affine", name)
        track_running_stats = as_flag(track_running_stats, "track_running_stats", name)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=get_default_dtype()))
            self.bias = Parameter(np.zeros(num_features, dtype=get_default_dtype()))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=get_default_dtype())))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=get_default_dtype())))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def forward(self, input: Tensor) -> Tensor:
        name = type(self).__name__
        if as_tensor_argument(input, "input", name).ndim not in self.input_dims:
            raise ValueError(f"{name}: expected a {' or '.join(f'{d}D' for d in self.input_dims)} input, "
                             f"got shape {input.shape}")
        if input.shape[1] != self.num_features:
            raise ValueError(f"{name}: expected {self.num_features} channels in dimension 1, got input of shape "
                             f"{input.shape}")
        factor = 0.0 if self.momentum is None else self.momentum
        counting = self.training and self.track_running_stats
        if counting and self.momentum is None:  # a cumulative moving average: the mean of all batch statistics
            factor = 1.0 / (float(self.num_batches_tracked._data) + 1)
        # Batch statistics while training, or always when no running statistics are kept.
        out = batch_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                         self.training or not self.track_running_stats, factor, self.eps)
        if counting:  # the batch counts once batch_norm has succeeded
            self.num_batches_tracked._data += 1
            self.num_batches_tracked.bump_version()
        return out

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input, per channel C."""

    input_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input, per channel C."""

    input_dims = (4,)


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each sample over its last len(normalized_shape) dimensions, which must equal normalized_shape."""
    as_tensor_argument(input, "input", "layer_norm")
    shape, eps = normalized(normalized_shape, "layer_norm"), as_number(eps, "eps", "layer_norm")
    k = len(shape)
    if k == 0 or input.ndim < k or input.shape[input.ndim - k:] != shape:
        raise ValueError(f"layer_norm: the input's last dimensions must be normalized_shape={list(shape)}, got an "
                         f"input of shape {input.shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if as_optional_tensor(t, name, "layer_norm") is not None and t.shape != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, got {t.shape}")
    return fused_layer_norm(input, weight, bias, tuple(range(input.ndim - k, input.ndim)), eps)  # one node


class LayerNorm(Module):
    """Layer normalisation (Ba et al., 2016) over the last dimensions; weight ones and bias zeros at first."""

    def __init__(self, normalized_shape: Any, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True) -> None:
        super().__init__()
        self.normalized_shape = normalized(normalized_shape, "LayerNorm")
        self.eps = as_number(eps, "eps", "LayerNorm")
        self.elementwise_affine = as_flag(elementwise_affine, "elementwise_affine", "LayerNorm")
        bias = as_flag(bias, "bias", "LayerNorm")
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=get_default_dtype()))
        else:
            self.register_parameter("weight", None)
        if elementwise_affine and bias:
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype=get_default_dtype()))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise (N, C, *) input per sample over each of num_groups groups of C/num_groups channels (and all
    spatial positions), then scale and shift each channel by weight and bias (shape (C,))."""
    as_tensor_argument(input, "input", "group_norm")
    num_groups, eps = as_int(num_groups, "num_groups", "group_norm"), as_number(eps, "eps", "group_norm")
    if input.ndim < 2:
        raise ValueError(f"group_norm: expected an input of shape (N, C, ...), got {input.shape}")
    n, channels = input.shape[:2]
    if num_groups < 1 or channels % num_groups:
        raise ValueError(f"group_norm: the input's {channels} channels (shape {input.shape}) can not be split into "
                         f"num_groups={num_groups!r} groups of the same size")
    for name, t in (("weight", weight), ("bias", bias)):
        if as_optional_tensor(t, name, "group_norm") is not None and t.shape != (channels,):
            raise ValueError(f"group_norm: {name} must have shape ({channels},) for an input of shape "
                             f"{input.shape}, got {t.shape}")
    groups = input.reshape(n, num_groups, input._data.size // max(n * num_groups, 1))
    mean = groups.mean(-1, keepdim=True)
    var = groups.var(-1, unbiased=False, keepdim=True)
    normalized = _normalize(groups, mean, var, eps).reshape(input.shape)
    return _affine(normalized, weight, bias, (1, channels) + (1,) * (input.ndim - 2))


class GroupNorm(Module):
    """Group normalisation (Wu and He, 2018) of (N, C, *) input; weight ones and bias zeros (C,) at first."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True) -> None:
        super().__init__()
        num_groups = as_int(num_groups, "num_groups", "GroupNorm")
        num_channels = as_int(num_channels, "num_channels", "GroupNorm")
        eps, affine = as_number(eps, "eps", "GroupNorm"), as_flag(affine, "affine", "GroupNorm")
        if num_groups < 1 or num_channels < 0 or num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels must be divisible by num_groups (got num_channels="
                             f"{num_channels}, num_groups={num_groups})")
        check_allocatable((num_channels,), "GroupNorm")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        if affine:
            self.weight = Parameter(np.ones(num_channels, dtype=get_default_dtype()))
            self.bias = Parameter(np.zeros(num_channels, dtype=get_default_dtype()))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        if as_tensor_argument(input, "input", "GroupNorm").ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(f"GroupNorm: expected an input of shape (N, {self.num_channels}, ...), got "
                             f"{input.shape}")
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
