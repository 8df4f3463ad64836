"""nn.save / nn.load: exact round trips, atomic writes, clear refusals, and a resumed run that is bit-identical."""
import os
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from checkpoint_checks import same
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

dtypes = st.sampled_from([np.float32, np.float64, np.int64, np.int32, np.uint8, np.bool_, np.float16])
arrays = dtypes.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)))
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), arrays,
    arrays.map(lambda a: Tensor(a)), dtypes.flatmap(lambda d: hnp.arrays(d, ())).map(lambda a: a[()]))
keys = st.one_of(st.text(max_size=4), st.integers(-5, 5))
nested = st.recursive(leaves, lambda children: st.one_of(
    st.lists(children, max_size=3), st.lists(children, max_size=3).map(tuple),
    st.dictionaries(keys, children, max_size=3),
    st.dictionaries(keys, children, max_size=3).map(OrderedDict)), max_leaves=8)


@settings(max_examples=60)
@given(obj=nested)
def test_any_nested_structure_round_trips_exactly(tmp_path_factory, obj):
    path = tmp_path_factory.mktemp("ck") / "obj.ckpt"
    nn.save(obj, path)
    assert same(obj, nn.load(path))


def test_model_optimizer_and_scheduler_state_round_trip_together(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.ones((3, 2), np.float32)}, 1: {"step": 3}},
                      "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False,
                                        "params": [0, 1], "maximize": None}]},
        "scheduler": {"last_epoch": 4, "base_lrs": [0.1], "_last_lr": [0.0125], "gamma": 0.5, "lambdas": None},
    }
    nn.save(checkpoint, tmp_path / "run.ckpt")
    loaded = nn.load(tmp_path / "run.ckpt")
    assert same(checkpoint["optimizer"], loaded["optimizer"]) and same(checkpoint["scheduler"], loaded["scheduler"])
    assert list(loaded["model"]) == list(model.state_dict())
    assert loaded["model"]["1.num_batches_tracked"].dtype == np.int64
    model.load_state_dict(loaded["model"])  # Tensors come back as Tensors that a model accepts


def test_file_is_written_exactly_at_the_path_and_holds_no_pickle(tmp_path):
    path = tmp_path / "weights.pt"
    nn.save({"w": np.arange(3)}, path)
    assert os.listdir(tmp_path) == ["weights.pt"]
    with np.load(path, allow_pickle=False) as archive:
        assert "__checkpoint__" in archive.files


def test_a_crash_mid_write_leaves_the_previous_checkpoint_whole(tmp_path, monkeypatch):
    path = tmp_path / "model.ckpt"
    nn.save({"step": 1}, path)
    before = path.read_bytes()

    def crash(file, **arrays):
        file.write(b"PK partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        nn.save({"step": 2}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.ckpt"]


def test_what_a_checkpoint_can_not_hold_is_refused_before_writing(tmp_path):
    path = tmp_path / "x.ckpt"
    nn.save([1], path)
    with pytest.raises(TypeError, match=r"obj\['a'\]\[1\] is a set"):
        nn.save({"a": [1, {2}]}, path)
    with pytest.raises(TypeError, match="key 1.5 of type float"):
        nn.save({1.5: 0}, path)
    with pytest.raises(TypeError, match="array of Python objects"):
        nn.save(np.array([None]), path)
    with pytest.raises(TypeError, match=r"obj\['t'\] is an array of dtype datetime64\[s\]"):
        nn.save({"t": np.zeros(2, "M8[s]")}, path)
    with pytest.raises(TypeError, match=r"obj is a Linear, .* save its state_dict\(\) instead"):
        nn.save(nn.Linear(1, 1), path)
    with pytest.raises(TypeError, match="IncompatibleKeys"):  # a NamedTuple would not come back as itself
        nn.save(nn.IncompatibleKeys([], []), path)
    assert nn.load(path) == [1] and os.listdir(tmp_path) == ["x.ckpt"]


def test_a_file_that_is_not_a_checkpoint_gets_a_clear_error(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(nn.CheckpointError, match="notes.txt is not a checkpoint written by nn.save"):
        nn.load(text)
    array = tmp_path / "a.npy"
    np.save(array, np.ones(2))
    with pytest.raises(nn.CheckpointError, match="single .npy array"):
        nn.load(array)
    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.ones(2))
    with pytest.raises(nn.CheckpointError, match="no '__checkpoint__' entry"):
        nn.load(plain)
    truncated = tmp_path / "truncated.ckpt"
    nn.save({"w": np.ones(100)}, truncated)
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(nn.CheckpointError):
        nn.load(truncated)
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.ckpt")
    assert issubclass(nn.CheckpointError, ValueError) and zipfile.is_zipfile(plain)


# ---- resuming a run ----

X = np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32)
Y = np.random.default_rng(1).integers(0, 3, 16)


def make_model(seed: int) -> nn.Module:
    ag.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3))


def train(model: nn.Module, steps: int, lr: float = 0.1) -> None:
    for _ in range(steps):
        model.zero_grad()
        F.cross_entropy(model(ag.tensor(X)), ag.tensor(Y)).backward()
        for p in model.parameters():
            p._data -= lr * p.grad._data


def test_save_load_and_resume_is_bit_identical_to_an_uninterrupted_run(tmp_path):
    uninterrupted = make_model(0)
    train(uninterrupted, 10)

    first_half = make_model(0)
    train(first_half, 5)
    nn.save(first_half.state_dict(), tmp_path / "half.ckpt")
    resumed = make_model(1)  # different initial weights, all overwritten by the checkpoint
    resumed.load_state_dict(nn.load(tmp_path / "half.ckpt"))
    train(resumed, 5)

    expected, got = uninterrupted.state_dict(), resumed.state_dict()
    assert list(expected) == list(got)
    for name in expected:
        np.testing.assert_array_equal(got[name]._data, expected[name]._data, err_msg=name)
    assert int(got["1.num_batches_tracked"]._data) == 10


def test_a_mismatched_checkpoint_is_refused_and_the_model_is_unchanged(tmp_path):
    nn.save(nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 3)).state_dict(), tmp_path / "other.ckpt")
    model = make_model(0)
    before = {k: v._data.copy() for k, v in model.state_dict().items()}
    with pytest.raises(RuntimeError, match="size mismatch for 0.weight") as error:
        model.load_state_dict(nn.load(tmp_path / "other.ckpt"))
    assert 'Missing key(s) in state_dict: "1.running_mean"' in str(error.value)
    assert 'Unexpected key(s) in state_dict: "' not in str(error.value)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value._data, before[name], err_msg=name)
