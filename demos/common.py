"""What every demo shares: its command line (--fast, --out) and the folder its pictures are written to."""
from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

DEFAULT_ROOT = Path("demo_output")


def output_dir(name: str, root: str | os.PathLike | None = None) -> Path:
    """The folder for one demo's pictures (created): ROOT/NAME, ROOT being --out, $DEMO_OUTPUT or ./demo_output."""
    base = Path(root if root is not None else os.environ.get("DEMO_OUTPUT", DEFAULT_ROOT))
    path = base / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_main(name: str, run: Callable[[Path, bool], dict], argv: list[str] | None = None) -> dict:
    """Parse --fast/--out, run the demo, print where its pictures are; returns the demo's results."""
    parser = argparse.ArgumentParser(prog=f"python -m demos.{name}")
    parser.add_argument("--fast", action="store_true", help="a short run (what the tests use)")
    parser.add_argument("--out", default=None, help="folder for the pictures (default: ./demo_output)")
    args = parser.parse_args(argv)
    folder = output_dir(name, args.out)
    results = run(folder, args.fast)
    print(f"pictures written to {folder.resolve()}")
    return results
