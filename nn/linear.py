"""Affine layers: `linear` / `Linear` (y = x W^T + b), `Identity`, and `Maxout` (the max of several affine maps)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.function import Function
from autograd.ops.arguments import as_optional_tensor, as_tensor_argument
from autograd.tensor_class import Tensor
from nn import init
from nn.module import Module
from nn.parameter import Parameter


class Affine(Function, on_arrays=True):
    """y = x W^T + b over the last dimension of x, in one node (as PyTorch's addmm), so that backward makes
    each gradient directly in its parameter's layout:

        dL/dx = G W,   dL/dW = G^T x,   dL/db = sum of G        (G = dL/dy, leading dimensions flattened)
    """

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        # one 2-D product: numpy's stacked matmul of (N, L, in) by a transposed weight does not call BLAS (10x slower)
        out = (x if x.ndim == 2 else x.reshape(-1, x.shape[-1])) @ weight.T
        if bias is not None:
            out += bias
        return out if x.ndim == 2 else out.reshape(*x.shape[:-1], weight.shape[0])

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        to_x, to_weight, to_bias = ctx.parents  # None where no gradient is wanted
        rows = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        inputs = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
        return ((rows @ weight).reshape(x.shape) if to_x is not None else None,
                rows.T @ inputs if to_weight is not None else None,
                rows.sum(0) if to_bias is not None else None)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b over the last dimension of x: (*, in_features) -> (*, out_features), W of shape (out, in)."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor))):
        as_tensor_argument(input, "input", "linear")  # the error names the argument that is not a Tensor
        as_tensor_argument(weight, "weight", "linear")
        as_optional_tensor(bias, "bias", "linear")
    shape, w_shape = input._data.shape, weight._data.shape
    if len(w_shape) != 2:
        raise ValueError(f"linear: weight must have shape (out_features, in_features), got {w_shape}")
    if not shape or shape[-1] != w_shape[1]:
        raise ValueError(f"linear: the input's last dimension must be in_features={w_shape[1]} (weight shape "
                         f"{w_shape}), got an input of shape {shape}")
    if bias is not None and bias._data.shape != (w_shape[0],):
        raise ValueError(f"linear: bias must have shape ({w_shape[0]},), got {bias._data.shape}")
    if len(shape) == 1:
        return Affine.apply(input.unsqueeze(0), weight, bias).squeeze(0)
    if not w_shape[1] and len(shape) > 2:  # no features: the rows can not be counted from a reshape to (-1, 0)
        return linear(input.reshape(math.prod(shape[:-1]), 0), weight, bias).reshape(*shape[:-1], w_shape[0])
    return Affine.apply(input, weight, bias)


def reset_affine(weight: Parameter, bias: Parameter | None) -> None:
    """PyTorch's default for Linear and Conv layers (their reset_parameters): W ~ kaiming_uniform(a=sqrt(5)) =
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), then b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with nn.init's fan_in
    (in_features, or in_channels * kh * kw for a convolution's weight)."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = init._fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(bias, -bound, bound)


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. for a removed layer); accepts and ignores any arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x W^T + b with weight (out_features, in_features) and bias (out_features,), initialised as PyTorch."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(np.empty((out_features, in_features), dtype=get_default_dtype()))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=get_default_dtype()))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        reset_affine(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Maxout(Module):
    """Maxout (Goodfellow et al., 2013): y_k = max over j < pieces of (W_j x + b_j)_k.

    With pieces=2 this is the lecture's max(w1.x + b1, w2.x + b2). The `pieces` affine maps are held in one
    weight (out_features * pieces, in_features) (row k * pieces + j is piece j of output k), initialised as
    Linear's. The gradient of each output goes to the piece that is largest (shared evenly on a tie).
    """

    def __init__(self, in_features: int, out_features: int, pieces: int = 2, bias: bool = True) -> None:
        super().__init__()
        if pieces < 1:
            raise ValueError(f"Maxout: pieces must be at least 1, got {pieces}")
        self.in_features, self.out_features, self.pieces = in_features, out_features, pieces
        self.weight = Parameter(np.empty((out_features * pieces, in_features), dtype=get_default_dtype()))
        if bias:
            self.bias = Parameter(np.empty(out_features * pieces, dtype=get_default_dtype()))
        else:
            self.register_parameter("bias", None)
        reset_affine(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        affine = linear(input, self.weight, self.bias)
        return affine.reshape(*affine.shape[:-1], self.out_features, self.pieces).amax(-1)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, pieces={self.pieces}, "
                f"bias={self.bias is not None}")
