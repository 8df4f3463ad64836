"""Making tensors: from data, filled, ranges, and random (reproducible with `manual_seed`)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor_class import DEFAULT_DTYPE, Tensor, shape_of

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator behind rand, randn, randint (and nn's initialisation, dropout and shuffling)."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def generator() -> np.random.Generator:
    """The generator that random factories draw from."""
    return _generator


def _made(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(data)
    return t.requires_grad_() if requires_grad else t


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of `data` (numbers, nested lists, arrays or tensors)."""
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.zeros(shape_of(size), dtype=dtype or DEFAULT_DTYPE), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.ones(shape_of(size), dtype=dtype or DEFAULT_DTYPE), requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.empty(shape_of(size), dtype=dtype or DEFAULT_DTYPE), requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of `size` filled with `fill_value` (its dtype follows the value, as in PyTorch)."""
    value = Tensor(fill_value, dtype=dtype)._data
    shape = (size,) if isinstance(size, (int, np.integer)) else tuple(size)
    return _made(np.full(shape, value, dtype=value.dtype), requires_grad)


def zeros_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.zeros(x.shape, dtype=dtype or x.dtype), requires_grad)


def ones_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.ones(x.shape, dtype=dtype or x.dtype), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """start, start+step, ... below end; int64 when all three are integers, else float32 (as PyTorch)."""
    if end is None:
        start, end = 0, start
    integral = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
    dtype = dtype or (np.int64 if integral else DEFAULT_DTYPE)
    return _made(np.arange(start, end, step).astype(dtype), requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.linspace(start, end, steps).astype(dtype or DEFAULT_DTYPE), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _made(np.eye(n, m, dtype=dtype or DEFAULT_DTYPE), requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1)."""
    return _made(_generator.random(shape_of(size)).astype(dtype or DEFAULT_DTYPE), requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal."""
    return _made(_generator.standard_normal(shape_of(size)).astype(dtype or DEFAULT_DTYPE), requires_grad)


def randint(low: int, high: int | None = None, size: Any = (), dtype: Any = None) -> Tensor:
    """Integers in [low, high) (in [0, low) when high is omitted), int64 by default."""
    if high is None:
        low, high = 0, low
    return Tensor._wrap(_generator.integers(low, high, size=shape_of((size,))).astype(dtype or np.int64))
