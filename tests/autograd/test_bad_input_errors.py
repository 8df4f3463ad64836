"""Bad input named by the library, as PyTorch names it (its behaviour on the same input is in the comments):
integer logits, reductions over empty dimensions, dimensions out of range (0-d tensors included), indices out of
range (negative ones included), and dtypes that tensors can not hold."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd.testing import shapes

INTEGER_LOGITS = ag.tensor([[1, 2], [3, 4]])


@pytest.mark.parametrize(("op", "call"), [
    ("softmax", lambda x: ag.softmax(x, 1)),  # PyTorch: "softmax_lastdim_kernel_impl" not implemented for 'Long'
    ("log_softmax", lambda x: x.log_softmax(1)),
    ("softmax", lambda x: F.softmax(x, dim=1)),
    ("softmax", lambda x: nn.Softmax(dim=1)(x)),
    ("cross_entropy", lambda x: F.cross_entropy(x, ag.tensor([0, 1]))),
    ("nll_loss", lambda x: F.nll_loss(x, ag.tensor([0, 1]))),  # PyTorch: "nll_loss_out_frame" not implemented
])
@pytest.mark.parametrize("dtype", [ag.int64, ag.int32, ag.bool_])
def test_integer_logits_are_refused_naming_the_op_and_the_dtype(op, call, dtype):
    with pytest.raises(NotImplementedError, match=rf"{op}: not implemented for dtype {np.dtype(dtype)}"):
        call(INTEGER_LOGITS.to(dtype))


def test_logsumexp_of_integers_is_a_float_as_in_pytorch():
    out = ag.logsumexp(INTEGER_LOGITS, 1)
    assert out.dtype == ag.float32
    np.testing.assert_allclose(out.numpy(), [2.3132617, 4.3132617], rtol=1e-6)  # PyTorch: [2.3133, 4.3133]
    assert ag.logsumexp(ag.tensor([True, False]), 0).item() == pytest.approx(1.3132617)  # PyTorch: 1.3133


@pytest.mark.parametrize("op", ["max", "min", "argmax", "argmin", "amax", "amin"])
def test_reducing_an_empty_dimension_is_an_index_error_naming_it(op):
    empty = ag.zeros(0, 3)
    with pytest.raises(IndexError, match=rf"{op}\(\): Expected reduction dim 0 to have non-zero size"):
        getattr(empty, op)(0)
    out = getattr(empty, op)(1)
    assert (out.values if op in ("max", "min") else out).shape == (0,)  # the non-empty one is fine, as in PyTorch


@pytest.mark.parametrize("op", ["max", "min", "argmax", "argmin"])
def test_reducing_all_of_an_empty_tensor_is_refused(op):
    with pytest.raises(RuntimeError, match=rf"{op}\(\): Expected reduction dim to be specified for input.numel\(\) "
                                           r"== 0"):
        getattr(ag.zeros(0, 3), op)()


DIMENSION_OPS = {  # op: a call with one dimension argument d
    "transpose": lambda x, d: x.transpose(0, d),
    "squeeze": lambda x, d: x.squeeze(d),
    "unsqueeze": lambda x, d: x.unsqueeze(d),
    "flatten": lambda x, d: x.flatten(0, d),
    "permute": lambda x, d: x.permute(d, *range(1, x.ndim)) if x.ndim else x.permute(d),
    "sum": lambda x, d: x.sum(d),
    "softmax": lambda x, d: x.float().softmax(d),
    "cumsum": lambda x, d: x.cumsum(d),
    "flip": lambda x, d: x.flip(d),
    "roll": lambda x, d: x.roll(1, d),
    "max": lambda x, d: x.max(d),
    "argmax": lambda x, d: x.argmax(d),
    "sort": lambda x, d: x.sort(d),
    "logsumexp": lambda x, d: x.logsumexp(d),
    "norm": lambda x, d: x.norm(dim=d),
}


@pytest.mark.parametrize("op", DIMENSION_OPS)
@given(shape=shapes(max_dims=3), beyond=st.integers(0, 3), negative=st.booleans())
def test_a_dimension_out_of_range_is_pytorchs_index_error(op, shape, beyond, negative):
    x = ag.zeros(shape)
    size = max(x.ndim, 1)  # a 0-d tensor takes the dimensions 0 and -1, as in PyTorch
    low, high = (-x.ndim - 1, x.ndim) if op == "unsqueeze" else (-size, size - 1)  # unsqueeze: one more place
    bad = low - 1 - beyond if negative else high + 1 + beyond
    message = rf"{op}: dimension out of range \(expected to be in range of \[{low}, {high}\], but got "
    with pytest.raises(IndexError, match=message):
        DIMENSION_OPS[op](x, bad)


def test_transpose_of_a_0d_tensor_takes_only_0_and_minus_1():
    scalar = ag.tensor(1.0)
    assert scalar.transpose(0, -1).item() == 1.0  # PyTorch: tensor(1.)
    with pytest.raises(IndexError, match=r"transpose: dimension out of range \(expected to be in range of "
                                         r"\[-1, 0\], but got 1\)"):
        scalar.transpose(0, 1)  # PyTorch: the same IndexError (this library used to return the scalar)


@pytest.mark.parametrize("dim", [1.0, "0", None, True, [0.5]])
def test_a_dimension_of_the_wrong_type_is_a_type_error_naming_the_op(dim):
    x = ag.zeros(2, 3)
    with pytest.raises(TypeError, match=r"(sum|transpose): dim must be an int"):
        x.sum(dim) if dim is not None else x.transpose(dim, 0)


@pytest.mark.parametrize(("op", "call", "message"), [
    ("gather", lambda x, i: ag.gather(x, 1, ag.tensor([[i], [0]])),
     "gather: index {i} is out of range for dimension 1 with size 3"),  # PyTorch: RuntimeError, out of bounds
    ("embedding", lambda x, i: F.embedding(ag.tensor([i]), x.t()),
     r"embedding: index {i} is out of range for 3 embeddings \(0 to 2\)"),  # PyTorch: index out of range in self
    ("getitem", lambda x, i: x[:, ag.tensor([i])], "index .* does not fit a tensor of shape"),
])
@pytest.mark.parametrize("index", [-1, -4, 3, 7])
def test_an_index_out_of_range_is_an_index_error_naming_it(op, call, message, index):
    x = ag.zeros(2, 3)
    if op == "getitem" and index == -1:
        assert call(x, index).shape == (2, 1)  # x[:, -1] counts from the end, in PyTorch too
        return
    with pytest.raises(IndexError, match=message.format(i=index)):
        call(x, index)


@pytest.mark.parametrize("make", [
    lambda d: ag.tensor([1, 2], dtype=d),
    lambda d: ag.Tensor([1, 2], dtype=d),
    lambda d: ag.zeros(2, dtype=d),
    lambda d: ag.ones(2, dtype=d),
    lambda d: ag.empty(2, dtype=d),
    lambda d: ag.full((2,), 1, dtype=d),
    lambda d: ag.arange(3, dtype=d),
    lambda d: ag.zeros_like(ag.ones(2), dtype=d),
    lambda d: ag.as_tensor([1, 2], dtype=d),
    lambda d: ag.ones(2).to(d),
    lambda d: ag.ones(2).to(dtype=d),
    lambda d: ag.ones(2).type(d),
], ids=["tensor", "Tensor", "zeros", "ones", "empty", "full", "arange", "zeros_like", "as_tensor", "to", "to(dtype=)",
        "type"])
@pytest.mark.parametrize("dtype", [object, str, np.complex64, np.complex128, complex, np.str_, np.void],
                         ids=["object", "str", "complex64", "complex128", "complex", "np.str_", "void"])
def test_dtypes_that_tensors_can_not_hold_are_refused_everywhere(make, dtype):
    with pytest.raises(TypeError, match=r"dtype .* is not supported \(tensors are boolean, integer or floating "
                                        r"point\)"):
        make(dtype)


@pytest.mark.parametrize("data", [np.array(["a", "b"]), np.array([1 + 2j]), np.array([object()]), ["a"],
                                  [1 + 2j]], ids=["str array", "complex array", "object array", "str list",
                                                  "complex list"])
def test_data_that_tensors_can_not_hold_is_refused(data):
    with pytest.raises(TypeError, match=r"can not make a tensor from \w+ \(numpy gives dtype .*; tensors are "
                                        r"boolean, integer or floating point\)"):
        ag.tensor(data)


def test_type_names_the_tensor_type_and_converts_as_pytorch():
    x = ag.ones(2)
    # PyTorch: torch.FloatTensor torch.BoolTensor torch.CharTensor; float64; int64
    assert (x.type(), x.bool().type(), x.to(ag.int8).type()) == ("torch.FloatTensor", "torch.BoolTensor",
                                                                 "torch.CharTensor")
    assert x.type(ag.float64).dtype == ag.float64 and x.type("torch.LongTensor").dtype == ag.int64
    with pytest.raises(ValueError, match=r"type: invalid type 'torch.cuda.FloatTensor'"):
        x.type("torch.cuda.FloatTensor")  # PyTorch: a RuntimeError without CUDA


@pytest.mark.parametrize(("call", "error", "message"), [
    (ag.abs, NotImplementedError, "abs: not implemented for dtype bool"),  # PyTorch: "abs_cpu" not implemented
    (ag.relu, RuntimeError, "relu: Boolean inputs not supported"),  # PyTorch: the same words
    (F.relu, RuntimeError, "relu: Boolean inputs not supported"),
])
def test_boolean_inputs_are_refused_where_pytorch_refuses_them(call, error, message):
    with pytest.raises(error, match=message):
        call(ag.tensor([True, False]))


@pytest.mark.parametrize("factory", [ag.zeros, ag.ones, ag.empty, ag.rand, ag.randn])
def test_a_size_numpy_can_not_hold_is_refused_even_when_the_tensor_would_be_empty(factory):
    with pytest.raises(RuntimeError, match=rf"{factory.__name__}: a tensor of shape \(10+, 0\) is too large"):
        factory(10 ** 30, 0)
