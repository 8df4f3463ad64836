"""The everyday Tensor API of PyTorch: matrix products with their shape checks, the new elementwise functions,
out=, format specs, triangles and masks, reshaping helpers, comparisons, numpy's argument names and the two
nn.functional helpers. Values against numpy or closed forms, gradients against central differences."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.testing import floats, shapes, tensors

SMALL = shapes(max_dims=3, max_side=3)


def check(fn, *inputs):
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# ---- matrix products ----
@given(n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), b=st.integers(1, 2), data=st.data())
def test_products_match_numpy(n, k, m, b, data):
    a, c = data.draw(tensors(shape=(n, k))), data.draw(tensors(shape=(k, m)))
    v, w = data.draw(tensors(shape=(k,))), data.draw(tensors(shape=(k,)))
    p, q = data.draw(tensors(shape=(b, n, k))), data.draw(tensors(shape=(b, k, m)))
    np.testing.assert_allclose(ag.mm(a, c)._data, a._data @ c._data)
    np.testing.assert_allclose(p.bmm(q)._data, p._data @ q._data)
    np.testing.assert_allclose(a.mv(v)._data, a._data @ v._data)
    np.testing.assert_allclose(ag.dot(v, w)._data, np.dot(v._data, w._data))
    np.testing.assert_allclose(v.outer(a[0])._data, np.outer(v._data, a._data[0]))
    np.testing.assert_array_equal(a.t()._data, a._data.T)
    check(ag.mm, a, c)
    check(ag.bmm, p, q)
    check(ag.mv, a, v)
    check(ag.dot, v, w)
    check(ag.outer, v, w)
    check(ag.t, a)


def test_products_check_shapes_and_dtypes_as_pytorch():
    with pytest.raises(RuntimeError, match="mm: input must be a 2-D tensor"):
        ag.mm(ag.ones(3), ag.ones(3, 2))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        ag.mm(ag.ones(2, 3), ag.ones(4, 5))
    with pytest.raises(RuntimeError, match="bmm: mat2 must be a 3-D tensor"):
        ag.bmm(ag.ones(2, 2, 3), ag.ones(3, 4))
    with pytest.raises(RuntimeError, match=r"first two dimensions of mat2 to be: \[2, 3\] but got: \[3, 3\]"):
        ag.bmm(ag.ones(2, 2, 3), ag.ones(3, 3, 4))
    with pytest.raises(RuntimeError, match="same dtype"):
        ag.mm(ag.ones(2, 2), ag.ones(2, 2, dtype=ag.float64))
    with pytest.raises(RuntimeError, match="dot: inconsistent tensor size"):
        ag.dot(ag.ones(3), ag.ones(4))
    with pytest.raises(RuntimeError, match="mv: size mismatch"):
        ag.mv(ag.ones(2, 3), ag.ones(2))
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions"):
        ag.ones(2, 2, 2).t()
    assert ag.ones(3).t().shape == (3,) and ag.ones(2, 3, 4).mT.shape == (2, 4, 3)


# ---- what a tensor is ----
def test_size_numel_and_dims():
    x = ag.ones(2, 3, 4)
    assert x.size(-1) == 4 and x.size(0) == 2 and x.size(dim=1) == 3 and x.size() == (2, 3, 4)
    assert x.numel() == x.nelement() == 24 and x.dim() == x.ndimension() == 3
    with pytest.raises(IndexError, match=r"size: dimension out of range .*\[-3, 2\], but got 3"):
        x.size(3)
    with pytest.raises(IndexError, match="no dimensions"):
        ag.tensor(1.0).size(0)


def test_format_specs_on_scalars_and_repr_otherwise():
    loss = ag.tensor(0.123456, requires_grad=True) * 2
    assert f"{loss:.4f}" == "0.2469" and f"{loss:>8.2f}" == "    0.25" and f"{ag.tensor(7):03d}" == "007"
    x = ag.tensor([1.0, 2.0])
    assert f"{x}" == repr(x) and f"{loss}" == str(loss.item())  # a 0-d tensor formats as its number
    with pytest.raises(TypeError, match=r"only a 0-d tensor takes a format spec, this one has shape \(2,\)"):
        f"{x:.2f}"


# ---- elementwise functions ----
UNARY = {  # name: (numpy reference, elements where it is smooth)
    "log10": (np.log10, floats(0.2, 3)), "log2": (np.log2, floats(0.2, 3)), "log1p": (np.log1p, floats(-0.8, 3)),
    "expm1": (np.expm1, floats(-3, 3)), "rsqrt": (lambda a: 1 / np.sqrt(a), floats(0.2, 3)),
    "reciprocal": (lambda a: 1 / a, floats(0.2, 3)), "square": (np.square, floats(-3, 3)),
}


@pytest.mark.parametrize("name", UNARY)
@given(data=st.data())
def test_unary_functions_match_numpy_with_gradients(name, data):
    reference, elements = UNARY[name]
    x = data.draw(tensors(shape=SMALL, elements=elements))
    np.testing.assert_allclose(getattr(ag, name)(x)._data, reference(x._data), rtol=1e-12)
    np.testing.assert_allclose(getattr(x, name)()._data, reference(x._data), rtol=1e-12)
    check(getattr(ag, name), x)


def test_log1p_and_expm1_are_exact_for_tiny_values():
    x = ag.tensor([1e-10], dtype=ag.float64)
    assert x.log1p().item() == pytest.approx(1e-10, rel=1e-9) and x.expm1().item() == pytest.approx(1e-10, rel=1e-9)
    assert ag.log10(ag.tensor([1, 100])).dtype == ag.float32  # integers give the default float dtype


def test_step_functions_round_half_to_even_and_have_zero_gradient():
    x = leaf([-1.5, -0.5, 0.5, 1.5, 2.5, -2.7, 2.7, 0.0])
    np.testing.assert_array_equal(ag.round(x)._data, [-2, -0, 0, 2, 2, -3, 3, 0])
    np.testing.assert_array_equal(x.floor()._data, np.floor(x._data))
    np.testing.assert_array_equal(x.ceil()._data, np.ceil(x._data))
    np.testing.assert_array_equal(x.trunc()._data, [-1, -0, 0, 1, 2, -2, 2, 0])
    np.testing.assert_array_equal(x.sign()._data, [-1, -1, 1, 1, 1, -1, 1, 0])
    np.testing.assert_allclose(ag.round(leaf([1.25, 1.35, -0.125]), decimals=2)._data, [1.25, 1.35, -0.12])
    np.testing.assert_allclose(leaf([12.5, 17.0]).round(decimals=-1)._data, [10.0, 20.0])
    for fn in (ag.round, ag.floor, ag.ceil, ag.trunc, ag.sign):
        x.grad = None
        (fn(x) * 3).sum().backward()
        np.testing.assert_array_equal(x.grad._data, np.zeros(8))
    whole = ag.tensor([-2, 0, 3])
    assert ag.floor(whole).dtype == ag.int64 and ag.sign(whole).tolist() == [-1, 0, 1]


def test_nan_to_num_replaces_and_blocks_the_gradient_there():
    x = leaf([1.0, np.nan, np.inf, -np.inf, -2.0])
    y = ag.nan_to_num(x, nan=0.5, posinf=9.0, neginf=-8.0)
    np.testing.assert_array_equal(y._data, [1.0, 0.5, 9.0, -8.0, -2.0])
    (y * ag.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=ag.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [1.0, 0.0, 0.0, 0.0, 5.0])
    np.testing.assert_array_equal(x.detach().nan_to_num()._data, np.nan_to_num(x._data))
    check(lambda t: ag.nan_to_num(t, posinf=1.0, neginf=-1.0), x)  # NaN and inf stay themselves when perturbed


# ---- out= ----
def test_out_writes_the_result_into_the_given_tensor():
    a, b = ag.tensor([[1.0, 2.0]]), ag.tensor([[3.0], [4.0]])
    out = ag.empty(2, 2)
    assert ag.add(a, b, out=out) is out
    np.testing.assert_array_equal(out._data, [[4.0, 5.0], [5.0, 6.0]])
    for fn, expected in ((ag.sub, a._data - b._data), (ag.mul, a._data * b._data), (ag.div, a._data / b._data),
                         (ag.pow, a._data ** b._data), (ag.maximum, np.maximum(a._data, b._data)),
                         (ag.minimum, np.minimum(a._data, b._data))):
        fn(a, b, out=out)
        np.testing.assert_allclose(out._data, expected)
    ag.matmul(b, a, out=out)
    np.testing.assert_array_equal(out._data, b._data @ a._data)
    ag.mm(b, a, out=out)
    np.testing.assert_array_equal(out._data, b._data @ a._data)
    flags = ag.empty(2, 2, dtype=ag.bool_)
    ag.gt(b, a, out=flags)
    np.testing.assert_array_equal(flags._data, b._data > a._data)


def test_out_of_the_wrong_shape_or_dtype_is_refused_untouched():
    out = ag.zeros(3)
    with pytest.raises(RuntimeError, match=r"out= has shape \(3,\) and dtype float32, but the result has shape "
                                           r"\(2,\) and dtype float32; nothing was written"):
        ag.add(ag.ones(2), 1.0, out=out)
    with pytest.raises(RuntimeError, match="dtype float64"):
        ag.mul(ag.ones(3, dtype=ag.float64), 2.0, out=out)
    np.testing.assert_array_equal(out._data, np.zeros(3))
    assert out.version == 0


def test_out_refuses_autograd_as_pytorch_does():
    x, out = ag.ones(2, requires_grad=True), ag.zeros(2)
    with pytest.raises(RuntimeError, match=r"add\(\): functions with out=... arguments don't support automatic "
                                           "differentiation, but one of the arguments requires grad"):
        ag.add(x, 1.0, out=out)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        ag.mul(ag.ones(2), 2.0, out=ag.zeros(2, requires_grad=True))
    with ag.no_grad():
        ag.add(x, 1.0, out=out)
    np.testing.assert_array_equal(out._data, [2.0, 2.0])


# ---- triangles and masks ----
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, max_side=4)), diagonal=st.integers(-3, 3))
def test_tril_and_triu(x, diagonal):
    np.testing.assert_array_equal(ag.tril(x, diagonal)._data, np.tril(x._data, diagonal))
    np.testing.assert_array_equal(x.triu(diagonal=diagonal)._data, np.triu(x._data, diagonal))
    check(lambda t: t.tril(diagonal), x)
    x.triu(diagonal).sum().backward()
    np.testing.assert_array_equal(x.grad._data, np.triu(np.ones(x.shape), diagonal))


def test_tril_needs_a_matrix():
    with pytest.raises(RuntimeError, match="tril: input tensor must have at least 2 dimensions"):
        ag.tril(ag.ones(3))
    assert ag.triu(ag.ones(2, 3, dtype=ag.int64)).dtype == ag.int64


@given(x=tensors(shape=SMALL), data=st.data())
def test_masked_fill_broadcasts_the_mask(x, data):
    mask = data.draw(hnp.arrays(np.bool_, data.draw(hnp.broadcastable_shapes(x.shape, max_dims=x.ndim))))
    y = x.masked_fill(ag.tensor(mask), -7.0)
    np.testing.assert_array_equal(y._data, np.where(mask, -7.0, x._data))
    check(lambda t: t.masked_fill(ag.tensor(mask), -7.0), x)


def test_masked_fill_value_tensor_gets_the_gradient_and_in_place_works():
    x, value = leaf([1.0, 2.0, 3.0]), leaf(5.0)
    mask = ag.tensor([True, False, True])
    ag.masked_fill(x, mask, value).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 1.0, 0.0])
    assert value.grad.item() == 2.0
    scores = ag.zeros(2, 2)
    scores.masked_fill_(ag.tensor([[False, True], [False, False]]), -math.inf)
    np.testing.assert_array_equal(scores._data, [[0.0, -np.inf], [0.0, 0.0]])
    with pytest.raises(RuntimeError, match="masked_fill only supports boolean masks"):
        x.masked_fill(ag.tensor([1, 0, 1]), 0.0)
    assert ag.tensor([1, 2]).masked_fill(ag.tensor([True, False]), 2.7).tolist() == [2, 2]  # x's dtype


# ---- reshaping helpers ----
@given(x=tensors(shape=SMALL), data=st.data())
def test_repeat_is_numpy_tile(x, data):
    sizes = tuple(data.draw(st.lists(st.integers(0, 3), min_size=x.ndim, max_size=x.ndim + 2)))
    np.testing.assert_array_equal(x.repeat(*sizes)._data, np.tile(x._data, sizes))
    check(lambda t: t.repeat(sizes), x)


def test_repeat_needs_as_many_sizes_as_dimensions():
    with pytest.raises(RuntimeError, match="can not be smaller than the number of dimensions"):
        ag.ones(2, 2).repeat(2)


@given(x=tensors(shape=shapes(min_dims=1, max_dims=3, max_side=3)), data=st.data())
def test_flip_and_roll_match_numpy(x, data):
    dims = data.draw(st.lists(st.integers(0, x.ndim - 1), unique=True))
    np.testing.assert_array_equal(x.flip(dims)._data, np.flip(x._data, dims))
    np.testing.assert_array_equal(ag.flip(x, *dims)._data if dims else x._data, np.flip(x._data, dims))
    shifts = data.draw(st.lists(st.integers(-5, 5), min_size=len(dims), max_size=len(dims)))
    np.testing.assert_array_equal(x.roll(shifts, dims)._data if dims else x._data, np.roll(x._data, shifts, dims))
    np.testing.assert_array_equal(ag.roll(x, 2)._data, np.roll(x._data, 2))


def test_flip_copies_and_roll_checks_its_arguments():
    x = ag.tensor([1.0, 2.0, 3.0])
    y = x.flip(0)
    y[0] = 10.0
    assert x.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(RuntimeError, match="shifts and dimensions must align"):
        x.roll((1, 2), 0)


def test_views_and_dtype_helpers():
    x, other = ag.arange(6.0), ag.zeros(2, 3, dtype=ag.float64)
    assert x.view_as(other).shape == (2, 3) and x.reshape_as(other).shape == (2, 3)
    assert ag.ones(3).expand_as(other).shape == (2, 3)
    assert x.contiguous() is x and x.type_as(other).dtype == ag.float64


# ---- comparisons ----
@given(pair=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3), data=st.data())
def test_comparisons_match_numpy(pair, data):
    grid = st.integers(-3, 3).map(float)  # equal values happen
    a = data.draw(tensors(shape=pair.input_shapes[0], elements=grid))
    b = data.draw(tensors(shape=pair.input_shapes[1], elements=grid))
    for name, ufunc in (("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
                        ("gt", np.greater), ("ge", np.greater_equal)):
        result = getattr(ag, name)(a, b)
        np.testing.assert_array_equal(result._data, ufunc(a._data, b._data))
        assert result.dtype == np.bool_ and not result.requires_grad
        np.testing.assert_array_equal(getattr(a, name)(1.0)._data, ufunc(a._data, 1.0))


def test_any_all_and_value_tests():
    x = ag.tensor([[0.0, 1.0, np.nan], [np.inf, -np.inf, 2.0]])
    np.testing.assert_array_equal(x.isnan()._data, np.isnan(x._data))
    np.testing.assert_array_equal(ag.isinf(x)._data, np.isinf(x._data))
    np.testing.assert_array_equal(ag.isfinite(x)._data, np.isfinite(x._data))
    flags = ag.tensor([[True, False], [True, True]])
    assert flags.any().item() and not flags.all().item()
    np.testing.assert_array_equal(flags.all(dim=1)._data, [False, True])
    np.testing.assert_array_equal(ag.any(flags, axis=0, keepdims=True)._data, [[True, True]])
    assert ag.allclose(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0 + 1e-6]))
    assert not ag.allclose(ag.tensor([1.0]), ag.tensor([1.1]))
    assert ag.allclose(ag.tensor([np.nan]), ag.tensor([np.nan]), equal_nan=True)
    assert ag.equal(ag.tensor([1, 2]), ag.tensor([1, 2])) and not ag.tensor([1, 2]).equal(ag.tensor([[1, 2]]))


# ---- numpy's argument names ----
REDUCTIONS = ["sum", "mean", "amax", "amin", "logsumexp", "prod", "var", "std", "argmax", "argmin", "norm",
              "cumsum", "cumprod", "softmax", "log_softmax"]


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_take_axis_and_keepdims(name):
    x = ag.tensor(np.arange(1.0, 7.0).reshape(2, 3))
    keeps = name not in ("cumsum", "cumprod", "softmax", "log_softmax")
    method = getattr(x, name)
    expected = method(dim=1, keepdim=True) if keeps else method(dim=1)
    got = method(axis=1, keepdims=True) if keeps else method(axis=1)
    np.testing.assert_array_equal(got._data, expected._data)
    if keeps:
        np.testing.assert_array_equal(getattr(ag, name)(x, axis=1, keepdims=True)._data, expected._data)
        with pytest.raises(TypeError, match="got both dim= and its alias axis="):
            method(dim=1, axis=1)


def test_max_min_along_an_axis_and_of_two_tensors():
    x = ag.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert x.max(axis=1).indices.tolist() == [1, 0] and ag.min(x, axis=0, keepdims=True).values.tolist() == [[1, 2]]
    np.testing.assert_array_equal(ag.max(x, ag.tensor([3.0, 3.0]))._data, [[3.0, 5.0], [7.0, 3.0]])


# ---- nn.functional helpers ----
def test_one_hot():
    y = F.one_hot(ag.tensor([[0, 2], [1, 0]]))
    assert y.dtype == ag.int64 and y.shape == (2, 2, 3)
    np.testing.assert_array_equal(y._data, np.eye(3, dtype=np.int64)[[[0, 2], [1, 0]]])
    assert F.one_hot(ag.tensor([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    with pytest.raises(RuntimeError, match="non-negative"):
        F.one_hot(ag.tensor([-1, 0]))
    with pytest.raises(RuntimeError, match=r"smaller than num_classes \(2\)"):
        F.one_hot(ag.tensor([2]), 2)
    with pytest.raises(RuntimeError, match="index tensors"):
        F.one_hot(ag.tensor([1.0]))


@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, max_side=3), elements=floats(0.1, 3)),
       p=st.sampled_from([1.0, 2.0, 3.0]))
def test_normalize(x, p):
    norms = np.sum(np.abs(x._data) ** p, axis=1, keepdims=True) ** (1 / p)
    np.testing.assert_allclose(F.normalize(x, p=p)._data, x._data / norms, rtol=1e-12)
    check(lambda t: F.normalize(t, p, dim=-1), x)
    assert F.normalize(ag.zeros(2, 3)).tolist() == [[0.0] * 3] * 2  # eps keeps 0 / 0 away


def test_logical_and_bitwise_ops_on_masks_follow_numpy_and_refuse_floats():
    a = ag.tensor([1.0, 2.0, 3.0, 4.0])
    low, high = a > 1, a < 4
    expected_low, expected_high = np.array([1, 2, 3, 4]) > 1, np.array([1, 2, 3, 4]) < 4
    assert (low & high).tolist() == (expected_low & expected_high).tolist()
    assert (low | ~high).tolist() == (expected_low | ~expected_high).tolist()
    assert (low ^ high).tolist() == (expected_low ^ expected_high).tolist()
    assert low.logical_and(high).tolist() == (low & high).tolist() and low.logical_not().tolist() == (~low).tolist()
    assert (ag.tensor([6, 3]) & ag.tensor([3, 5])).tolist() == [2, 1]
    with pytest.raises(TypeError, match="only supported for integer and boolean tensors, got float32"):
        _ = a & a


def test_alpha_copy_and_pytorchs_spellings():
    x, y = ag.tensor([1.0, 2.0]), ag.tensor([10.0, 20.0])
    assert ag.add(x, y, alpha=2).tolist() == [21.0, 42.0] and x.sub(y, alpha=0.5).tolist() == [-4.0, -8.0]
    x.add_(y, alpha=-1)
    assert x.tolist() == [-9.0, -18.0]
    w = ag.zeros(2, 2, requires_grad=True)
    with ag.no_grad():
        w.copy_(ag.tensor([1.0, 2.0], dtype=np.float64))  # broadcast and cast, as PyTorch's copy_
    assert w.tolist() == [[1.0, 2.0], [1.0, 2.0]] and w.dtype == np.float32 and w.is_leaf
    src = ag.tensor([3.0, 4.0], requires_grad=True)
    h = ag.ones(2) * 5
    h.copy_(src)  # recorded: the gradient goes to src, none to what h held
    (h * h).sum().backward()
    assert src.grad.tolist() == [6.0, 8.0]
    assert ag.autograd.grad is ag.grad and ag.autograd.Function is ag.Function  # torch.autograd.grad, ...
    assert ag.logical_or(x > 0, x < -10).tolist() == [False, True] and ag.numel(w) == 4 and ag.is_tensor(w)


def test_reductions_over_an_empty_dim_reduce_everything_and_softmax_wants_one_int():
    x = ag.tensor([[1.0, 2.0], [3.0, 5.0]])
    assert x.sum(dim=()).item() == 11.0 and x.mean(dim=[]).item() == 2.75 and x.amax(dim=()).item() == 5.0
    np.testing.assert_allclose(x.var(dim=()).item(), np.var([1.0, 2.0, 3.0, 5.0], ddof=1), rtol=1e-6)
    for dim in [(1, 0), None, 1.0]:
        with pytest.raises(TypeError, match="argument 'dim' must be int"):
            ag.softmax(x, dim)


def test_clone_is_its_own_node_and_copies():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert y.grad_fn.name() == "CloneBackward" and not np.shares_memory(y._data, x._data)
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
