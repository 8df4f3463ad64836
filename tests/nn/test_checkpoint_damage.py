"""Damaged and hostile .npz checkpoints: only CheckpointError (naming the file and the problem) or the exact data.

Random byte flips and truncations of a real checkpoint (a model's state_dict with an optimizer's state), and
hand-made archives whose CRCs are right but whose contents lie: headers claiming 10^12 elements, object arrays,
manifests of the wrong types or nested thousands of levels deep.
"""
import io
import json
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest
from checkpoint_checks import same
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import optim
from nn import bounded_json


def trained_checkpoint() -> tuple[nn.Module, dict]:
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    model(ag.tensor(np.ones((5, 3), np.float32))).sum().backward()
    optimizer.step()
    return model, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}


MODEL, CHECKPOINT = trained_checkpoint()


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("original") / "run.ckpt"
    nn.save(CHECKPOINT, path)
    return path.read_bytes()


def load_damaged(path, content: bytes):
    """nn.load of the damaged file, also loaded into a model: None after a CheckpointError that left it as it was."""
    path.write_bytes(content)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    before = {name: value._data.copy() for name, value in model.state_dict().items()}
    try:
        loaded = nn.load(path)
        model.load_state_dict(loaded["model"])
    except nn.CheckpointError as error:
        assert str(path) in str(error)
        for name, value in model.state_dict().items():
            np.testing.assert_array_equal(value._data, before[name], err_msg=name)
        return None
    return loaded


@settings(max_examples=300)
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=3))
def test_flipped_bytes_give_a_checkpoint_error_or_the_exact_data(original, tmp_path_factory, flips):
    content = bytearray(original)
    for where, mask in flips:
        content[int(where * len(content))] ^= mask
    loaded = load_damaged(tmp_path_factory.mktemp("flip") / "run.ckpt", bytes(content))
    assert loaded is None or same(CHECKPOINT, loaded)


@settings(max_examples=60)
@given(fraction=st.floats(0, 1, exclude_max=True))
def test_a_truncated_checkpoint_gives_a_checkpoint_error(original, tmp_path_factory, fraction):
    path = tmp_path_factory.mktemp("cut") / "run.ckpt"
    assert load_damaged(path, original[:int(fraction * len(original))]) is None


def test_every_byte_of_the_zip_directory_flipped_in_turn(original, tmp_path):
    """The end of the file (the zip directory) decides what is read: every byte of it, each flipped to its inverse."""
    path = tmp_path / "run.ckpt"
    start = original.rindex(b"PK\x01\x02", 0, len(original) - 200)  # the last few directory records
    for where in range(start, len(original)):
        content = bytearray(original)
        content[where] ^= 0xFF
        loaded = load_damaged(path, bytes(content))
        assert loaded is None or same(CHECKPOINT, loaded), where


# ---- hand-made archives with correct CRCs ----

def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def write_archive(path, entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> None:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)


def manifest_entry(root) -> bytes:
    return npy_bytes(np.array(json.dumps({"format": "nn-checkpoint", "version": 1, "root": root})))


def test_a_header_claiming_a_trillion_elements_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.ckpt"
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
    write_archive(path, {"0.npy": header.getvalue() + bytes(64), "__checkpoint__.npy": manifest_entry({"array": 0})})
    tracemalloc.start()
    try:
        with pytest.raises(nn.CheckpointError, match=r"huge.ckpt.*'0.npy' claims an array of shape "
                                                     r"\(1000000000000,\) and dtype float32 \(4000000000000 bytes\), "
                                                     "but it holds 64 bytes"):
            nn.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_an_array_of_python_objects_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "objects.ckpt"
    write_archive(path, {"0.npy": npy_bytes(np.array([None, 1], dtype=object)),
                         "__checkpoint__.npy": manifest_entry({"array": 0})})
    with pytest.raises(nn.CheckpointError, match="objects.ckpt.*'0.npy' holds an array of Python objects"):
        nn.load(path)


