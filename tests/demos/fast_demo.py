"""Running a demo's fast mode the way its command line does, in a temporary folder."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from demos.common import demo_main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_fast(demo: ModuleType, out: Path, capsys) -> tuple[Path, dict, str]:
    """`python -m demos.NAME --fast --out OUT`: the demo's folder, its results and what it printed."""
    name = demo.__name__.rpartition(".")[2]
    results = demo_main(name, demo.run, ["--fast", "--out", str(out)])
    return out / name, results, capsys.readouterr().out


def assert_png(path: Path) -> None:
    """The file exists and is a PNG with some content."""
    assert path.read_bytes()[:8] == PNG_SIGNATURE and path.stat().st_size > 10_000, path
