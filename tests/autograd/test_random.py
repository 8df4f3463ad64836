"""Randomness: Generators (seeding, state), the random factories and in-place fills, and their distributions.

Distributions are checked with fixed seeds against closed forms, with tolerances of 5 standard errors computed
from the sample size (so a correct sampler fails with probability below 1e-6 per check).
"""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag

N = 100_000  # draws per statistical check


def within(observed: float, expected: float, standard_error: float) -> bool:
    return abs(observed - expected) <= 5 * standard_error


# every random function, as a call drawing 5-ish numbers from `generator`
DRAWS = {
    "rand": lambda g: ag.rand(5, generator=g),
    "randn": lambda g: ag.randn(2, 3, generator=g),
    "randint": lambda g: ag.randint(0, 1000, (5,), generator=g),
    "randperm": lambda g: ag.randperm(20, generator=g),
    "normal": lambda g: ag.normal(ag.zeros(5), ag.ones(5), generator=g),
    "normal_size": lambda g: ag.normal(1.0, 2.0, (5,), generator=g),
    "bernoulli": lambda g: ag.bernoulli(ag.full((20,), 0.5), generator=g),
    "multinomial": lambda g: ag.multinomial(ag.ones(20), 5, generator=g),
    "multinomial_replacement": lambda g: ag.multinomial(ag.ones(20), 5, True, generator=g),
    "rand_like": lambda g: ag.rand_like(ag.zeros(5), generator=g),
    "randn_like": lambda g: ag.randn_like(ag.zeros(5), generator=g),
    "randint_like": lambda g: ag.randint_like(ag.zeros(5), 1000, generator=g),
    "uniform_": lambda g: ag.zeros(5).uniform_(-1, 1, generator=g),
    "normal_": lambda g: ag.zeros(5).normal_(0, 1, generator=g),
    "random_": lambda g: ag.zeros(5).random_(0, 1000, generator=g),
    "bernoulli_": lambda g: ag.zeros(20).bernoulli_(0.5, generator=g),
}


# ---- determinism ----
@pytest.mark.parametrize("name", DRAWS)
def test_the_same_seed_gives_the_same_numbers_and_another_seed_others(name):
    draw = DRAWS[name]
    first = draw(ag.Generator().manual_seed(7)).numpy()
    np.testing.assert_array_equal(draw(ag.Generator().manual_seed(7)).numpy(), first)
    assert not np.array_equal(draw(ag.Generator().manual_seed(8)).numpy(), first)


@pytest.mark.parametrize("name", DRAWS)
def test_the_default_generator_is_used_when_none_is_given_and_is_seeded_by_manual_seed(name):
    draw = DRAWS[name]
    ag.manual_seed(11)
    from_default = draw(None).numpy()
    np.testing.assert_array_equal(from_default, draw(ag.Generator().manual_seed(11)).numpy())


@pytest.mark.parametrize("name", DRAWS)
def test_a_given_generator_leaves_the_default_one_alone(name):
    ag.manual_seed(3)
    expected = ag.rand(4).numpy()
    ag.manual_seed(3)
    DRAWS[name](ag.Generator().manual_seed(5))
    np.testing.assert_array_equal(ag.rand(4).numpy(), expected)


def test_generators_are_independent_streams():
    g1, g2 = ag.Generator().manual_seed(1), ag.Generator().manual_seed(1)
    a = ag.rand(3, generator=g1)
    ag.randn(100, generator=g1)  # drawing more from g1 does not move g2
    np.testing.assert_array_equal(ag.rand(3, generator=g2).numpy(), a.numpy())


@pytest.mark.parametrize("odd_draws", [0, 1, 3])
def test_get_state_and_set_state_continue_the_stream_exactly(odd_draws):
    g = ag.Generator().manual_seed(42)
    ag.randint(0, 10, (odd_draws,), generator=g)  # small-range integers use half-words: the state keeps the other half
    state = g.get_state()
    assert state.dtype == np.uint8 and state.ndim == 1

    def mixed():
        return [ag.rand(3, generator=g), ag.randint(0, 7, (3,), generator=g), ag.randn(2, generator=g),
                ag.multinomial(ag.ones(6), 3, generator=g), ag.randperm(5, generator=g)]

    first = [t.numpy() for t in mixed()]
    ag.rand(50, generator=g)
    assert g.set_state(state) is g
    for a, b in zip(first, mixed()):
        np.testing.assert_array_equal(a, b)
    assert g.initial_seed() == 42


