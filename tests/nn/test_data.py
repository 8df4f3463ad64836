"""nn.data: datasets, the DataLoader (every sample once per epoch, seeded shuffling), collation, splits."""
from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from nn.data import (
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    TransformedDataset,
    default_collate,
    random_split,
    split_lengths,
    train_val_test_split,
)


def numbered(n: int) -> TensorDataset:
    """Sample i is (features [i, 2i] as float32, label i)."""
    ids = np.arange(n)
    return TensorDataset(Tensor(np.stack([ids, 2 * ids], axis=1).astype(np.float32)), Tensor(ids))


def test_tensor_dataset_indexes_all_tensors_together():
    ds = numbered(5)
    x, y = ds[3]
    assert len(ds) == 5 and x.tolist() == [3.0, 6.0] and y.item() == 3


def test_tensor_dataset_refuses_tensors_of_different_lengths():
    with pytest.raises(ValueError, match=r"size mismatch.*\[3, 4\]"):
        TensorDataset(autograd.zeros(3, 2), autograd.zeros(4))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), batch_size=st.integers(1, 12), shuffle=st.booleans(), drop_last=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_every_sample_exactly_once_per_epoch(n, batch_size, shuffle, drop_last, seed):
    loader = DataLoader(numbered(n), batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                        generator=np.random.default_rng(seed))
    for _ in range(2):  # two epochs
        batches = list(loader)
        seen = np.concatenate([y.numpy() for _, y in batches]) if batches else np.array([], dtype=np.int64)
        kept = n - n % batch_size if drop_last else n
        assert len(batches) == len(loader) == (n // batch_size if drop_last else -(-n // batch_size))
        assert len(seen) == kept and len(set(seen.tolist())) == kept  # no sample twice, none lost
        if not drop_last:
            assert sorted(seen.tolist()) == list(range(n))
        if not shuffle:
            assert seen.tolist() == list(range(kept))
        assert all(len(y) == batch_size for _, y in (batches if drop_last else batches[:-1]))
        for x, y in batches:  # inputs and targets stay paired
            assert x.shape == (len(y), 2) and np.array_equal(x.numpy()[:, 1], 2 * y.numpy())


def order(loader: DataLoader) -> list[int]:
    return np.concatenate([y.numpy() for _, y in loader]).tolist()


def test_shuffling_is_reproducible_from_the_seed_and_differs_between_epochs():
    a = DataLoader(numbered(50), batch_size=7, shuffle=True, generator=np.random.default_rng(1))
    b = DataLoader(numbered(50), batch_size=7, shuffle=True, generator=np.random.default_rng(1))
    epochs_a, epochs_b = [order(a) for _ in range(3)], [order(b) for _ in range(3)]
    assert epochs_a == epochs_b
    assert epochs_a[0] != epochs_a[1] and epochs_a[0] != list(range(50))
    c = DataLoader(numbered(50), batch_size=7, shuffle=True, generator=np.random.default_rng(2))
    assert order(c) != epochs_a[0]


def test_default_generator_is_the_global_one_seeded_by_manual_seed():
    loader = DataLoader(numbered(30), batch_size=4, shuffle=True)
    autograd.manual_seed(5)
    first = order(loader)
    autograd.manual_seed(5)
    assert order(loader) == first == np.random.default_rng(5).permutation(30).tolist()


def test_collation_stacks_fields_with_their_dtypes():
    batch = default_collate([(Tensor([1.0, 2.0]), 0), (Tensor([3.0, 4.0]), 1)])
    assert type(batch) is list  # a tuple sample collates to a list of fields, as in PyTorch
    x, y = batch
    assert x.shape == (2, 2) and x.dtype == np.float32 and y.dtype == np.int64 and y.tolist() == [0, 1]
    batch = default_collate([{"a": np.zeros(3), "b": 0.5}, {"a": np.ones(3), "b": 1.5}])
    assert batch["a"].shape == (2, 3) and batch["b"].tolist() == [0.5, 1.5]


def test_collation_dtypes_follow_pytorch():
    # Python floats -> float64, like float64 arrays and np.float64 scalars; numpy dtypes are kept
    assert default_collate([0.5, 1.5]).dtype == np.float64
    assert default_collate([np.float64(0.5), np.float64(1)]).dtype == np.float64
    assert default_collate([np.zeros(2), np.ones(2)]).dtype == np.float64
    assert default_collate([np.float32(0.5), np.float32(1)]).dtype == np.float32
    assert default_collate([np.int32(1), np.int32(2)]).dtype == np.int32
    assert default_collate([1, 2]).dtype == np.int64 and default_collate([True, False]).dtype == np.bool_
    assert default_collate(["a", "b"]) == ["a", "b"]  # strings are kept as a list


def test_collation_keeps_namedtuples_and_turns_tuples_and_lists_into_lists():
    Pair = namedtuple("Pair", "x y")
    batch = default_collate([Pair(Tensor([1.0]), 0), Pair(Tensor([2.0]), 1)])
    assert type(batch) is Pair and batch.x.tolist() == [[1.0], [2.0]] and batch.y.tolist() == [0, 1]
    nested = default_collate([([1, 2], {"k": 0.5}), ([3, 4], {"k": 1.5})])
    assert type(nested) is list and type(nested[0]) is list
    assert [f.tolist() for f in nested[0]] == [[1, 3], [2, 4]] and nested[1]["k"].tolist() == [0.5, 1.5]


def test_collation_errors_name_the_problem():
    with pytest.raises(RuntimeError, match="different shapes"):
        default_collate([autograd.zeros(2), autograd.zeros(3)])
    with pytest.raises(RuntimeError, match="same number of fields"):
        default_collate([(1, 2), (3,)])
    with pytest.raises(TypeError, match="can not collate samples of type object"):
        default_collate([object(), object()])


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_dataloader_refuses_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(numbered(4), batch_size=batch_size)


def test_dataloader_refuses_a_generator_that_is_not_numpys():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        DataLoader(numbered(4), shuffle=True, generator=3)


def test_base_dataset_says_what_to_implement():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


def test_a_custom_dataset_works_with_the_loader():
    class Squares(Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return float(i), i * i

    x, y = next(iter(DataLoader(Squares(), batch_size=6)))
    assert x.tolist() == [0, 1, 2, 3, 4, 5] and y.tolist() == [0, 1, 4, 9, 16, 25]


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 200), fractions=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=4))
def test_fractions_give_sizes_summing_to_n(n, fractions):
    fractions = [f / sum(fractions) for f in fractions]
    sizes = split_lengths(n, fractions)
    assert sum(sizes) == n
    assert all(abs(size - n * f) < len(fractions) + 1 for size, f in zip(sizes, fractions))


