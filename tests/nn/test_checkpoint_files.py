"""How checkpoints meet the file system: any name Linux allows, a normal file mode, and no temporary file left
behind, even by a save killed mid-write (the next save to the same target removes it)."""
import fcntl
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.atomic_write import SUFFIX, temporary_prefix


@pytest.mark.parametrize("suffix", [".ckpt", ".safetensors"])
def test_a_name_of_255_bytes_saves_and_loads(tmp_path, suffix):
    name = "é" * ((255 - len(suffix)) // 2) + "x" * ((255 - len(suffix)) % 2) + suffix
    assert len(os.fsencode(name)) == 255
    nn.save({"w": np.arange(3.0)}, tmp_path / name)
    np.testing.assert_array_equal(nn.load(tmp_path / name)["w"], np.arange(3.0))
    assert os.listdir(tmp_path) == [name]


def test_the_file_gets_the_mode_of_any_new_file(tmp_path):
    mask = os.umask(0o027)
    try:
        nn.save([1], tmp_path / "a.ckpt")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "a.ckpt").st_mode) == 0o640


REPOSITORY = Path(__file__).resolve().parents[2]
KILLED_SAVE = textwrap.dedent("""
    import os, signal, sys
    import nn.atomic_write

    def write_half_then_die(file):
        file.write(b"PK half a checkpoint")
        file.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    nn.atomic_write.write_atomically(sys.argv[1], write_half_then_die)
""")


def test_a_save_killed_mid_write_leaves_the_old_file_and_the_next_save_removes_its_leftover(tmp_path):
    path = tmp_path / "model.ckpt"
    nn.save({"step": 1}, path)
    killed = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(path)], cwd=REPOSITORY, capture_output=True)
    assert killed.returncode == -9, killed.stderr.decode()
    (leftover,) = [name for name in os.listdir(tmp_path) if name != "model.ckpt"]
    assert leftover.startswith(temporary_prefix(str(path))) and leftover.endswith(SUFFIX)
    assert leftover.startswith(".") and len(leftover) < 40  # hidden, short, and not named like a checkpoint
    assert nn.load(path) == {"step": 1}
    nn.save({"step": 2}, path)
    assert os.listdir(tmp_path) == ["model.ckpt"] and nn.load(path) == {"step": 2}


def test_the_temporary_file_of_a_save_in_progress_is_left_alone(tmp_path):
    """A temporary file whose writer still holds its lock belongs to a save in progress, not to a dead one."""
    path = tmp_path / "model.ckpt"
    in_progress = tmp_path / (temporary_prefix(str(path)) + "0badf00d" + SUFFIX)
    other_target = tmp_path / (temporary_prefix(str(tmp_path / "other.ckpt")) + "0badf00d" + SUFFIX)
    other_target.write_bytes(b"")
    with open(in_progress, "wb") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
        nn.save({"step": 1}, path)
        assert sorted(os.listdir(tmp_path)) == sorted(["model.ckpt", in_progress.name, other_target.name])
    nn.save({"step": 2}, path)  # now unlocked, as a killed writer's file is: removed
    assert sorted(os.listdir(tmp_path)) == sorted(["model.ckpt", other_target.name])
