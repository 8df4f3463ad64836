"""The data of the names lesson: the US census first names that the `names` package ships, as padded sequences.

Every name becomes one row of inputs and one row of targets, shifted by one character, with '.' (index 0)
marking both the start and the end of the name, as in makemore:

    inputs   .  e  m  m  a  .  .  ...       (padded with '.')
    targets  e  m  m  a  .  -100 ...        (padding ignored by cross_entropy, whose ignore_index is -100)

so that at each position a model predicts the next character from the ones it has read.
"""
from __future__ import annotations

from importlib import resources

import autograd
from autograd import Tensor

END = "."  # the token that starts and ends every name (index 0)
IGNORE = -100  # nn.functional.cross_entropy's default ignore_index: no loss on the padding
CENSUS_FILES = ("dist.female.first", "dist.male.first")


def load_names() -> list[str]:
    """The distinct census first names (female and male; the first column of each line), lower-case, sorted."""
    folder = resources.files("names")
    found: set[str] = set()
    for file in CENSUS_FILES:
        found.update(line.split()[0].lower() for line in (folder / file).read_text().splitlines() if line.strip())
    return sorted(found)


def split_names(names: list[str], validation_fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Shuffle with a seeded Generator, then the first names for training and the rest for validation."""
    order = autograd.randperm(len(names), generator=autograd.Generator().manual_seed(seed)).tolist()
    cut = len(names) - round(validation_fraction * len(names))
    return [names[i] for i in order[:cut]], [names[i] for i in order[cut:]]


def alphabet_of(names: list[str]) -> str:
    """'.' then every character that occurs in the names: alphabet[i] is the character of token i."""
    return END + "".join(sorted(set("".join(names))))


def encode(names: list[str], alphabet: str, length: int) -> tuple[Tensor, Tensor]:
    """Inputs and targets (len(names), length) of token indices, as drawn in the module docstring."""
    index = {c: i for i, c in enumerate(alphabet)}
    inputs, targets = [], []
    for name in names:
        ids = [index[c] for c in name]
        inputs.append([0] + ids + [0] * (length - 1 - len(ids)))
        targets.append(ids + [0] + [IGNORE] * (length - 1 - len(ids)))
    return autograd.tensor(inputs), autograd.tensor(targets)


def decode(ids: list[int], alphabet: str) -> str:
    """The characters of token indices, up to the first '.' (the end of the name)."""
    text = "".join(alphabet[i] for i in ids)
    return text.split(END)[0]
