"""In-place changes and the errors that protect the gradients; each error names the problem."""
import numpy as np
import pytest

import autograd as ag


def test_inplace_operators_change_the_tensor_itself():
    x = ag.tensor([1.0, 2.0])
    same = x
    x += 1
    x -= 0.5
    x *= 2
    x /= 3
    assert x is same
    np.testing.assert_allclose(x._data, [1.0, 5.0 / 3])
    assert x.zero_() is same and np.all(x._data == 0)
    assert x.fill_(7)._data.tolist() == [7.0, 7.0]


def test_inplace_on_a_leaf_that_requires_grad_is_refused_unless_under_no_grad():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"leaf Tensor that requires grad .* in-place operation \(sub_\)"):
        w -= 1
    np.testing.assert_array_equal(w._data, [1.0, 2.0])
    with ag.no_grad():
        w -= 1
    np.testing.assert_array_equal(w._data, [0.0, 1.0])
    assert w.is_leaf and w.requires_grad


def test_inplace_on_a_non_leaf_is_recorded():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    h = x * 1
    h *= x  # h = x * x, recorded
    h += 3
    h.sum().backward()
    np.testing.assert_array_equal(x.grad._data, 2 * x._data)
    assert h.grad_fn.name() == "AddBackward"


def test_changing_a_saved_tensor_in_place_makes_backward_raise_naming_the_op():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    y = h * h  # Mul saves h
    h += 1
    with pytest.raises(RuntimeError, match=r"saved by MulBackward.*modified by an in-place operation"):
        y.sum().backward()


def test_changing_a_saved_output_in_place_makes_backward_raise():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # Exp saves its output
    y *= 2
    with pytest.raises(RuntimeError, match=r"output of ExpBackward .* modified by an in-place operation"):
        y.sum().backward()


def test_changing_a_saved_constant_through_a_detached_view_is_seen():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    x = ag.tensor([3.0, 4.0])
    y = (w * x).sum()
    x.detach().zero_()  # shares x's data and its version counter
    with pytest.raises(RuntimeError, match="MulBackward"):
        y.backward()


def test_inplace_shape_and_dtype_errors_leave_the_tensor_unchanged():
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"add_: the result's shape \(2, 2\) doesn't match .* \(2,\)"):
        x += ag.ones(2, 2)
    ints = ag.tensor([1, 2])
    with pytest.raises(RuntimeError, match="mul_: the result's dtype float32 can't be cast to .* int64"):
        ints *= 1.5
    np.testing.assert_array_equal(x._data, [1.0, 2.0])
    np.testing.assert_array_equal(ints._data, [1, 2])
    assert x.version == 0 and ints.version == 0


def test_backward_from_a_non_scalar_needs_a_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"implicitly created only for scalar outputs: output 0 has shape \(2,\)"):
        (x * 2).backward()
    assert x.grad is None


def test_gradient_of_the_wrong_shape_is_refused():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"gradient of output 0 has shape \(3,\) but the output has shape \(2,\)"):
        (x * 2).backward(ag.ones(3))


def test_second_backward_through_a_freed_graph_says_so():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time.*retain_graph=True"):
        y.backward()
    np.testing.assert_array_equal(x.grad._data, [2.0, 4.0])  # unchanged by the refused second pass


def test_retain_graph_allows_a_second_backward():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad._data, [4.0, 8.0])


def test_backward_on_a_tensor_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor(1.0).backward()


def test_item_and_bool_want_one_element():
    with pytest.raises(RuntimeError, match="2 elements cannot be converted"):
        ag.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with 2 values is ambiguous"):
        bool(ag.tensor([1.0, 2.0]))
    assert bool(ag.tensor([3.0])) and not bool(ag.tensor(0.0))


def test_numpy_of_a_tensor_that_requires_grad_points_to_detach():
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        ag.tensor([1.0], requires_grad=True).numpy()


def test_setitem_writes_in_place_and_checks_the_value_first():
    x = ag.zeros(3, 4)
    x[0] = 1
    x[:, 1] = ag.tensor([5.0, 6.0, 7.0])
    x[x > 5] = -1
    expected = np.zeros((3, 4))
    expected[0] = 1
    expected[:, 1] = [5, -1, -1]
    np.testing.assert_array_equal(x._data, expected)
    assert x.version == 3
    with pytest.raises(ValueError, match=r"value of shape \(5,\) does not fit a tensor of shape \(3, 4\)"):
        x[0] = ag.ones(5)
    with pytest.raises(IndexError, match=r"does not fit a tensor of shape \(3, 4\)"):
        x[[0, 7]] = 2.0
    np.testing.assert_array_equal(x._data, expected)


def test_setitem_is_differentiable_in_the_written_value():
    w = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    base = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    h = base * 1
    h[:, 0] = w * 2  # the overwritten column no longer depends on base
    (h * h).sum().backward()
    np.testing.assert_array_equal(w.grad._data, 2 * (2 * w._data) * 2)
    np.testing.assert_array_equal(base.grad._data, np.where([[0, 1, 1]] * 2, 2 * base._data, 0))
    assert ag.gradcheck(_put, (base, w))
    assert ag.gradgradcheck(_put, (base, w))


def _put(b, v):
    h = b * 1
    h[:, 0] = v * 2
    return h


def test_an_in_place_change_through_a_view_is_seen_by_backward():
    w = ag.tensor([1.0, 1.0, 1.0], requires_grad=True)
    x = ag.tensor([1.0, 2.0, 3.0])
    z = (w * x).sum()
    x.reshape(1, 3)[0, 0] = 10.0  # changes x's memory through a view
    np.testing.assert_array_equal(x._data, [10.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="saved by MulBackward.*modified by an in-place operation"):
        z.backward()


def test_an_in_place_change_of_a_slice_under_no_grad_is_seen_by_backward():
    a = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 2
    c = (b * b).sum()
    with ag.no_grad():
        b[0:2].mul_(0)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        c.backward()


def test_a_recorded_in_place_change_through_a_view_is_refused():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    w = ag.tensor([3.0], requires_grad=True)
    b = a * 2
    view = b[0:1]
    with pytest.raises(RuntimeError, match=r"mul_: this tensor is a view of another tensor's memory"):
        view.mul_(w)
    np.testing.assert_array_equal(b._data, [2.0, 4.0])
    assert view._base is b and b.version == 0
