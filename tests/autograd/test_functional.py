"""autograd.functional: jacobian, hessian, vjp, jvp, vhp and hvp against closed forms and finite differences."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import autograd.functional
from autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp
from autograd.testing import floats, shapes, tensors

SMALL_SHAPES = shapes(max_dims=3, max_side=3)
SPEED = [0.0, 2.0, 3.0, 6.0, 4.0]  # the lecture's five points
DISTANCE = [12.0, 16.0, 10.0, 20.0, 22.0]


def constants(shape, elements=None):
    """Drawn tensors that do not require grad (the transforms make their own variables)."""
    return tensors(shape=shape, elements=elements, requires_grad=False)


def f64(values) -> ag.Tensor:
    return ag.tensor(np.asarray(values, dtype=np.float64))


def numerical_jacobian(func, xs: list[np.ndarray], h: float = 1e-6) -> list[list[np.ndarray]]:
    """J[o][k] = d output o / d input k by central differences, of shape output.shape + input.shape."""
    def outputs(arrays):
        with ag.no_grad():
            result = func(*[f64(a) for a in arrays])
        return [r.numpy() for r in (result if isinstance(result, tuple) else (result,))]

    base = outputs(xs)
    blocks = [[np.zeros(out.shape + x.shape) for x in xs] for out in base]
    for k, x in enumerate(xs):
        for index in np.ndindex(x.shape):
            plus, minus = [a.copy() for a in xs], [a.copy() for a in xs]
            plus[k][index] += h
            minus[k][index] -= h
            for o, (p, m) in enumerate(zip(outputs(plus), outputs(minus))):
                blocks[o][k][(...,) + index] = (p - m) / (2 * h)
    return blocks


def numerical_hessian(func, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """H[i, j] = d^2 f / dx_i dx_j by the four-point central difference of f itself."""
    def f(a):
        with ag.no_grad():
            return func(f64(a)).item()

    hess = np.zeros(x.shape + x.shape)
    for i in np.ndindex(x.shape):
        for j in np.ndindex(x.shape):
            corners = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                a = x.copy()
                a[i] += si * h
                a[j] += sj * h
                corners.append(f(a))
            hess[i + j] = (corners[0] - corners[1] - corners[2] + corners[3]) / (4 * h * h)
    return hess


# ---- the module is where PyTorch has it ----
def test_functional_is_a_submodule_reachable_from_the_package():
    assert ag.functional is autograd.functional
    assert ag.functional.jacobian is jacobian and "functional" in ag.__all__


# ---- closed forms ----
@given(m=st.integers(1, 4), n=st.integers(1, 4), data=st.data())
def test_jacobian_of_a_linear_map_is_its_matrix(m, n, data):
    a = data.draw(constants((m, n)))
    x = data.draw(constants((n,)))
    jac = jacobian(lambda x: a @ x + 1.0, x)
    np.testing.assert_allclose(jac.numpy(), a.numpy(), rtol=1e-12, atol=1e-12)
    assert not jac.requires_grad and jac.shape == (m, n)


@given(n=st.integers(1, 5), data=st.data())
def test_hessian_of_a_quadratic_form_is_a_plus_a_transposed(n, data):
    a = data.draw(constants((n, n))).numpy()
    x = data.draw(constants((n,)))
    hess = hessian(lambda x: x @ f64(a) @ x, x)
    np.testing.assert_allclose(hess.numpy(), a + a.T, rtol=1e-12, atol=1e-12)
    assert not hess.requires_grad


def test_hessian_of_the_least_squares_loss_is_two_x_transposed_x_over_n():
    x = np.column_stack([np.ones(5), SPEED])  # rows (1, speed): the model b + w * speed
    y = np.array(DISTANCE)

    def mean_squared_error(params):
        return ((f64(x) @ params - f64(y)) ** 2).mean()

    for params in ([0.0, 0.0], [11.5, 1.5], [-3.0, 7.0]):  # the same everywhere: the loss is quadratic
        hess = hessian(mean_squared_error, f64(params))
        np.testing.assert_allclose(hess.numpy(), 2 * x.T @ x / 5, rtol=1e-12)
    # by hand: X^T X = [[5, 15], [15, 65]], so H = [[2, 6], [6, 26]]
    np.testing.assert_allclose(hessian(mean_squared_error, f64([1.0, 1.0])).numpy(), [[2, 6], [6, 26]], rtol=1e-12)


def test_products_agree_with_the_closed_form_jacobian_and_hessian():
    rng = np.random.default_rng(0)
    a, x0, u, w = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(3), rng.standard_normal(4)

    def cubic_map(x):  # f(x) = A x^3 (elementwise cube): J = A diag(3 x^2)
        return f64(a) @ x ** 3

    jac = a * 3 * x0 ** 2
    out, product = vjp(cubic_map, f64(x0), f64(u))
    np.testing.assert_allclose(out.numpy(), a @ x0 ** 3, rtol=1e-12)
    np.testing.assert_allclose(product.numpy(), u @ jac, rtol=1e-12)
    out, product = jvp(cubic_map, f64(x0), f64(w))
    np.testing.assert_allclose(product.numpy(), jac @ w, rtol=1e-12)

    def energy(x):  # f(x) = sum(x^4) / 4 + x^T B x: H = diag(3 x^2) + B + B^T
        return (x ** 4).sum() / 4 + x @ f64(a[:, :3].T @ a[:, :3]) @ x

    b = a[:, :3].T @ a[:, :3]
    hess = np.diag(3 * x0[:3] ** 2) + b + b.T
    asymmetric = rng.standard_normal((3, 3))
    value, product = hvp(lambda x: energy(x) + x @ f64(asymmetric) @ x.sin(), f64(x0[:3]), f64(w[:3]))
    # x^T C sin(x) = sum_kl x_k C_kl sin x_l adds C_ij cos x_j + C_ji cos x_i - delta_ij (C^T x)_i sin x_i
    s, c = np.sin(x0[:3]), np.cos(x0[:3])
    extra = asymmetric * c + (asymmetric * c).T - np.diag((asymmetric.T @ x0[:3]) * s)
    full = hess + extra
    np.testing.assert_allclose(product.numpy(), full @ w[:3], rtol=1e-10)
    _, product = vhp(lambda x: energy(x) + x @ f64(asymmetric) @ x.sin(), f64(x0[:3]), f64(w[:3]))
    np.testing.assert_allclose(product.numpy(), w[:3] @ full, rtol=1e-10)
    assert value.item() == pytest.approx(energy(f64(x0[:3])).item() + x0[:3] @ asymmetric @ s)


# ---- finite differences, on drawn shapes ----
@given(x=constants(SMALL_SHAPES, elements=floats(-2, 2)))
def test_jacobian_matches_finite_differences(x):
    def func(x):
        return x.tanh() * (x.sin().sum() + 2)

    jac = jacobian(func, x)
    assert jac.shape == x.shape + x.shape
    np.testing.assert_allclose(jac.numpy(), numerical_jacobian(func, [x.numpy()])[0][0], rtol=1e-6, atol=1e-8)


@given(data=st.data())
def test_jacobian_of_tuples_nests_per_output_then_per_input(data):
    a = data.draw(constants(SMALL_SHAPES, elements=floats(-2, 2)))
    b = data.draw(constants(SMALL_SHAPES, elements=floats(-2, 2)))

    def func(a, b):
        return a * b.exp().sum(), a.sin().sum() * b, (a * a).sum()

    jac = jacobian(func, (a, b))
    expected = numerical_jacobian(func, [a.numpy(), b.numpy()])
    assert isinstance(jac, tuple) and len(jac) == 3 and all(isinstance(row, tuple) and len(row) == 2 for row in jac)
    for o, out in enumerate(func(a, b)):
        for k, x in enumerate((a, b)):
            assert jac[o][k].shape == out.shape + x.shape
            np.testing.assert_allclose(jac[o][k].numpy(), expected[o][k], rtol=1e-6, atol=1e-8)
    one_input = jacobian(lambda a: (a.exp(), a.sum()), a)  # a tuple of outputs, one input: a tuple of Tensors
    assert isinstance(one_input, tuple) and all(isinstance(j, ag.Tensor) for j in one_input)
    one_output = jacobian(lambda a, b: a.exp().sum() * b, (a, b))  # one output, a tuple of inputs
    assert isinstance(one_output, tuple) and all(isinstance(j, ag.Tensor) for j in one_output)


@given(x=constants(shapes(max_dims=2, max_side=3), elements=floats(-1.5, 1.5)))
def test_hessian_matches_finite_differences(x):
    def func(x):
        return (x.exp() * x.cos()).sum() * (x * x).sum()

    hess = hessian(func, x)
    assert hess.shape == x.shape + x.shape
    np.testing.assert_allclose(hess.numpy(), numerical_hessian(func, x.numpy()), rtol=1e-5, atol=1e-5)


@given(data=st.data())
def test_products_match_finite_difference_jacobians_on_tuples(data):
    a = data.draw(constants(SMALL_SHAPES, elements=floats(-2, 2)))
    b = data.draw(constants(SMALL_SHAPES, elements=floats(-2, 2)))
    va, vb = data.draw(constants(a.shape)), data.draw(constants(b.shape))

    def func(a, b):
        return (a.tanh() * b.sum(), (a * a).sum() + b.exp())

    (ja_a, ja_b), (jb_a, jb_b) = numerical_jacobian(func, [a.numpy(), b.numpy()])
    outs = func(a, b)
    ua, ub = data.draw(constants(outs[0].shape)), data.draw(constants(outs[1].shape))

    def vector_times(v: ag.Tensor, jac: np.ndarray, v_first: bool) -> tuple[np.ndarray, np.ndarray]:
        """u J (over the output's dimensions) or J v (over the input's), and the same with |u| and |J|: the scale
        of the terms summed. Central differences round each entry by about 1e-10 of the outputs' size (the 1e-7
        floor below) and of the entry itself (the 1e-8 of the scale, for large entries that cancel)."""
        if v_first:
            return (np.tensordot(v.numpy(), jac, v.ndim), np.tensordot(np.abs(v.numpy()), np.abs(jac), v.ndim))
        lead = jac.ndim - v.ndim
        return (np.tensordot(jac, v.numpy(), axes=v.ndim).reshape(jac.shape[:lead]),
                np.tensordot(np.abs(jac), np.abs(v.numpy()), axes=v.ndim).reshape(jac.shape[:lead]))

    def assert_sum_of(actual: ag.Tensor, *products: tuple[np.ndarray, np.ndarray]) -> None:
        expected, scale = sum(p[0] for p in products), sum(p[1] for p in products)
        assert np.all(np.abs(actual.numpy() - expected) <= 1e-6 * np.abs(expected) + 1e-8 * scale + 1e-7)

    _, (pa, pb) = vjp(func, (a, b), (ua, ub))
    assert_sum_of(pa, vector_times(ua, ja_a, True), vector_times(ub, jb_a, True))
    assert_sum_of(pb, vector_times(ua, ja_b, True), vector_times(ub, jb_b, True))
    _, (qa, qb) = jvp(func, (a, b), (va, vb))
    assert_sum_of(qa, vector_times(va, ja_a, False), vector_times(vb, ja_b, False))
    assert_sum_of(qb, vector_times(va, jb_a, False), vector_times(vb, jb_b, False))


@given(x=constants(shapes(max_dims=2, max_side=3), elements=floats(-1.5, 1.5)), data=st.data())
def test_hvp_and_vhp_match_the_finite_difference_hessian(x, data):
    v = data.draw(constants(x.shape))

    def func(x):
        return (x.sin() * x.sum()).sum() + (x ** 4).sum()

    hess = numerical_hessian(func, x.numpy())
    _, h_v = hvp(func, x, v)
    _, v_h = vhp(func, x, v)
    np.testing.assert_allclose(h_v.numpy(), np.tensordot(hess, v.numpy(), v.ndim), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(v_h.numpy(), np.tensordot(v.numpy(), hess, v.ndim), rtol=1e-5, atol=1e-5)


def test_hessian_of_tuple_inputs_is_a_tuple_of_tuples():
    a, b = f64([1.0, 2.0]), f64([3.0, -1.0, 0.5])
    hess = hessian(lambda a, b: (a ** 2).sum() * b.sum() + (b ** 3).sum(), (a, b))
    # d2/da2 = 2 sum(b) I; d2/da db = 2 a 1^T; d2/db2 = diag(6 b)
    np.testing.assert_allclose(hess[0][0].numpy(), 2 * 2.5 * np.eye(2))
    np.testing.assert_allclose(hess[0][1].numpy(), 2 * np.outer([1.0, 2.0], np.ones(3)))
    np.testing.assert_allclose(hess[1][0].numpy(), 2 * np.outer(np.ones(3), [1.0, 2.0]))
    np.testing.assert_allclose(hess[1][1].numpy(), np.diag([18.0, -6.0, 3.0]))


# ---- graphs: create_graph, and what the function captures ----
def test_create_graph_gives_differentiable_results_a_third_derivative_of_a_cubic():
    x = ag.tensor([0.5, -2.0, 3.0], dtype=np.float64, requires_grad=True)
    c = np.array([1.0, 2.0, -1.0])
    hess = hessian(lambda x: (f64(c) * x ** 3).sum(), x, create_graph=True)  # diag(6 c x)
    np.testing.assert_allclose(hess.detach().numpy(), np.diag(6 * c * np.array([0.5, -2.0, 3.0])))
    assert hess.requires_grad
    (third,) = ag.grad(hess.sum(), x)  # d/dx_k sum_ij H_ij = 6 c_k
    np.testing.assert_allclose(third.numpy(), 6 * c)
    jac = jacobian(lambda x: x ** 3, x, create_graph=True)
    (second,) = ag.grad(jac.sum(), x)  # d/dx_k of 3 x_k^2 = 6 x_k
    np.testing.assert_allclose(second.numpy(), 6 * np.array([0.5, -2.0, 3.0]))
    ones = f64([1.0, 1.0, 1.0])
    for product, expected in ((vjp(lambda x: x ** 3, x, ones, create_graph=True)[1], 6 * x.detach().numpy()),
                              (jvp(lambda x: x ** 3, x, ones, create_graph=True)[1], 6 * x.detach().numpy()),
                              (hvp(lambda x: (x ** 3).sum(), x, ones, create_graph=True)[1], [6.0, 6.0, 6.0])):
        (g,) = ag.grad(product.sum(), x)  # 3 x^2 summed (vjp, jvp), 6 x summed (hvp), differentiated again
        np.testing.assert_allclose(g.numpy(), expected)


def test_without_create_graph_nothing_returned_requires_grad():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    results = [*vjp(lambda x: x.exp(), x, f64([1.0, 1.0])), *jvp(lambda x: x.exp(), x, f64([1.0, 1.0])),
               *hvp(lambda x: x.exp().sum(), x, f64([1.0, 1.0])), *vhp(lambda x: x.exp().sum(), x, f64([1.0, 1.0])),
               jacobian(lambda x: x.exp(), x), hessian(lambda x: x.exp().sum(), x)]
    assert all(isinstance(r, ag.Tensor) and not r.requires_grad and r.grad_fn is None for r in results)
    assert x.grad is None


def test_only_the_given_input_is_differentiated_not_the_same_tensor_captured():
    x = f64([1.0, 2.0, 3.0])
    jac = jacobian(lambda t: t * x, x)  # x enters twice, but only the argument is the variable
    np.testing.assert_allclose(jac.numpy(), np.diag([1.0, 2.0, 3.0]))


def test_transforms_work_inside_no_grad():
    with ag.no_grad():
        hess = hessian(lambda x: (x ** 3).sum(), f64([1.0, 2.0]))
    np.testing.assert_allclose(hess.numpy(), np.diag([6.0, 12.0]))


def test_a_function_of_one_element_needs_no_v():
    out, g = vjp(lambda x: (x ** 2).sum(), f64([1.0, 3.0]))
    assert out.item() == 10.0
    np.testing.assert_allclose(g.numpy(), [2.0, 6.0])
    _, d = jvp(lambda x: x ** 2 * f64([1.0, 2.0]), f64(3.0))  # one input of one element
    np.testing.assert_allclose(d.numpy(), [6.0, 12.0])


# ---- independence: zeros, or errors in strict mode ----
def test_an_output_independent_of_an_input_gives_zeros_or_a_strict_error():
    a, b = f64([1.0, 2.0]), f64([3.0])
    jac = jacobian(lambda a, b: a * 2, (a, b))
    np.testing.assert_array_equal(jac[1].numpy(), np.zeros((2, 1)))
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function is independent of input 1"):
        jacobian(lambda a, b: a * 2, (a, b), strict=True)
    _, (_, gb) = vjp(lambda a, b: a * 2, (a, b), f64([1.0, 1.0]))
    np.testing.assert_array_equal(gb.numpy(), [0.0])
    with pytest.raises(RuntimeError, match="The output of the user-provided function is independent of input 1"):
        vjp(lambda a, b: a * 2, (a, b), f64([1.0, 1.0]), strict=True)
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function does not require gradients"):
        vjp(lambda a: f64([1.0, 1.0]), a, f64([1.0, 1.0]), strict=True)


def test_a_linear_function_has_a_zero_hessian_or_a_strict_error():
    m = f64([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(hessian(lambda x: (m @ x).sum(), f64([1.0, 1.0])).numpy(), np.zeros((2, 2)))
    _, product = hvp(lambda x: (m @ x).sum(), f64([1.0, 1.0]), f64([1.0, 1.0]))
    np.testing.assert_array_equal(product.numpy(), [0.0, 0.0])
    with pytest.raises(RuntimeError, match="the jacobian of the user-provided function with respect to input 0 is "
                                           "independent of the input"):
        hessian(lambda x: (m @ x).sum(), f64([1.0, 1.0]), strict=True)
    with pytest.raises(RuntimeError, match="The jacobian of the user-provided function is independent of input 0"):
        jacobian(lambda x: m @ x, f64([1.0, 1.0]), create_graph=True, strict=True)


# ---- bad arguments ----
def test_bad_arguments_are_refused_with_pytorchs_messages():
    x = f64([1.0, 2.0])
    with pytest.raises(TypeError, match="The inputs given to jacobian must be either a Tensor or a tuple of Tensors"):
        jacobian(lambda x: x, [1.0, 2.0])
    with pytest.raises(TypeError, match="outputs of the user-provided function given to vjp"):
        vjp(lambda x: x.detach().numpy(), x, x)
    with pytest.raises(RuntimeError, match=r"v has invalid size: should be \(2,\) but got \(3,\)"):
        vjp(lambda x: x * 2, x, f64([1.0, 2.0, 3.0]))
    with pytest.raises(RuntimeError, match="Entry 1 in v has invalid size"):
        jvp(lambda a, b: a * b, (x, x), (x, f64([1.0])))
    with pytest.raises(RuntimeError, match="v is a tuple of invalid length: should be 2 but got 1"):
        jvp(lambda a, b: a * b, (x, x), (x,))
    with pytest.raises(RuntimeError, match="The vector v can only be None if the user-provided function returns a "
                                           "single Tensor with a single element"):
        vjp(lambda x: x * 2, x)
    with pytest.raises(RuntimeError, match="should return a single Tensor"):
        hessian(lambda x: (x.sum(), x.sum()), x)
    with pytest.raises(RuntimeError, match="The Tensor returned by the function given to hvp should contain a "
                                           "single element"):
        hvp(lambda x: x * 2, x, x)
    with pytest.raises(RuntimeError, match="`strict=True` and `vectorized=True` are not supported together"):
        jacobian(lambda x: x, x, strict=True, vectorize=True)
    np.testing.assert_array_equal(jacobian(lambda x: x * 2, x, vectorize=True).numpy(), 2 * np.eye(2))
