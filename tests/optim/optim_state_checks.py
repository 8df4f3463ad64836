"""Checks on state dicts shared by the optimizer and scheduler tests."""
import numpy as np

PLAIN = (int, float, bool, str, type(None))


def assert_plain(value, where="state_dict"):
    """Only what the checkpoint code can write: arrays, numbers, bools, str, None, lists, tuples, dicts."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) in (int, str), f"{where}: key {key!r}"
            assert_plain(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            assert_plain(item, f"{where}[{i}]")
    else:
        assert isinstance(value, np.ndarray) or type(value) in PLAIN, f"{where}: {type(value).__name__}"


def assert_same(a, b):
    """Equal structure, types and values (arrays bit for bit)."""
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    else:
        assert a == b
