"""Convolution (cross-correlation, as in PyTorch): `conv2d` / `Conv2d` and `conv1d` / `Conv1d`.

    out[n, o, i, j] = bias[o] + sum_{c, p, q} weight[o, c, p, q] * x_padded[n, g*C/G + c, i*sh + p*dh, j*sw + q*dw]

where g = o // (O/G) is the group of output channel o: with groups=G the C input and O output channels are split
into G groups, each convolved with its own weights (G = C is the depthwise convolution). It is one node of the
graph (nn.conv_functions): the windows of the padded input copied once into columns, one matrix product per group
(nn.im2col); backward is two matrix products and col2im, which adds every window's gradient back by kernel offset.

A 1-d convolution is the 2-d one over an image one pixel high: (N, C, L) -> (N, C, 1, L), kernel (1, k).
The layers pad with zeros, or (padding_mode) with the input reflected, its edge replicated, or wrapped around
(circular), through F.pad.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.ops.arguments import as_int, as_optional_tensor, as_tensor_argument, check_allocatable
from autograd.ops.joining import pad
from autograd.tensor_class import Tensor
from nn.conv_functions import Convolution
from nn.im2col import Geometry
from nn.linear import reset_affine
from nn.module import Module
from nn.parameter import Parameter
from nn.sliding_windows import pair, single

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _padding(padding: Any, kernel: tuple, dilation: tuple, stride: tuple, op: str) -> tuple[tuple[int, int], ...]:
    """(before, after) per spatial dimension from an int, a tuple, 'valid' (none) or 'same' (output size = input
    size: the total d*(k - 1) split as PyTorch, the odd pixel of an even kernel after)."""
    if padding == "valid":
        return ((0, 0),) * len(kernel)
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
        return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))
    if isinstance(padding, str):
        raise ValueError(f"{op}: padding must be an int, a tuple of ints, 'valid' or 'same', got {padding!r}")
    widths = pair(padding, "padding", op) if len(kernel) == 2 else (single(padding, "padding", op),)
    if min(widths) < 0:
        raise ValueError(f"{op}: padding must be non-negative, got {padding!r}")
    return tuple((p, p) for p in widths)


def _convolve(input: Tensor, weight: Tensor, bias: Tensor | None, stride: tuple[int, int], padding: Any,
              dilation: tuple[int, int], groups: int, op: str) -> Tensor:
    """The convolution of a batch (N, C, H, W) with weight (O, C/groups, kh, kw), once the shapes are checked."""
    (_, _, h, w), (_, _, kh, kw) = input.shape, weight.shape
    if not (kh and kw):
        raise ValueError(f"{op}: the kernel must not be empty, got weight of shape {weight.shape}")
    (top, bottom), (left, right) = _padding(padding, (kh, kw), dilation, stride, op)
    geometry = Geometry((kh, kw), stride, dilation, (top, bottom, left, right), int(groups))
    oh, ow = geometry.output_size(h, w)
    if oh < 1 or ow < 1:
        raise ValueError(f"{op}: the padded input ({h + top + bottom} x {w + left + right}) is smaller than the "
                         f"dilated kernel ({dilation[0] * (kh - 1) + 1} x {dilation[1] * (kw - 1) + 1})")
    return Convolution.apply(input, weight, bias, geometry)


def _check(input: Tensor, weight: Tensor, bias: Tensor | None, groups: int, dims: str, op: str) -> int:
    """The type and shape checks of a convolution over `dims` ('H, W' or 'L'), naming what does not fit."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor))):
        as_tensor_argument(input, "input", op)  # the error names the argument that is not a Tensor
        as_tensor_argument(weight, "weight", op)
        as_optional_tensor(bias, "bias", op)
    spatial = len(dims.split(", "))
    if weight.ndim != 2 + spatial:
        raise ValueError(f"{op}: weight must have shape (out_channels, in_channels/groups, {dims}), got "
                         f"{weight.shape}")
    if input.ndim not in (1 + spatial, 2 + spatial):
        raise ValueError(f"{op}: expected an input of shape (N, C, {dims}) or (C, {dims}), got {input.shape}")
    if type(groups) is not int:
        groups = as_int(groups, "groups", op)
    if groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    c, (o, wc) = input.shape[-1 - spatial], weight.shape[:2]
    if c != wc * groups:
        raise ValueError(f"{op}: the input has {c} channels (shape {input.shape}) but the weight expects "
                         f"{wc * groups} (weight shape {weight.shape}" + (f", groups={groups})" if groups > 1 else ")"))
    if o % groups:
        raise ValueError(f"{op}: the weight's {o} output channels can not be split into groups={groups}")
    if bias is not None and bias.shape != (o,):
        raise ValueError(f"{op}: bias must have shape ({o},) for {o} output channels, got {bias.shape}")
    return groups


