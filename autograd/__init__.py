"""A tensor autograd engine: Tensors record a define-by-run graph; backward applies the chain rule through it.

Every module of the package imports only modules below it (grad_mode, tensor_class, function, ops, engine),
so that they load in any order; Tensor's methods reach their ops through the `ops` package at call time.
"""
import sys

import numpy as np

from autograd import backends, cuda, functional, linalg
from autograd import random as random
from autograd.anomaly_mode import detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly
from autograd.categorical import multinomial
from autograd.devices import device, get_default_device, set_default_device
from autograd.drawing import draw_graph, save_graph
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.engine import backward, grad
from autograd.factories import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from autograd.function import AccumulateGrad, Function
from autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.ops.arithmetic import clone, neg, where
from autograd.ops.broadcast import expand
from autograd.ops.comparison import (
    allclose,
    eq,
    equal,
    ge,
    gt,
    is_tensor,
    isclose,
    isfinite,
    isinf,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    lt,
    ne,
    numel,
)
from autograd.ops.cumulative import cumprod, cumsum
from autograd.ops.einsum import einsum
from autograd.ops.indexing import gather
from autograd.ops.joining import cat, chunk, pad, split, stack
from autograd.ops.linalg import bmm, dot, matmul, mm, mv, outer, t
from autograd.ops.masking import masked_fill
from autograd.ops.norms import norm
from autograd.ops.out_argument import add, div, maximum, minimum, mul, pow, sub
from autograd.ops.reduction import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    logsumexp,
    max,
    mean,
    min,
    prod,
    std,
    sum,
    var,
)
from autograd.ops.shape import flatten, flip, permute, reshape, roll, squeeze, transpose, unsqueeze
from autograd.ops.softmax import log_softmax, softmax
from autograd.ops.sorting import argsort, sort, topk
from autograd.ops.triangular import tril, triu
from autograd.ops.unary import (
    abs,
    ceil,
    clamp,
    cos,
    exp,
    expm1,
    floor,
    log,
    log1p,
    log2,
    log10,
    nan_to_num,
    reciprocal,
    relu,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    tanh,
    trunc,
)
from autograd.random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from autograd.sampling import bernoulli, normal, rand, rand_like, randint, randint_like, randn, randn_like, randperm
from autograd.tensor_class import Tensor

float32, float64, int64, bool_ = np.float32, np.float64, np.int64, np.bool_  # dtypes, compared with ==
int32, uint8 = np.int32, np.uint8  # what .int() gives, and what Generator.get_state() gives
float16, int8, int16 = np.float16, np.int8, np.int16
# PyTorch's other spellings (torch.float, torch.long, ...): attributes only, kept out of __all__ so that
# `from autograd import *` never hides Python's float, int and bool
float, double, half, long, int, short, bool = np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.bool_
# PyTorch code says torch.autograd.grad, torch.autograd.Function, torch.autograd.functional: with
# `import autograd as torch` these are this package's own names, so `autograd.autograd` is the package itself
autograd = sys.modules[__name__]

__all__ = [
    "AccumulateGrad", "Function", "Generator", "GradcheckError", "Tensor", "abs", "add", "all", "allclose", "amax",
    "amin", "any", "arange", "argmax", "argmin", "argsort", "as_tensor", "backends", "backward", "bernoulli", "bmm",
    "bool_", "cat", "ceil", "chunk", "clamp", "clone", "cos", "cuda", "cumprod", "cumsum", "default_generator",
    "detect_anomaly", "device", "div", "dot", "draw_graph", "einsum", "empty", "empty_like", "enable_grad", "eq",
    "equal", "exp", "expand", "expm1", "eye", "flatten", "flip", "float16", "float32", "float64", "floor",
    "from_numpy", "full", "full_like", "functional", "gather", "ge", "get_default_device", "get_default_dtype",
    "get_rng_state", "grad", "gradcheck", "gradgradcheck", "gt", "inference_mode", "initial_seed", "int16", "int32",
    "int64", "int8", "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_grad_enabled",
    "is_inference_mode_enabled", "is_tensor", "isclose", "isfinite", "isinf", "isnan", "le", "linalg", "linspace",
    "log", "log10", "log1p", "log2", "log_softmax", "logical_and", "logical_not", "logical_or", "logsumexp", "lt",
    "manual_seed", "masked_fill", "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mul", "multinomial",
    "mv", "nan_to_num", "ne", "neg", "no_grad", "norm", "normal", "numel", "ones", "ones_like", "outer", "pad",
    "permute", "pow", "prod", "rand", "rand_like", "randint", "randint_like", "randn", "randn_like", "randperm",
    "reciprocal", "relu", "reshape", "roll", "round", "rsqrt", "save_graph", "seed", "set_default_device",
    "set_default_dtype", "set_detect_anomaly", "set_grad_enabled", "set_rng_state", "sigmoid", "sign", "sin",
    "softmax", "sort", "split", "sqrt", "square", "squeeze", "stack", "std", "sub", "sum", "t", "tanh", "tensor",
    "topk", "transpose", "tril", "triu", "trunc", "uint8", "unsqueeze", "var", "where", "zeros", "zeros_like",
]
