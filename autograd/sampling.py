"""Random tensors, drawn from a Generator (the default one unless `generator=` is given).

New tensors: rand (uniform on [0, 1)), randn (standard normal), randint, randperm, normal, bernoulli and the
`*_like` forms. In place (Tensor methods): uniform_, normal_, random_, bernoulli_. Sampling is outside the graph:
`normal` and `bernoulli` give no gradient to their parameters (PyTorch's is zero); for a sample that gradients
flow through, write the reparameterisation yourself: `mean + std * randn_like(mean)`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd import ops
from autograd.factories import checked_dtype, made, size_from
from autograd.ops.arguments import as_int, as_number, as_tensor_argument
from autograd.random import numpy_rng
from autograd.tensor_class import Tensor


def uniform_array(rng: np.random.Generator, shape: tuple, low: float, high: float, dtype: np.dtype) -> np.ndarray:
    """Draws from U(low, high) in `dtype`, kept below `high` even where rounding to `dtype` would reach it."""
    values = np.asarray(low + (high - low) * rng.random(shape), dtype)
    if low < high:
        np.minimum(values, np.nextafter(dtype.type(high), dtype.type(low)), out=values)
    return values


def _floating(dtype: np.dtype, who: str) -> np.dtype:
    if dtype.kind != "f":
        raise TypeError(f"{who}: random floats need a floating-point dtype, got {dtype}")
    return dtype


def rand(*shape: Any, size: Any = None, generator: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1)."""
    dtype = _floating(checked_dtype(dtype, device, requires_grad, "rand"), "rand")
    shape, rng = size_from(shape, size, "rand"), numpy_rng(generator, "rand")
    return made(uniform_array(rng, shape, 0.0, 1.0, dtype), requires_grad)


