"""einsum against numpy's, over drawn sizes: products, traces, diagonals, implicit outputs, ellipses and
broadcast size-1 dimensions; gradients against central differences; errors for what it refuses."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.testing import shapes, tensors

EQUATIONS = ["ij,jk->ik", "ij,jk", "bij,bjk->bik", "i,i->", "i,i", "i,j->ij", "ij->", "ij->ji", "ji", "ii->", "ii",
             "ii->i", "iij->ji", "iii->i", "ij,ij->ij", "ij,jk,kl->il", "i,j,k->kji", "...ij->...ji",
             "...i,...i->...", "b...,b...->...b", "Ba,aB"]


@given(equation=st.sampled_from(EQUATIONS), data=st.data())
def test_einsum_matches_numpy(equation, data):
    size = {c: data.draw(st.integers(1, 3)) for c in "bijklaB"}
    leading = data.draw(shapes(max_dims=2, max_side=3))
    terms = equation.split("->")[0].split(",")
    operands = [data.draw(tensors(shape=(leading if "..." in t else ()) + tuple(size[c] for c in t.replace(".", ""))))
                for t in terms]
    expected = np.einsum(equation, *[o._data for o in operands])
    out = ag.einsum(equation, *operands)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out._data, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ag.einsum(equation, operands)._data, expected, rtol=1e-12, atol=1e-12)  # a list
    assert gradcheck(lambda *o: ag.einsum(equation, *o), operands)
    assert gradgradcheck(lambda *o: ag.einsum(equation, *o), operands)


def test_einsum_broadcasts_size_one_and_ellipsis_dimensions():
    a, b = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True), ag.tensor([[2.0, 3.0, 4.0]])
    np.testing.assert_array_equal(ag.einsum("ij,ij->ij", a, b)._data, a._data * b._data)
    x, y = ag.tensor(np.ones((2, 1, 3))), ag.tensor(np.ones((4, 3)))
    assert ag.einsum("...i,...i->...", x, y).shape == (2, 4)
    ag.einsum("ij,ij->", a, b).backward()
    np.testing.assert_array_equal(a.grad._data, np.broadcast_to(b._data, (2, 3)))


def test_einsum_diagonal_gradient_is_zero_off_the_diagonal():
    x = ag.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    ag.einsum("ii", x).backward()
    np.testing.assert_array_equal(x.grad._data, np.eye(3))
    assert ag.einsum("ii->i", x).tolist() == [0.0, 4.0, 8.0]


@pytest.mark.parametrize("equation, shapes_, message", [
    ("ij,jk->ik", [(2, 3)], "names 2 operands, but 1 were given"),
    ("ij->i", [(2, 3, 4)], "operand 0 has 3 dimensions"),
    ("ij,jk->ik", [(2, 3), (4, 5)], "subscript 'j' has size 4 in operand 1"),
    ("i1->i", [(2, 3)], "invalid subscript '1'"),
    ("ij->ii", [(2, 2)], "output subscript 'i' of 'ij->ii' appears more than once"),
    ("ij->k", [(2, 2)], "output subscript 'k' of 'ij->k' appears in no operand"),
    ("...ij->ij", [(4, 2, 2)], "has no '...'"),
    ("ii->i", [(2, 3)], "repeated in operand 0 for dimensions of different sizes"),
])
def test_einsum_errors(equation, shapes_, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        ag.einsum(equation, *[ag.ones(s) for s in shapes_])


def test_einsum_promotes_dtypes_and_refuses_the_sublist_form():
    out = ag.einsum("i,i", ag.ones(2), ag.ones(2, dtype=ag.float64))
    assert out.dtype == ag.float64 and out.item() == 2.0
    with pytest.raises(TypeError, match="sublist form"):
        ag.einsum(ag.ones(2), [0], ag.ones(2), [0])
