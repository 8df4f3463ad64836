"""The convolution as one graph node, and its two derivatives as nodes too (so that gradients of gradients work).

With y = conv(x, W) + b (cross-correlation, nn.conv), the three maps

    Convolution            (x, W) -> y        y[n, o] = sum_{c, p, q} W[o, c, p, q] x_padded[n, c, i*sh + p*dh, ...]
    ConvolutionInputGrad   (G, W) -> dL/dx    the transposed convolution: col2im(W^T G)
    ConvolutionWeightGrad  (x, G) -> dL/dW    sum over samples of G columns(x)^T

are bilinear, and each one's derivative is made of the three again:

    Convolution:           dL/dx = InputGrad(G, W),       dL/dW = WeightGrad(x, G),  dL/db = sum of G over N, OH, OW
    InputGrad (out = dx):  dL/dG = Convolution(H, W),     dL/dW = WeightGrad(H, G)   (H = the gradient of dx)
    WeightGrad (out = dW): dL/dx = InputGrad(G, H),       dL/dG = Convolution(x, H)  (H = the gradient of dW)

The work on arrays is in nn.im2col (the windows copied once per few samples, a matrix product, col2im by kernel
offset).
"""
from __future__ import annotations

from autograd.function import Function
from autograd.ops import dual
from nn import im2col


class Convolution(Function, on_arrays=True):
    """y = conv(x, W) + b;  dL/dx = ConvolutionInputGrad(G, W), dL/dW = ConvolutionWeightGrad(x, G),
    dL/db = sum of G over N, OH, OW."""

    @staticmethod
    def forward(ctx, x, weight, bias, geometry: im2col.Geometry):
        ctx.save_for_backward(x, weight)
        ctx.geometry = geometry
        return im2col.convolve(x, weight, bias, geometry)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        dx, dw, db = ctx.needs_input_grad[:3]
        return (dual.apply(ConvolutionInputGrad, grad, weight, ctx.geometry, x.shape) if dx else None,
                dual.apply(ConvolutionWeightGrad, x, grad, ctx.geometry, weight.shape) if dw else None,
                grad.sum(axis=(0, 2, 3)) if db else None, None)


class ConvolutionInputGrad(Function, on_arrays=True):
    """dx = col2im(W^T G), the transposed convolution;  with H = dL/d(dx): dL/dG = conv(H, W),
    dL/dW = ConvolutionWeightGrad(H, G)."""

    @staticmethod
    def forward(ctx, grad, weight, geometry: im2col.Geometry, input_shape: tuple):
        ctx.save_for_backward(grad, weight)
        ctx.geometry = geometry
        return im2col.input_grad(grad, weight, geometry, input_shape)

    @staticmethod
    def backward(ctx, outer):
        grad, weight = ctx.saved_tensors
        dg, dw = ctx.needs_input_grad[:2]
        return (dual.apply(Convolution, outer, weight, None, ctx.geometry) if dg else None,
                dual.apply(ConvolutionWeightGrad, outer, grad, ctx.geometry, weight.shape) if dw else None,
                None, None)


class ConvolutionWeightGrad(Function, on_arrays=True):
    """dW = sum over samples of G columns(x)^T;  with H = dL/d(dW): dL/dx = ConvolutionInputGrad(G, H),
    dL/dG = conv(x, H)."""

    @staticmethod
    def forward(ctx, x, grad, geometry: im2col.Geometry, weight_shape: tuple):
        ctx.save_for_backward(x, grad)
        ctx.geometry = geometry
        return im2col.weight_grad(x, grad, geometry, weight_shape)

    @staticmethod
    def backward(ctx, outer):
        x, grad = ctx.saved_tensors
        dx, dg = ctx.needs_input_grad[:2]
        return (dual.apply(ConvolutionInputGrad, grad, outer, ctx.geometry, x.shape) if dx else None,
                dual.apply(Convolution, x, outer, None, ctx.geometry) if dg else None,
                None, None)