def test_get_state_is_a_copy_and_set_state_restores_the_seed_too():
    g = ag.Generator().manual_seed(5)
    state = g.get_state()
    saved = state.numpy().copy()
    ag.rand(10, generator=g)
    g.manual_seed(9)
    np.testing.assert_array_equal(state.numpy(), saved)
    g.set_state(state)
    assert g.initial_seed() == 5
    np.testing.assert_array_equal(ag.rand(3, generator=g).numpy(), ag.rand(3, generator=ag.Generator().manual_seed(5)))


def test_the_state_moves_between_generators():
    source = ag.Generator().manual_seed(2)
    ag.randn(7, generator=source)
    copy = ag.Generator().set_state(source.get_state())
    np.testing.assert_array_equal(ag.randn(4, generator=copy).numpy(), ag.randn(4, generator=source).numpy())


def test_default_generator_functions():
    assert ag.manual_seed(123) is ag.default_generator
    assert ag.initial_seed() == 123
    state = ag.get_rng_state()
    a = ag.rand(4).numpy()
    ag.set_rng_state(state)
    np.testing.assert_array_equal(ag.rand(4).numpy(), a)
    fresh = ag.seed()
    assert isinstance(fresh, int) and 0 <= fresh < 2 ** 64 and ag.initial_seed() == fresh
    assert ag.random.manual_seed is ag.manual_seed  # autograd.random as torch.random


def test_seed_gives_a_fresh_seed_each_time():
    g = ag.Generator()
    seeds = {g.seed() for _ in range(3)}
    assert len(seeds) == 3 and g.initial_seed() in seeds


def test_a_new_generator_starts_from_pytorchs_fixed_seed():
    assert ag.Generator().initial_seed() == 67280421310721
    np.testing.assert_array_equal(ag.rand(3, generator=ag.Generator()).numpy(),
                                  ag.rand(3, generator=ag.Generator().manual_seed(67280421310721)).numpy())


def test_negative_seeds_count_from_two_to_the_64():
    g = ag.Generator().manual_seed(-1)
    assert g.initial_seed() == 2 ** 64 - 1
    np.testing.assert_array_equal(ag.rand(3, generator=g).numpy(),
                                  ag.rand(3, generator=ag.Generator().manual_seed(2 ** 64 - 1)).numpy())
    assert ag.Generator().manual_seed(np.int64(4)).initial_seed() == 4


@pytest.mark.parametrize("seed, error", [(1.5, TypeError), ("3", TypeError), (True, TypeError), (None, TypeError),
                                         (2 ** 64, ValueError), (-(2 ** 63) - 1, ValueError)])
def test_bad_seeds_are_refused(seed, error):
    with pytest.raises(error, match="seed"):
        ag.Generator().manual_seed(seed)


def test_set_state_refuses_what_get_state_did_not_give():
    g = ag.Generator().manual_seed(1)
    before = g.get_state().numpy().copy()
    with pytest.raises(TypeError, match="uint8 Tensor"):
        g.set_state(before)  # an array, not a Tensor
    with pytest.raises(RuntimeError, match="uint8 Tensor"):
        g.set_state(ag.zeros(before.shape[0]))
    with pytest.raises(RuntimeError, match="uint8 Tensor"):
        g.set_state(ag.tensor(before[:-1]))
    np.testing.assert_array_equal(g.get_state().numpy(), before)  # unchanged


def test_generator_device():
    assert ag.Generator().device == ag.device("cpu")
    assert ag.Generator(device="cpu").device.type == "cpu"
    with pytest.raises(RuntimeError, match="'cuda'.*CPU only"):
        ag.Generator("cuda")


@pytest.mark.parametrize("name", DRAWS)
@pytest.mark.parametrize("wrong", [42, "seed", np.random.RandomState(0)])
def test_a_generator_of_the_wrong_type_is_a_type_error_naming_the_argument(name, wrong):
    with pytest.raises(TypeError, match="generator should be an autograd.Generator"):
        DRAWS[name](wrong)


def test_a_numpy_generator_is_accepted_too():
    np.testing.assert_array_equal(ag.randperm(10, generator=np.random.default_rng(4)).numpy(),
                                  np.random.default_rng(4).permutation(10))


