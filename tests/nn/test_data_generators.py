"""What nn draws its random numbers from: DataLoader shuffling and random_split take an autograd.Generator (or
draw from the default one that autograd.manual_seed seeds), and so do nn.init and dropout."""
import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn.data import DataLoader, TensorDataset, random_split, train_val_test_split


def numbered(n: int) -> TensorDataset:
    return TensorDataset(Tensor(np.arange(n)))


def epoch(loader: DataLoader) -> list[int]:
    return np.concatenate([batch.numpy() for (batch,) in loader]).tolist()


def test_shuffling_is_reproducible_from_a_generator():
    first = DataLoader(numbered(40), batch_size=6, shuffle=True, generator=autograd.Generator().manual_seed(3))
    again = DataLoader(numbered(40), batch_size=6, shuffle=True, generator=autograd.Generator().manual_seed(3))
    epochs = [epoch(first) for _ in range(3)]
    assert epochs == [epoch(again) for _ in range(3)]
    assert all(sorted(e) == list(range(40)) for e in epochs)  # each epoch is a permutation
    assert epochs[0] != epochs[1] and epochs[0] != list(range(40))  # a new order every epoch
    other = DataLoader(numbered(40), batch_size=6, shuffle=True, generator=autograd.Generator().manual_seed(4))
    assert epoch(other) != epochs[0]


def test_shuffling_draws_from_the_default_generator_when_none_is_given():
    loader = DataLoader(numbered(30), batch_size=4, shuffle=True)
    autograd.manual_seed(8)
    first = epoch(loader)
    autograd.manual_seed(8)
    assert epoch(loader) == first
    # and the same order as an own generator with that seed: the default one is a Generator like any other
    assert first == epoch(DataLoader(numbered(30), batch_size=4, shuffle=True,
                                     generator=autograd.Generator().manual_seed(8)))


def test_the_loaders_generator_leaves_the_default_one_alone():
    autograd.manual_seed(1)
    expected = autograd.rand(3).tolist()
    autograd.manual_seed(1)
    epoch(DataLoader(numbered(10), shuffle=True, generator=autograd.Generator().manual_seed(2)))
    assert autograd.rand(3).tolist() == expected


@pytest.mark.parametrize("wrong", [3, "seed", np.random.RandomState(0)])
def test_a_generator_of_the_wrong_type_is_refused_at_once(wrong):
    with pytest.raises(TypeError, match="DataLoader: generator should be an autograd.Generator"):
        DataLoader(numbered(4), shuffle=True, generator=wrong)
    with pytest.raises(TypeError, match="random_split: generator should be an autograd.Generator"):
        random_split(numbered(4), [2, 2], generator=wrong)


@pytest.mark.parametrize("lengths, sizes", [([3, 7], [3, 7]), ([0.3, 0.7], [3, 7]), ([0.25, 0.25, 0.5], [3, 2, 5]),
                                            ((10,), [10])])
def test_random_split_with_a_generator(lengths, sizes):
    parts = random_split(numbered(10), lengths, generator=autograd.Generator().manual_seed(5))
    again = random_split(numbered(10), lengths, generator=autograd.Generator().manual_seed(5))
    indices = [[sample[0].item() for sample in part] for part in parts]
    assert [len(p) for p in parts] == sizes
    assert indices == [[sample[0].item() for sample in part] for part in again]
    assert sorted(i for part in indices for i in part) == list(range(10))  # disjoint, covering everything


def test_random_split_differs_between_seeds_and_uses_the_default_generator():
    def split(generator=None):
        return [p.indices for p in random_split(numbered(20), [0.5, 0.5], generator=generator)]

    assert split(autograd.Generator().manual_seed(1)) != split(autograd.Generator().manual_seed(2))
    autograd.manual_seed(6)
    from_default = split()
    assert from_default == split(autograd.Generator().manual_seed(6))


def test_train_val_test_split_takes_a_generator():
    a = train_val_test_split(numbered(20), generator=autograd.Generator().manual_seed(9))
    b = train_val_test_split(numbered(20), generator=autograd.Generator().manual_seed(9))
    assert [p.indices for p in a] == [p.indices for p in b] and [len(p) for p in a] == [14, 3, 3]


def test_random_split_errors():
    with pytest.raises(ValueError, match="sum to 9"):
        random_split(numbered(10), [4, 5])
    with pytest.raises(ValueError, match="fractions must sum to 1"):
        random_split(numbered(10), [0.5, 0.4])


# ---- nn.init and dropout ----
INITS = {
    "uniform_": lambda w, g: nn.init.uniform_(w, -1, 1, generator=g),
    "normal_": lambda w, g: nn.init.normal_(w, 0, 1, generator=g),
    "xavier_uniform_": lambda w, g: nn.init.xavier_uniform_(w, generator=g),
    "xavier_normal_": lambda w, g: nn.init.xavier_normal_(w, generator=g),
    "kaiming_uniform_": lambda w, g: nn.init.kaiming_uniform_(w, generator=g),
    "kaiming_normal_": lambda w, g: nn.init.kaiming_normal_(w, generator=g),
}


@pytest.mark.parametrize("name", INITS)
def test_init_draws_from_the_given_generator(name):
    def initialised(generator):
        weight = nn.Parameter(np.zeros((4, 3), np.float32))
        assert INITS[name](weight, generator) is weight
        return weight.detach().numpy()

    first = initialised(autograd.Generator().manual_seed(0))
    assert np.all(first != 0)
    np.testing.assert_array_equal(initialised(autograd.Generator().manual_seed(0)), first)
    assert not np.array_equal(initialised(autograd.Generator().manual_seed(1)), first)
    autograd.manual_seed(0)  # without a generator: the default one
    np.testing.assert_array_equal(initialised(None), first)


def test_init_bounds_and_spread():
    weight = nn.Parameter(np.zeros((200, 300), np.float32))
    nn.init.uniform_(weight, 2.0, 3.0, generator=autograd.Generator().manual_seed(0))
    values = weight.detach().numpy()
    assert values.min() >= 2.0 and values.max() < 3.0
    nn.init.kaiming_normal_(weight, generator=autograd.Generator().manual_seed(0))
    std, expected = weight.detach().numpy().std(), np.sqrt(2 / 300)
    assert abs(std - expected) < 5 * expected / np.sqrt(2 * weight.numel())


def test_module_initialisation_and_dropout_draw_from_the_default_generator():
    autograd.manual_seed(4)
    layer = nn.Linear(3, 2)
    mask = nn.Dropout(0.5)(autograd.ones(100)).numpy()
    autograd.manual_seed(4)
    np.testing.assert_array_equal(nn.Linear(3, 2).weight.detach().numpy(), layer.weight.detach().numpy())
    np.testing.assert_array_equal(nn.Dropout(0.5)(autograd.ones(100)).numpy(), mask)
    state = autograd.get_rng_state()
    nn.Dropout(0.5)(autograd.ones(10))
    assert not np.array_equal(autograd.get_rng_state().numpy(), state.numpy())  # dropout moved the default stream
