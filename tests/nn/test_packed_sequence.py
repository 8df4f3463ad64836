"""nn.utils.rnn: padding and packing sequences of different lengths, checked against the layouts built here."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from nn.utils.rnn import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)


def sequences(lengths, features=2, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, features)) for n in lengths]


def test_pad_sequence_fills_after_or_before_each_sequence():
    arrays = sequences([2, 3, 1])
    padded = pad_sequence([ag.tensor(a) for a in arrays], batch_first=True, padding_value=-1.0)
    assert padded.shape == (3, 3, 2)
    for b, a in enumerate(arrays):
        np.testing.assert_array_equal(padded.numpy()[b, :len(a)], a)
        assert (padded.numpy()[b, len(a):] == -1).all()
    left = pad_sequence([ag.tensor(a) for a in arrays], padding_side="left").numpy()  # (T, B, 2)
    for b, a in enumerate(arrays):
        np.testing.assert_array_equal(left[3 - len(a):, b], a)
        assert (left[:3 - len(a), b] == 0).all()


@given(lengths=st.lists(st.integers(1, 4), min_size=1, max_size=4), enforce=st.booleans(), batch_first=st.booleans())
def test_packing_lays_out_time_steps_and_unpacking_restores_the_batch(lengths, enforce, batch_first):
    if enforce:
        lengths = sorted(lengths, reverse=True)
    arrays = sequences(lengths)
    padded = pad_sequence([ag.tensor(a) for a in arrays], batch_first=batch_first)
    packed = pack_padded_sequence(padded, lengths, batch_first=batch_first, enforce_sorted=enforce)
    order = sorted(range(len(lengths)), key=lambda b: -lengths[b])  # longest first, ties in batch order
    expected_sizes = [sum(n > t for n in lengths) for t in range(max(lengths))]
    expected_data = [arrays[b][t] for t in range(max(lengths)) for b in order if lengths[b] > t]
    assert packed.batch_sizes.tolist() == expected_sizes and packed.batch_sizes.dtype == np.int64
    np.testing.assert_array_equal(packed.data.numpy(), np.array(expected_data))
    if enforce:
        assert packed.sorted_indices is None and packed.unsorted_indices is None
    else:
        assert packed.sorted_indices.tolist() == order
        assert [order[i] for i in packed.unsorted_indices.tolist()] == list(range(len(lengths)))
    unpacked, got_lengths = pad_packed_sequence(packed, batch_first=batch_first, total_length=5)
    assert got_lengths.tolist() == lengths
    restored = pad_sequence([ag.tensor(a) for a in arrays], batch_first=batch_first).numpy()
    time_axis = 1 if batch_first else 0
    assert unpacked.shape[time_axis] == 5
    np.testing.assert_array_equal(np.take(unpacked.numpy(), range(max(lengths)), axis=time_axis), restored)


@given(lengths=st.lists(st.integers(1, 4), min_size=1, max_size=4), batch_first=st.booleans())
def test_unpad_and_unpack_give_back_the_sequences(lengths, batch_first):
    arrays = sequences(lengths, seed=1)
    tensors = [ag.tensor(a) for a in arrays]
    padded = pad_sequence(tensors, batch_first=batch_first)
    for got, expected in zip(unpad_sequence(padded, lengths, batch_first=batch_first), arrays):
        np.testing.assert_array_equal(got.numpy(), expected)
    unpacked = unpack_sequence(pack_sequence(tensors, enforce_sorted=False))
    assert [u.shape[0] for u in unpacked] == lengths
    for got, expected in zip(unpacked, arrays):
        np.testing.assert_array_equal(got.numpy(), expected)


def test_pack_sequence_sorts_when_asked():
    arrays = sequences([1, 3])
    packed = pack_sequence([ag.tensor(a) for a in arrays], enforce_sorted=False)
    assert packed.batch_sizes.tolist() == [2, 1, 1] and packed.sorted_indices.tolist() == [1, 0]
    np.testing.assert_array_equal(packed.data.numpy(), [arrays[1][0], arrays[0][0], arrays[1][1], arrays[1][2]])
    assert isinstance(packed, PackedSequence) and packed._fields == ("data", "batch_sizes", "sorted_indices",
                                                                     "unsorted_indices")


def test_gradients_go_back_through_pack_and_pad():
    x = ag.tensor(np.arange(12.0).reshape(3, 2, 2), requires_grad=True)  # (T, B, 2), lengths 3 and 1
    packed = pack_padded_sequence(x, [1, 3], enforce_sorted=False)
    padded, _ = pad_packed_sequence(packed, padding_value=7.0)
    weights = np.random.default_rng(0).standard_normal(padded.shape)
    (padded * ag.tensor(weights)).sum().backward()
    expected = weights.copy()
    expected[1:, 0] = 0  # the padding of the first sequence was not packed
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    assert (padded.detach().numpy()[1:, 0] == 7).all()


@pytest.mark.parametrize("call,error,message", [
    (lambda: pack_padded_sequence(ag.zeros(3, 2, 1), [3, 4]), ValueError, r"every length must be in 1..3"),
    (lambda: pack_padded_sequence(ag.zeros(3, 2, 1), [0, 2], enforce_sorted=False), ValueError, "1..3"),
    (lambda: pack_padded_sequence(ag.zeros(3, 2, 1), [3]), ValueError, "expected 2 lengths"),
    (lambda: pack_padded_sequence(ag.zeros(3, 2, 1), [1, 3]), RuntimeError,
     "must be sorted in decreasing order when `enforce_sorted` is True"),
    (lambda: pad_packed_sequence(pack_sequence([ag.zeros(3, 1)]), total_length=2), ValueError,
     "total_length to be at least the length of the longest sequence"),
    (lambda: pad_sequence([ag.zeros(2, 1), ag.zeros(2, 2)]), ValueError, r"sequence 1 has shape \(2, 2\)"),
    (lambda: pad_sequence([ag.zeros(2, 1)], padding_side="middle"), ValueError, "'left' or 'right'"),
    (lambda: unpad_sequence(ag.zeros(3, 2, 1), [4, 1]), ValueError, r"expected 2 lengths in 0..3"),
])
def test_bad_lengths_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()