# ---- distributions ----
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rand_is_uniform_on_zero_one(dtype):
    x = ag.rand(N, generator=ag.Generator().manual_seed(0), dtype=dtype).numpy()
    assert x.dtype == dtype and x.min() >= 0 and x.max() < 1
    assert within(x.mean(), 0.5, math.sqrt(1 / 12 / N))
    assert within(x.var(), 1 / 12, math.sqrt((1 / 80 - 1 / 144) / N))  # Var(s^2) ~ (mu4 - sigma^4) / n


def test_uniform_draws_stay_below_the_upper_bound_even_after_rounding():
    x = ag.zeros(N).uniform_(1.0, 1.0 + 2 ** -20, generator=ag.Generator().manual_seed(0)).numpy()
    assert x.min() >= 1.0 and x.max() < 1.0 + 2 ** -20  # float32 holds only 8 values in this range


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_randn_is_standard_normal(dtype):
    x = ag.randn(N, generator=ag.Generator().manual_seed(1), dtype=dtype).numpy().astype(np.float64)
    assert within(x.mean(), 0.0, 1 / math.sqrt(N))
    assert within(x.var(), 1.0, math.sqrt(2 / N))
    assert within(np.mean(x > 1.96), 0.025, math.sqrt(0.025 * 0.975 / N))  # the tail too


def test_normal_broadcasts_tensor_mean_and_std():
    means = ag.tensor([[-3.0], [4.0]])  # (2, 1)
    stds = ag.tensor([0.5, 1.0, 2.0, 0.0])  # (4,)
    g = ag.Generator().manual_seed(2)
    draws = np.stack([ag.normal(means, stds, generator=g).numpy() for _ in range(20_000)])
    assert draws.shape == (20_000, 2, 4) and draws.dtype == np.float32
    n = draws.shape[0]
    for i, m in enumerate([-3.0, 4.0]):
        for j, s in enumerate([0.5, 1.0, 2.0, 0.0]):
            column = draws[:, i, j].astype(np.float64)
            assert within(column.mean(), m, max(s, 1e-12) / math.sqrt(n))
            assert within(column.std(), s, max(s, 1e-12) / math.sqrt(2 * n))


def test_normal_forms():
    g = ag.Generator().manual_seed(3)
    drawn = ag.normal(2.0, 3.0, (N,), generator=g)
    assert drawn.dtype == np.float32  # numbers with a size: the default dtype
    x = drawn.numpy().astype(np.float64)
    assert within(x.mean(), 2.0, 3 / math.sqrt(N)) and within(x.std(), 3.0, 3 / math.sqrt(2 * N))
    y = ag.normal(ag.full((N,), -1.0, dtype=ag.float64), generator=g)  # std defaults to 1
    assert y.dtype == np.float64 and within(y.numpy().mean(), -1.0, 1 / math.sqrt(N))
    z = ag.normal(5.0, ag.full((N,), 0.5), generator=g).numpy()
    assert within(z.mean(), 5.0, 0.5 / math.sqrt(N)) and within(z.std(), 0.5, 0.5 / math.sqrt(2 * N))
    assert ag.normal(0.0, 1.0, size=(2, 3)).shape == (2, 3)
    assert ag.normal(0.0, 1.0, (2,), dtype=ag.float64, requires_grad=True).requires_grad


def test_normal_is_outside_the_graph():
    mean = ag.zeros(3, requires_grad=True)
    assert not ag.normal(mean, 1.0).requires_grad


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.normal(ag.zeros(2), -1.0), RuntimeError, "std >= 0"),
    (lambda: ag.normal(0.0, ag.tensor([1.0, float("nan")])), RuntimeError, "std >= 0"),
    (lambda: ag.normal(0.0, 1.0), TypeError, "size"),
    (lambda: ag.normal(ag.zeros(2), 1.0, (2,)), TypeError, "numbers"),
    (lambda: ag.normal(ag.zeros(2), ag.ones(3)), RuntimeError, "broadcast"),
    (lambda: ag.normal(ag.zeros(2, dtype=ag.int64), 1.0), TypeError, "floating"),
    (lambda: ag.normal(0.0, 1.0, (2,), dtype=ag.int64), TypeError, "floating"),
])
def test_normal_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_in_place_uniform_and_normal():
    g = ag.Generator().manual_seed(4)
    x = ag.empty(N, dtype=ag.float64)
    assert x.uniform_(-2.0, 6.0, generator=g) is x
    values = x.numpy()
    assert values.min() >= -2 and values.max() < 6 and within(values.mean(), 2.0, 8 / math.sqrt(12 * N))
    x.normal_(10.0, 0.25, generator=g)
    values = x.numpy()
    assert within(values.mean(), 10.0, 0.25 / math.sqrt(N)) and within(values.std(), 0.25, 0.25 / math.sqrt(2 * N))