@pytest.mark.parametrize("entry, problem", [
    (b"\x93NUMPY\x01\x00" + struct.pack("<H", 12) + b"{'descr': 1\n", "has a damaged .npy header .*EOF in multi-line"),
    (b"\x93NUMPY\x01\x00" + struct.pack("<H", 10) + b"{'descr':\n", "has a damaged .npy header"),
    (b"\x93NUMPY\x03\x00" + struct.pack("<I", 4) + b"{}\n\n", r"has .npy format version \(3, 0\), which nn.load"),
    (b"\x93NUMP", "has a damaged .npy header"),
    (npy_bytes(np.array([1, 2], dtype="M8[s]")), "holds an array of dtype datetime64.s., which a checkpoint does not"),
    (npy_bytes(np.zeros(2, dtype=[("a", "<f4")])), r"holds an array of dtype \[\('a', '<f4'\)\]"),
])
def test_an_entry_with_a_bad_header_is_refused(tmp_path, entry, problem):
    path = tmp_path / "header.ckpt"
    write_archive(path, {"0.npy": entry, "__checkpoint__.npy": manifest_entry({"array": 0})})
    with pytest.raises(nn.CheckpointError, match=f"damaged checkpoint .*header.ckpt: the entry '0.npy' {problem}"):
        nn.load(path)


def test_compressed_duplicated_and_foreign_entries_are_refused(tmp_path):
    entries = {"0.npy": npy_bytes(np.ones(3)), "__checkpoint__.npy": manifest_entry({"array": 0})}
    compressed = tmp_path / "compressed.ckpt"
    write_archive(compressed, entries, zipfile.ZIP_DEFLATED)
    with pytest.raises(nn.CheckpointError, match="compressed.ckpt.*'0.npy' is compressed"):
        nn.load(compressed)
    foreign = tmp_path / "foreign.ckpt"
    write_archive(foreign, {**entries, "notes.txt": b"hello"})
    with pytest.raises(nn.CheckpointError, match="foreign.ckpt.*'notes.txt' is not an .npy array"):
        nn.load(foreign)
    duplicated = tmp_path / "duplicated.ckpt"
    write_archive(duplicated, entries)
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(duplicated, "a") as archive:
        archive.writestr("0.npy", npy_bytes(np.zeros(3)))
    with pytest.raises(nn.CheckpointError, match="duplicated.ckpt.*'0.npy' appears twice"):
        nn.load(duplicated)


@pytest.mark.parametrize("root, arrays, problem", [
    ({"dict": 5}, [], r"obj is a 'dict' entry whose value is a int, not a list"),
    ({"int": "7"}, [], r"obj is a 'int' entry whose value is a str, not a int"),
    ({"int": 1.5}, [], r"obj is a 'int' entry whose value is a float"),
    ({"float": True}, [], r"obj is a 'float' entry whose value is a bool"),
    ({"list": [{"array": "0"}]}, [np.ones(2)], r"obj\[0\] is a 'array' entry whose value is a str"),
    ({"dict": [["a"]]}, [], r"obj has the entry \['a'\] where a \[key, value\] pair belongs"),
    ({"dict": [[1.5, None]]}, [], r"obj has the entry \[1.5, None\]"),
    ({"dict": [["a", None], ["a", True]]}, [], "obj has a key twice"),
    ({"dict": [["w", {"array": 3}]]}, [np.ones(2)], r"obj\['w'\] refers to array 3, which the file lacks"),
    ({"list": [{"array": 0}, {"array": 0}]}, [np.ones(2)], r"obj\[1\] refers to array 0 a second time"),
    ({"list": []}, [np.ones(2)], "it holds arrays its manifest never refers to: 0"),
    ({"scalar": 0}, [np.ones(2)], r"obj is a scalar, but array 0 has the shape \(2,\)"),
    ({"tensor": 0}, [np.array(["a"])], "obj is a Tensor, but array 0 has the dtype <U1"),
    ({"set": [1]}, [], "obj has the unknown kind 'set'"),
    ([1, 2], [], r"obj is the unexpected entry \[1, 2\]"),
    ({"int": 1, "float": 2.0}, [], "obj is the unexpected entry"),
])
def test_a_manifest_of_the_wrong_types_is_refused(tmp_path, root, arrays, problem):
    path = tmp_path / "bad.ckpt"
    entries = {f"{i}.npy": npy_bytes(array) for i, array in enumerate(arrays)}
    write_archive(path, {**entries, "__checkpoint__.npy": manifest_entry(root)})
    with pytest.raises(nn.CheckpointError, match=f"damaged checkpoint .*bad.ckpt: (in its manifest, )?{problem}"):
        nn.load(path)


