"""The notebooks in notebooks/: stored without outputs, and run from top to bottom by a Jupyter kernel (nbclient)
on this interpreter; their assert cells check what they show. Needs Graphviz's dot for the graph drawings."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CLEAN_METADATA = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                  "language_info": {"name": "python"}}


def kernel_of_this_python(folder: Path) -> AsyncKernelManager:
    """A kernel manager that starts ipykernel on sys.executable (this virtual environment), whatever kernels the
    user's Jupyter knows."""
    spec = folder / "kernels" / "this-python"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "this python", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="this-python", kernel_spec_manager=specs)


def execute(name: str, folder: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, km=kernel_of_this_python(folder), timeout=120,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata == CLEAN_METADATA
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None and cell.metadata == {} for cell in code)
    assert any("assert " in cell.source for cell in code)


def test_backpropagation_notebook(tmp_path):
    notebook = execute("01_backpropagation.ipynb", tmp_path)
    drawings = [o["data"]["image/svg+xml"] for o in outputs(notebook) if "image/svg+xml" in o.get("data", {})]
    assert len(drawings) == 2  # the two graphs, drawn inline
    assert "f = (x + y) z" in drawings[0] and "tanh" in drawings[1]
    printed = "".join(o.get("text", "") for o in outputs(notebook))
    assert "do/dw1: engine +1.0000, by hand +1.0000" in printed


def test_training_notebook(tmp_path):
    notebook = execute("02_training_digits.ipynb", tmp_path)
    pictures = [o for o in outputs(notebook) if "image/png" in o.get("data", {})]
    assert len(pictures) == 4  # samples, learning curves, confusion matrix, predictions
    printed = "".join(o.get("text", "") for o in outputs(notebook))
    assert "Total params: 4,810" in printed and "test accuracy" in printed