@pytest.mark.parametrize("low, high", [(0, 2), (-3, 4), (5, 6)])
def test_randint_draws_every_value_equally_often(low, high):
    x = ag.randint(low, high, (N,), generator=ag.Generator().manual_seed(5)).numpy()
    assert x.dtype == np.int64 and x.min() == low and x.max() == high - 1
    p = 1 / (high - low)
    counts = np.bincount(x - low, minlength=high - low)
    assert all(within(c / N, p, math.sqrt(p * (1 - p) / N)) for c in counts)


def test_random_fills_with_integers_in_range():
    g = ag.Generator().manual_seed(6)
    x = ag.zeros(N).random_(3, generator=g).numpy()
    assert set(np.unique(x)) == {0.0, 1.0, 2.0} and all(within(c / N, 1 / 3, math.sqrt(2 / 9 / N))
                                                         for c in np.bincount(x.astype(int)))
    y = ag.zeros(1000, dtype=ag.int32).random_(-5, 5, generator=g).numpy()
    assert y.dtype == np.int32 and y.min() == -5 and y.max() == 4
    z = ag.zeros(1000).random_(2, to=4, generator=g).numpy()
    assert set(np.unique(z)) == {2.0, 3.0}
    whole = ag.zeros(N).random_(generator=g).numpy()  # float32: integers in [0, 2^24]
    assert whole.min() >= 0 and whole.max() <= 2 ** 24 and np.all(whole == np.round(whole)) and whole.max() > 2 ** 23
    assert set(np.unique(ag.zeros(100, dtype=ag.bool_).random_(generator=g).numpy())) == {False, True}
    assert ag.zeros(100, dtype=ag.int64).random_(generator=g).numpy().min() >= 0


def test_randperm_is_a_permutation():
    g = ag.Generator().manual_seed(7)
    p = ag.randperm(1000, generator=g)
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(1000))
    assert p.tolist() != list(range(1000)) and p.tolist() != ag.randperm(1000, generator=g).tolist()
    assert ag.randperm(0).shape == (0,) and ag.randperm(4, dtype=ag.float64).dtype == np.float64
    firsts = np.array([ag.randperm(4, generator=g)[0].item() for _ in range(8000)])  # each first equally often
    assert all(within(c / 8000, 0.25, math.sqrt(0.25 * 0.75 / 8000)) for c in np.bincount(firsts))