@pytest.mark.parametrize("manifest, problem", [
    ("[" * 5000 + "]" * 5000, "not valid JSON .it is nested 5000 levels deep, more than the 302 allowed"),
    ('{"format": "nn-checkpoint", "version": 1, "root": null, "root": 1}',
     "not valid JSON .the key 'root' appears twice"),
    ("{'format'", "not valid JSON"),
])
def test_a_manifest_that_is_not_json_or_nested_too_deeply_is_refused_before_parsing(tmp_path, manifest, problem):
    path = tmp_path / "deep.ckpt"
    write_archive(path, {"__checkpoint__.npy": npy_bytes(np.array(manifest))})
    with pytest.raises(nn.CheckpointError, match=f"deep.ckpt: its manifest is {problem}"):
        nn.load(path)


@pytest.mark.parametrize("manifest, problem", [
    (np.array(b"{}"), r"an array of dtype \|S2 and shape \(\) instead of one str"),
    (np.array(["{}", "{}"]), r"an array of dtype <U2 and shape \(2,\) instead of one str"),
])
def test_a_manifest_that_is_not_one_string_is_refused(tmp_path, manifest, problem):
    path = tmp_path / "bad.ckpt"
    write_archive(path, {"__checkpoint__.npy": npy_bytes(manifest)})
    with pytest.raises(nn.CheckpointError, match=f"bad.ckpt: its manifest is {problem}"):
        nn.load(path)


def test_the_deepest_nesting_saves_and_loads_and_one_level_more_is_refused_before_writing(tmp_path):
    deepest = 0
    for _ in range(100):
        deepest = [deepest]
    nn.save({"deep": deepest[0]}, tmp_path / "deep.ckpt")  # 100 containers: the outer dict and 99 lists
    assert same({"deep": deepest[0]}, nn.load(tmp_path / "deep.ckpt"))
    with pytest.raises(ValueError, match=r"obj\['deep'\]\[0\]\[0\].* is nested more than 100 containers deep"):
        nn.save({"deep": deepest}, tmp_path / "deeper.ckpt")
    assert not (tmp_path / "deeper.ckpt").exists()


def test_arrays_in_any_memory_order_round_trip(tmp_path):
    matrix = np.arange(12.0).reshape(3, 4)
    arrays = {"fortran": np.asfortranarray(matrix), "transposed": matrix.T, "strided": matrix[::2, ::-1],
              "strings": np.array([["ab", "c"]]).T, "bytes": np.array([b"x", b"yz"])}
    nn.save(arrays, tmp_path / "orders.ckpt")
    loaded = nn.load(tmp_path / "orders.ckpt")
    assert same(arrays, loaded)
    loaded["fortran"][0, 0] = -1.0  # loaded arrays are writable
    assert loaded["fortran"][0, 0] == -1.0


def json_depth(value) -> int:
    """The nesting depth of a JSON value, counted on the Python value."""
    if isinstance(value, list):
        return 1 + max(map(json_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(json_depth, value.values()), default=0)
    return 0


brackety_text = st.text(alphabet='[]{}"\\ab\n\u00e9', max_size=6)
json_values = st.recursive(st.none() | st.integers() | brackety_text, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(brackety_text, children, max_size=3)), max_leaves=12)


@given(value=json_values, ensure_ascii=st.booleans())
def test_the_depth_bound_counts_brackets_outside_strings_only(value, ensure_ascii):
    assert bounded_json.nesting_depth(json.dumps(value, ensure_ascii=ensure_ascii)) == json_depth(value)


def test_brackets_inside_names_do_not_count_toward_the_depth(tmp_path):
    obj = {"[" * 400 + '\\"{': ["}" * 400]}
    nn.save(obj, tmp_path / "brackets.ckpt")
    assert nn.load(tmp_path / "brackets.ckpt") == obj