def randn(*shape: Any, size: Any = None, generator: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal: mean 0, variance 1."""
    dtype = _floating(checked_dtype(dtype, device, requires_grad, "randn"), "randn")
    shape, rng = size_from(shape, size, "randn"), numpy_rng(generator, "randn")
    return made(rng.standard_normal(shape).astype(dtype), requires_grad)


def randint(*args: Any, size: Any = None, low: Any = None, high: Any = None, generator: Any = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from [low, high): randint(high, size) or randint(low, high, size) (low is 0 when
    omitted; each may also be a keyword); int64 unless `dtype` is given."""
    args = list(args)
    if size is None:
        if not args:
            raise TypeError("randint: missing the size (randint(high, size) or randint(low, high, size))")
        size = args.pop()
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        (low, high) = (low, args[0]) if high is None else (args[0], high)
    elif args:
        raise TypeError(f"randint: too many arguments; expected randint(low, high, size), got {len(args) + 1}")
    if high is None:
        raise TypeError("randint: missing the upper bound high (randint(high, size) or randint(low, high, size))")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint: the size must be a tuple or list, got {size!r}")
    low, high = as_int(0 if low is None else low, "low", "randint"), as_int(high, "high", "randint")
    return _randint(size, low, high, generator, dtype, device, requires_grad, "randint")


def _randint(size: Any, low: int, high: int, generator: Any, dtype: Any, device: Any, requires_grad: bool,
             who: str) -> Tensor:
    dtype = checked_dtype(dtype, device, requires_grad, who, default=np.int64)
    shape, rng = size_from((), size, who), numpy_rng(generator, who)
    if not low < high:
        raise RuntimeError(f"{who}: expects 'low' to be less than 'high', but got low={low} >= high={high}")
    first, last = _exact_integers(dtype)
    if low < first or high - 1 > last:
        raise RuntimeError(f"{who}: [{low}, {high}) is not a range of integers that dtype {dtype} holds exactly "
                           f"([{first}, {last}])")
    return made(rng.integers(low, high, size=shape).astype(dtype), requires_grad)


def randperm(n: int, *, generator: Any = None, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A random ordering of 0, 1, ..., n-1 (int64 unless `dtype` is given)."""
    dtype = checked_dtype(dtype, device, requires_grad, "randperm", default=np.int64)
    (n,) = size_from((n,), None, "randperm")
    return made(numpy_rng(generator, "randperm").permutation(n).astype(dtype), requires_grad)


def rand_like(input: Tensor, *, generator: Any = None, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """rand with input's shape and dtype (unless `dtype` is given)."""
    as_tensor_argument(input, "input", "rand_like")
    return rand(input.shape, generator=generator, dtype=input.dtype if dtype is None else dtype,
                device=device, requires_grad=requires_grad)


def randn_like(input: Tensor, *, generator: Any = None, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """randn with input's shape and dtype (unless `dtype` is given)."""
    as_tensor_argument(input, "input", "randn_like")
    return randn(input.shape, generator=generator, dtype=input.dtype if dtype is None else dtype,
                 device=device, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int, high: int | None = None, *, generator: Any = None, dtype: Any = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers from [low, high) (from [0, low) when high is omitted) in input's shape and dtype."""
    as_tensor_argument(input, "input", "randint_like")
    low, high = (0, low) if high is None else (low, high)
    low, high = as_int(low, "low", "randint_like"), as_int(high, "high", "randint_like")
    return _randint(input.shape, low, high, generator, input.dtype if dtype is None else dtype, device,
                    requires_grad, "randint_like")


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """Draws from N(mean, std^2), as PyTorch's forms: normal(mean_tensor, std_tensor) (broadcast together),
    normal(mean_tensor, std=1.0), normal(mean=0.0, std_tensor), or numbers with a size: normal(0.0, 1.0, (2, 3))."""
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    mean = mean if isinstance(mean, Tensor) else as_number(mean, "mean", "normal")
    std = std if isinstance(std, Tensor) else as_number(std, "std", "normal")
    if size is not None or not tensors:
        if tensors:
            raise TypeError("normal: with a size, mean and std must be numbers (or give tensors and no size)")
        if size is None:
            raise TypeError("normal: give mean or std as a tensor, or a size: normal(0.0, 1.0, (2, 3))")
        dtype = _floating(checked_dtype(dtype, device, requires_grad, "normal"), "normal")
        shape = size_from((size,), None, "normal")
    else:
        if dtype is not None or requires_grad:
            raise TypeError("normal: dtype= and requires_grad= go with the form normal(mean, std, size)")
        dtype = _floating(checked_dtype(None, device, False, "normal",
                                        default=ops.arithmetic.result_dtype(tensors)), "normal")
        try:
            shape = np.broadcast_shapes(np.shape(mean), np.shape(std))
        except ValueError:
            raise RuntimeError(f"normal: mean of shape {tuple(np.shape(mean))} and std of shape "
                               f"{tuple(np.shape(std))} can not be broadcast together") from None
    mean_values, std_values = (np.asarray(v._data if isinstance(v, Tensor) else v, np.float64) for v in (mean, std))
    if np.any(np.isnan(std_values)) or np.any(std_values < 0):
        raise RuntimeError(f"normal: expects all elements of std >= 0.0, got {std_values.min()}")
    draws = numpy_rng(generator, "normal").standard_normal(shape)
    return made((mean_values + std_values * draws).astype(dtype), requires_grad)


def checked_probabilities(p: Any, who: str) -> np.ndarray:
    """`p` (a number, a Tensor or an array) as a float64 array, after checking that every value is a probability
    (in [0, 1], not nan)."""
    if isinstance(p, Tensor):
        p = p._data
    values = np.asarray(p if isinstance(p, np.ndarray) else as_number(p, "p", who), dtype=np.float64)
    valid = (values >= 0) & (values <= 1)  # nan fails both comparisons
    if not np.all(valid):
        raise RuntimeError(f"{who}: expects p to be in [0, 1], got {values[~valid].flat[0]}")
    return values


def bernoulli(input: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    """1 with probability input[i] (or `p` everywhere, when given), else 0, in input's shape and dtype."""
    if as_tensor_argument(input, "input", "bernoulli").dtype.kind != "f":
        raise TypeError(f"bernoulli: expects a floating-point tensor of probabilities, got dtype {input.dtype}")
    probabilities = checked_probabilities(input._data if p is None else p, "bernoulli")
    draws = numpy_rng(generator, "bernoulli").random(input.shape)
    return Tensor._wrap((draws < probabilities).astype(input.dtype))


# ---- in place (Tensor.uniform_, normal_, random_, bernoulli_): outside the graph, as a fill ----
def _fill_(tensor: Tensor, draw: Any, name: str) -> Tensor:
    """Overwrite the tensor with `draw()`, drawn only once the change is known to be allowed (so that a refused
    change leaves the generator untouched). On a recorded tensor no gradient flows to what it was before."""
    return tensor._inplace(lambda t, _: ops.arithmetic.fill(t, draw()), None, name)


def _floating_tensor(tensor: Tensor, name: str) -> np.dtype:
    if as_tensor_argument(tensor, "self", name).dtype.kind != "f":
        raise TypeError(f"{name}: expects a floating-point tensor, got dtype {tensor.dtype}")
    return tensor.dtype


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill with draws from U(a, b)."""
    dtype, rng = _floating_tensor(tensor, "uniform_"), numpy_rng(generator, "uniform_")
    a, b = as_number(a, "from", "uniform_"), as_number(b, "to", "uniform_")
    if not a <= b:
        raise RuntimeError(f"uniform_: expects to return a [from, to) range, but found from={a} > to={b}")
    largest = float(np.finfo(dtype).max)
    if not (-largest <= a and b <= largest and b - a <= largest):
        raise RuntimeError(f"uniform_: expects from={a} and to={b} to be finite values of dtype {dtype}, with "
                           f"to - from <= {largest}")
    return _fill_(tensor, lambda: uniform_array(rng, tensor.shape, a, b, dtype), "uniform_")


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill with draws from N(mean, std^2)."""
    _floating_tensor(tensor, "normal_")
    mean, std = as_number(mean, "mean", "normal_"), as_number(std, "std", "normal_")
    rng = numpy_rng(generator, "normal_")
    if not std >= 0:
        raise RuntimeError(f"normal_: expects std >= 0.0, but found std {std}")
    return _fill_(tensor, lambda: mean + std * rng.standard_normal(tensor.shape), "normal_")


def random_(tensor: Tensor, *bounds: int, to: int | None = None, generator: Any = None) -> Tensor:
    """Fill with integers drawn uniformly from [from, to): random_(to), random_(from, to); random_() draws from
    [0, 2^mantissa] for floats (2^24 for float32, 2^53 for float64) and [0, max] for integers (as PyTorch)."""
    if len(bounds) > 2 or (len(bounds) == 2 and to is not None):
        raise TypeError("random_: expected random_(), random_(to) or random_(from, to)")
    low, high = 0, to
    if len(bounds) == 2:
        low, high = bounds
    elif bounds:
        low, high = (0, bounds[0]) if to is None else (bounds[0], to)
    rng, dtype = numpy_rng(generator, "random_"), as_tensor_argument(tensor, "self", "random_").dtype
    first, last = _exact_integers(dtype)
    low = as_int(low, "from", "random_")
    high = last if high is None else as_int(high, "to", "random_") - 1  # the last value that may be drawn
    if not low <= high:
        raise RuntimeError(f"random_: expects 'from' to be less than 'to', but got from={low} >= to={high + 1}")
    if low < first or high > last:
        raise RuntimeError(f"random_: [{low}, {high}] is not a range of integers that dtype {dtype} holds exactly "
                           f"([{first}, {last}])")
    draw_type = np.uint64 if dtype.kind == "u" else np.int64
    return _fill_(tensor, lambda: rng.integers(low, high, size=tensor.shape, endpoint=True, dtype=draw_type),
                  "random_")


def _exact_integers(dtype: np.dtype) -> tuple[int, int]:
    """The range of integers that `dtype` holds exactly: [0, 1] for bool, [-2^24, 2^24] for float32."""
    if dtype.kind == "b":
        return 0, 1
    if dtype.kind == "f":
        top = 2 ** (np.finfo(dtype).nmant + 1)
        return -top, top
    return int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)


def bernoulli_(tensor: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """Fill with 1 with probability p (a number, or a tensor broadcasting to this one), else 0."""
    rng = numpy_rng(generator, "bernoulli_")
    as_tensor_argument(tensor, "self", "bernoulli_")
    probabilities = checked_probabilities(p._data if isinstance(p, Tensor) else p, "bernoulli_")
    try:
        fits = np.broadcast_shapes(probabilities.shape, tensor.shape) == tensor.shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"bernoulli_: p of shape {probabilities.shape} does not broadcast to the tensor's "
                           f"shape {tensor.shape}")
    return _fill_(tensor, lambda: rng.random(tensor.shape) < probabilities, "bernoulli_")