def test_bernoulli_frequencies_follow_the_probabilities():
    p = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    probs = ag.tensor(np.tile(p, (N // 5, 1)), dtype=ag.float64)
    x = ag.bernoulli(probs, generator=ag.Generator().manual_seed(8))
    assert x.dtype == np.float64 and x.shape == probs.shape and set(np.unique(x.numpy())) == {0.0, 1.0}
    n = probs.shape[0]
    for j, pj in enumerate(p):
        assert within(x.numpy()[:, j].mean(), pj, math.sqrt(pj * (1 - pj) / n) + 1e-12)
    fixed = ag.bernoulli(ag.zeros(N), 0.3, generator=ag.Generator().manual_seed(8)).numpy()  # the p= form
    assert within(fixed.mean(), 0.3, math.sqrt(0.21 / N))
    inplace = ag.empty(N).bernoulli_(0.7, generator=ag.Generator().manual_seed(9)).numpy()
    assert within(inplace.mean(), 0.7, math.sqrt(0.21 / N))
    assert ag.tensor([0.2, 0.8]).bernoulli().shape == (2,)


@pytest.mark.parametrize("call", [
    lambda: ag.bernoulli(ag.tensor([0.5, 1.5])),
    lambda: ag.bernoulli(ag.tensor([-0.1])),
    lambda: ag.bernoulli(ag.tensor([float("nan")])),
    lambda: ag.zeros(3).bernoulli_(2.0),
    lambda: ag.bernoulli(ag.zeros(2), p=-1.0),
])
def test_bernoulli_refuses_what_is_not_a_probability(call):
    with pytest.raises(RuntimeError, match=r"p to be in \[0, 1\]"):
        call()


def test_multinomial_with_replacement_follows_the_weights():
    weights = np.array([1.0, 0.0, 3.0, 6.0])  # not normalised
    x = ag.multinomial(ag.tensor(weights), N, replacement=True, generator=ag.Generator().manual_seed(10))
    assert x.dtype == np.int64 and x.shape == (N,)
    counts = np.bincount(x.numpy(), minlength=4)
    p = weights / weights.sum()
    assert counts[1] == 0
    assert all(within(c / N, pi, math.sqrt(pi * (1 - pi) / N) + 1e-12) for c, pi in zip(counts, p))


def test_multinomial_rows_are_separate_distributions():
    rows = ag.tensor([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]], dtype=ag.float64)
    x = ag.multinomial(rows, 5000, replacement=True, generator=ag.Generator().manual_seed(11)).numpy()
    assert x.shape == (2, 5000) and np.all(x[0] == 2) and set(np.unique(x[1])) == {0, 1}
    assert within(np.mean(x[1] == 0), 0.5, math.sqrt(0.25 / 5000))


def test_multinomial_without_replacement_never_repeats_and_follows_successive_draws():
    w = np.array([1.0, 2.0, 3.0, 4.0, 0.0])
    p = w / w.sum()
    n = 40_000
    x = ag.multinomial(ag.tensor(np.tile(w, (n, 1))), 2, generator=ag.Generator().manual_seed(12)).numpy()
    assert x.shape == (n, 2) and np.all(x[:, 0] != x[:, 1]) and not np.any(x == 4)
    # the first draw follows p; category i is among the two drawn with p_i + sum_{j != i} p_j p_i / (1 - p_j)
    for i in range(4):
        first = np.mean(x[:, 0] == i)
        assert within(first, p[i], math.sqrt(p[i] * (1 - p[i]) / n))
        included = p[i] + sum(p[j] * p[i] / (1 - p[j]) for j in range(4) if j != i)
        assert within(np.mean(np.any(x == i, axis=1)), included, math.sqrt(included * (1 - included) / n))


def test_multinomial_without_replacement_can_take_every_non_zero_category():
    g = ag.Generator().manual_seed(13)
    for _ in range(50):
        x = ag.tensor([0.0, 5.0, 1e-6, 0.0, 2.0]).multinomial(3, generator=g)
        assert sorted(x.tolist()) == [1, 2, 4]


@given(weights=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 8)),
                          elements=st.sampled_from([0.0, 1e-3, 0.5, 1.0, 7.0])),
       data=st.data(), seed=st.integers(0, 2 ** 32))
def test_multinomial_without_replacement_draws_distinct_categories_of_non_zero_weight(weights, data, seed):
    weights[:, 0] = 1.0  # every row needs some weight
    n = data.draw(st.integers(1, int(np.count_nonzero(weights, axis=1).min())))
    x = ag.multinomial(ag.tensor(weights), n, generator=ag.Generator().manual_seed(seed)).numpy()
    assert x.shape == (weights.shape[0], n) and x.dtype == np.int64
    for row, drawn in zip(weights, x):
        assert len(set(drawn.tolist())) == n and np.all(row[drawn] > 0)


@pytest.mark.parametrize("weights, n, replacement, message", [
    ([1.0, -1.0], 1, True, "element < 0"),
    ([1.0, float("inf")], 1, True, "inf, nan"),
    ([1.0, float("nan")], 1, False, "inf, nan"),
    ([[1.0, 1.0], [0.0, 0.0]], 1, True, r"sum of probabilities <= 0"),
    ([1.0, 2.0, 3.0], 4, False, "cannot sample 4 samples without replacement"),
    ([1.0, 0.0, 3.0], 3, False, "not enough categories of non-zero weight"),
    ([1.0, 2.0], 0, True, "num_samples <= 0"),
    ([[[1.0]]], 1, True, "1-d or 2-d"),
])
def test_multinomial_errors(weights, n, replacement, message):
    g = ag.Generator().manual_seed(0)
    before = g.get_state().numpy().copy()
    with pytest.raises(RuntimeError, match=message):
        ag.multinomial(ag.tensor(weights), n, replacement, generator=g)
    np.testing.assert_array_equal(g.get_state().numpy(), before)  # refused before drawing anything