def _positive(values: tuple[int, ...], name: str, op: str) -> None:
    if min(values) < 1:
        raise ValueError(f"{op}: {name} must be positive, got {values}")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """Convolve a batch (N, C, H, W) (or one image (C, H, W)) with weight (O, C/groups, kh, kw): output
    (N, O, OH, OW). padding: an int, a pair, 'valid' or 'same'."""
    stride, dilation = pair(stride, "stride", "conv2d"), pair(dilation, "dilation", "conv2d")
    _positive(stride, "stride", "conv2d")
    _positive(dilation, "dilation", "conv2d")
    groups = _check(input, weight, bias, groups, "H, W", "conv2d")
    if input.ndim == 3:
        return _convolve(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups, "conv2d").squeeze(0)
    return _convolve(input, weight, bias, stride, padding, dilation, groups, "conv2d")


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """Convolve a batch (N, C, L) (or one sequence (C, L)) with weight (O, C/groups, k): output (N, O, OL).
    padding: an int, 'valid' or 'same'."""
    stride, dilation = single(stride, "stride", "conv1d"), single(dilation, "dilation", "conv1d")
    _positive((stride, dilation), "stride and dilation", "conv1d")
    groups = _check(input, weight, bias, groups, "L", "conv1d")
    padding = padding if isinstance(padding, str) else (0, single(padding, "padding", "conv1d"))
    image = input.unsqueeze(-2)
    if image.ndim == 3:
        image = image.unsqueeze(0)
    out = _convolve(image, weight.unsqueeze(2), bias, (1, stride), padding, (1, dilation), groups, "conv1d")
    return out.squeeze(-2) if input.ndim == 3 else out.squeeze(-2).squeeze(0)


class _Conv(Module):
    """What Conv1d and Conv2d share. Settings are kept as tuples, one entry per spatial dimension, as PyTorch.

    weight (out_channels, in_channels/groups, *kernel_size), bias (out_channels,), initialised as PyTorch:
    weight ~ kaiming_uniform(a=sqrt(5)), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
    fan_in = in_channels/groups * prod(kernel_size), and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    """

    spatial: int  # how many spatial dimensions
    convolve: Any  # the functional form

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros") -> None:
        super().__init__()
        name = type(self).__name__
        in_channels, out_channels = as_int(in_channels, "in_channels", name), as_int(out_channels, "out_channels", name)
        groups = as_int(groups, "groups", name)
        if groups < 1:
            raise ValueError(f"{name}: groups must be a positive integer, got {groups!r}")
        if in_channels < 0 or out_channels < 0:
            raise ValueError(f"{name}: in_channels and out_channels must be non-negative, got {in_channels} and "
                             f"{out_channels}")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels must be divisible by groups (got {in_channels} and {groups})")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels must be divisible by groups (got {out_channels} and {groups})")
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {list(PADDING_MODES)}, got {padding_mode!r}")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = self._tuple(kernel_size, "kernel_size")
        self.stride = self._tuple(stride, "stride")
        self.padding = padding if isinstance(padding, str) else self._tuple(padding, "padding")
        self.dilation = self._tuple(dilation, "dilation")
        self.padding_mode = padding_mode
        for setting in ("kernel_size", "stride", "dilation"):
            _positive(getattr(self, setting), setting, name)
        _padding(self.padding, self.kernel_size, self.dilation, self.stride, name)  # refuse a bad padding now
        shape = check_allocatable((out_channels, in_channels // groups, *self.kernel_size), name)
        self.weight = Parameter(np.empty(shape, dtype=get_default_dtype()))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=get_default_dtype()))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _tuple(self, value: Any, name: str) -> tuple[int, ...]:
        op = type(self).__name__
        return pair(value, name, op) if self.spatial == 2 else (single(value, name, op),)

    def reset_parameters(self) -> None:
        reset_affine(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        if self.padding_mode == "zeros":
            return self.convolve(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                                 self.groups)
        as_tensor_argument(input, "input", type(self).__name__)
        widths = _padding(self.padding, self.kernel_size, self.dilation, self.stride, type(self).__name__)
        padded = pad(input, [w for side in reversed(widths) for w in side], mode=self.padding_mode)
        return self.convolve(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self.spatial:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.spatial:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv2d(_Conv):
    """A 2-d convolution layer over (N, C, H, W) input: weight (out_channels, in_channels/groups, kh, kw)."""

    spatial = 2
    convolve = staticmethod(conv2d)


class Conv1d(_Conv):
    """A 1-d convolution layer over (N, C, L) input: weight (out_channels, in_channels/groups, k)."""

    spatial = 1
    convolve = staticmethod(conv1d)
