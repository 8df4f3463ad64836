"""A tensor autograd engine: Tensors record a define-by-run graph; backward applies the chain rule through it.

Every module of the package imports only modules below it (grad_mode, tensor_class, function, ops, engine),
so that they load in any order; Tensor's methods reach their ops through the `ops` package at call time.
"""
import numpy as np

from autograd.drawing import draw_graph, save_graph
from autograd.engine import backward, grad
from autograd.factories import (
    arange,
    empty,
    eye,
    full,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from autograd.function import AccumulateGrad, Function
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.ops.arithmetic import add, div, maximum, minimum, mul, neg, pow, sub, where
from autograd.ops.broadcast import expand
from autograd.ops.indexing import gather
from autograd.ops.joining import cat, chunk, pad, split, stack
from autograd.ops.linalg import matmul
from autograd.ops.reduction import amax, amin, argmax, argmin, logsumexp, max, mean, min, prod, std, sum, var
from autograd.ops.shape import flatten, permute, reshape, squeeze, transpose, unsqueeze
from autograd.ops.softmax import log_softmax, softmax
from autograd.ops.unary import abs, clamp, cos, exp, log, relu, sigmoid, sin, sqrt, tanh
from autograd.tensor_class import Tensor

float32, float64, int64, bool_ = np.float32, np.float64, np.int64, np.bool_  # dtypes, compared with ==

__all__ = [
    "AccumulateGrad", "Function", "GradcheckError", "Tensor",
    "abs", "add", "amax", "amin", "arange", "argmax", "argmin", "backward", "bool_", "cat", "chunk", "clamp", "cos",
    "div", "draw_graph", "empty", "enable_grad", "exp", "expand", "eye", "flatten", "float32", "float64", "full",
    "gather", "grad", "gradcheck", "gradgradcheck", "int64", "is_grad_enabled", "linspace", "log", "log_softmax",
    "logsumexp", "manual_seed", "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "neg", "no_grad", "ones",
    "ones_like", "pad", "permute", "pow", "prod", "rand", "randint", "randn", "relu", "reshape", "save_graph",
    "set_grad_enabled", "sigmoid", "sin", "softmax", "split", "sqrt", "squeeze", "stack", "std", "sub", "sum", "tanh",
    "tensor", "transpose", "unsqueeze", "var", "where", "zeros", "zeros_like",
]