def test_multinomial_needs_floating_weights():
    with pytest.raises(RuntimeError, match="floating-point"):
        ag.multinomial(ag.tensor([1, 2]), 1)


# ---- call forms ----
def test_size_forms_of_rand_and_randn():
    for f in (ag.rand, ag.randn):
        for t in (f(2, 3), f((2, 3)), f([2, 3]), f(size=(2, 3))):
            assert t.shape == (2, 3) and t.dtype == np.float32
        assert f(()).shape == () and f(0).shape == (0,)
        assert f(2, requires_grad=True).requires_grad and f(2, dtype=ag.float64).dtype == np.float64
        with pytest.raises(TypeError, match="floating-point"):
            f(2, dtype=ag.int64)


def test_randint_forms():
    g = ag.Generator().manual_seed(14)
    for t, low, high in [(ag.randint(5, (100,), generator=g), 0, 5), (ag.randint(3, 6, (100,), generator=g), 3, 6),
                         (ag.randint(3, 6, size=(100,), generator=g), 3, 6), (ag.randint(8, size=[100]), 0, 8),
                         (ag.randint(low=-2, high=2, size=(100,)), -2, 2), (ag.randint(high=4, size=(100,)), 0, 4)]:
        values = t.numpy()
        assert t.dtype == np.int64 and t.shape == (100,) and values.min() == low and values.max() == high - 1
    assert ag.randint(0, 10, (2, 3), dtype=ag.float64).dtype == np.float64
    assert ag.randint(0, 10, ()).shape == ()
    with pytest.raises(RuntimeError, match="low=5 >= high=5"):
        ag.randint(5, 5, (2,))
    with pytest.raises(TypeError, match="size"):
        ag.randint(5)
    with pytest.raises(TypeError, match="tuple or list"):
        ag.randint(0, 5, 3)


def test_like_forms_take_shape_and_dtype_from_the_input():
    x = ag.zeros(3, 2, dtype=ag.float64)
    for t in (ag.rand_like(x), ag.randn_like(x), ag.randint_like(x, 10), ag.randint_like(x, 5, 10)):
        assert t.shape == (3, 2) and t.dtype == np.float64
    assert np.all((ag.randint_like(x, 5, 10).numpy() >= 5) & (ag.randint_like(x, 5, 10).numpy() < 10))
    assert ag.rand_like(x, dtype=ag.float32).dtype == np.float32
    assert ag.randn_like(x, requires_grad=True).requires_grad
    assert ag.randint_like(ag.zeros(2, dtype=ag.int32), 3).dtype == np.int32


def test_in_place_draws_on_a_leaf_that_requires_grad_are_refused_without_drawing():
    w = ag.zeros(3, requires_grad=True)
    ag.manual_seed(0)
    state = ag.get_rng_state().numpy().copy()
    with pytest.raises(RuntimeError, match="leaf Tensor that requires grad"):
        w.uniform_()
    np.testing.assert_array_equal(ag.get_rng_state().numpy(), state)
    with ag.no_grad():
        w.normal_()
    assert np.all(w.detach().numpy() != 0)  # under no_grad, as nn.init does it


def test_in_place_draws_cut_the_gradient_to_the_old_value():
    x = ag.ones(3, requires_grad=True)
    y = x * 2
    y.uniform_()
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(3))


@pytest.mark.parametrize("call, error, message", [
    (lambda: ag.zeros(2, dtype=ag.int64).uniform_(), TypeError, "floating-point"),
    (lambda: ag.zeros(2, dtype=ag.int64).normal_(), TypeError, "floating-point"),
    (lambda: ag.zeros(2).uniform_(3, 1), RuntimeError, "from=3 > to=1"),
    (lambda: ag.zeros(2).normal_(0, -1), RuntimeError, "std >= 0"),
    (lambda: ag.zeros(2).random_(5, 5), RuntimeError, "from=5 >= to=5"),
    (lambda: ag.zeros(2, dtype=ag.bool_).random_(0, 3), RuntimeError, "exactly"),
    (lambda: ag.zeros(2).random_(1, 2, 3), TypeError, "random_"),
    (lambda: ag.zeros(2).bernoulli_(ag.full((3,), 0.5)), RuntimeError, "broadcast"),
])
def test_in_place_draw_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
