"""A tensor autograd engine: Tensors record a define-by-run graph; backward applies the chain rule through it."""
import numpy as np

from autograd.tensor import Tensor
from autograd.function import Function
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.backward import backward, grad
from autograd.factories import (
    arange, empty, eye, full, linspace, manual_seed, ones, ones_like, rand, randint, randn, tensor, zeros,
    zeros_like)
from autograd.ops.arithmetic import add, div, maximum, minimum, mul, neg, pow, sub, where
from autograd.ops.unary import abs, clamp, cos, exp, log, relu, sigmoid, sin, sqrt, tanh
from autograd.ops.reduction import amax, amin, argmax, argmin, logsumexp, max, mean, min, prod, std, sum, var
from autograd.ops.softmax import log_softmax, softmax
from autograd.ops.linalg import matmul
from autograd.ops.broadcast import expand
from autograd.ops.shape import flatten, permute, reshape, squeeze, transpose, unsqueeze
from autograd.ops.joining import cat, chunk, pad, split, stack
from autograd.ops.indexing import gather
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.drawing import draw_graph, save_graph

float32, float64, int64, bool_ = np.float32, np.float64, np.int64, np.bool_  # dtypes, compared with ==

__all__ = [name for name in dir() if not name.startswith("_")]
