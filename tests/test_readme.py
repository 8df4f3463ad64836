"""The README's tour runs as written: its Python blocks, in order, in a fresh folder."""
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_blocks_run_in_order(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    namespace["test_cube"]()  # the hypothesis example defines a test; run it too
    printed = capsys.readouterr().out
    assert "tensor(-4.) tensor(-4.) tensor(3.) tensor(-4.)" in printed
    assert "test accuracy 1.000" in printed
    assert (tmp_path / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "run.ckpt").exists()
