"""Writes the golden files with PyTorch, once: python tests/nn/golden/make_golden.py (torch installed; the
tests never run it, and the library never imports torch).

For each entry of architectures.GOLDEN: NAME.safetensors, the state_dict that safetensors.torch.save_file
writes (metadata {"format": "pt"}, as PyTorch's own tools write it), and NAME.io.npz, the inputs and the
outputs PyTorch computes for them in eval mode, in float32, with the file's weights (architectures.flatten).
"""
from pathlib import Path

import numpy as np
import safetensors.torch
import torch
from architectures import GOLDEN, Golden, flatten, to_tensors

FOLDER = Path(__file__).resolve().parent


def make(name: str, golden: Golden) -> None:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = golden.build(torch.nn)
    with torch.no_grad():
        for parameter in model.parameters():  # every weight distinct (BatchNorm's start as ones and zeros)
            parameter.add_(0.1 * torch.randn_like(parameter))
        for _ in range(3):  # training-mode passes: running statistics, and a count of batches
            golden.output(model, to_tensors(golden.inputs(rng), torch.from_numpy))
    model.eval().to(getattr(torch, golden.dtype))  # floating point tensors only: the count stays int64
    safetensors.torch.save_file(model.state_dict(), FOLDER / f"{name}.safetensors", metadata={"format": "pt"})
    model.float()  # the file's values, computed with in float32
    inputs = golden.inputs(rng)
    with torch.no_grad():
        output = golden.output(model, to_tensors(inputs, torch.from_numpy))
    outputs = {key: value.numpy() for key, value in output.items()} if isinstance(output, dict) else output.numpy()
    np.savez(FOLDER / f"{name}.io.npz", **flatten("input", inputs), **flatten("output", outputs))


if __name__ == "__main__":
    for name, golden in GOLDEN.items():
        make(name, golden)
        print(name, (FOLDER / f"{name}.safetensors").stat().st_size, "bytes")