def test_split_sizes_follow_pytorchs_rule():
    # floor(10 * 0.33) = 3 each, one left over goes to the first part
    assert split_lengths(10, [0.34, 0.33, 0.33]) == [4, 3, 3]
    assert split_lengths(10, [3, 7]) == [3, 7]


@pytest.mark.parametrize("lengths, message", [([3, 3], "sum to 6"), ([0.5, 0.6], "sum to 1"), ([], "empty"),
                                              ([-1, 11], "non-negative")])
def test_split_refuses_lengths_that_do_not_fit(lengths, message):
    with pytest.raises(ValueError, match=message):
        random_split(numbered(10), lengths)


def test_random_split_is_a_seeded_partition():
    parts = random_split(numbered(20), [0.5, 0.25, 0.25], generator=np.random.default_rng(0))
    indices = [p.indices for p in parts]
    assert [len(i) for i in indices] == [10, 5, 5]
    assert sorted(sum(indices, [])) == list(range(20))
    again = random_split(numbered(20), [0.5, 0.25, 0.25], generator=np.random.default_rng(0))
    assert [p.indices for p in again] == indices
    assert parts[1][0][1].item() == indices[1][0]  # a Subset serves the samples at its indices


def test_train_val_test_split():
    train, val, test = train_val_test_split(numbered(100), (0.6, 0.2, 0.2), generator=np.random.default_rng(3))
    assert (len(train), len(val), len(test)) == (60, 20, 20)
    assert not set(train.indices) & set(val.indices) and not set(val.indices) & set(test.indices)
    with pytest.raises(ValueError, match="three fractions"):
        train_val_test_split(numbered(10), (0.5, 0.5))


def test_subset_refuses_indices_out_of_range():
    with pytest.raises(IndexError, match="out of range"):
        Subset(numbered(3), [0, 3])


def test_transformed_dataset_changes_inputs_and_targets_only_as_asked():
    ds = TransformedDataset(numbered(4), transform=lambda x: x * 10, target_transform=lambda y: y + 1)
    x, y = ds[2]
    assert x.tolist() == [20.0, 40.0] and y.item() == 3 and len(ds) == 4
    assert TransformedDataset(numbered(4), transform=lambda x: -x)[1][1].item() == 1
