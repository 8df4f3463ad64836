"""Random number generators, as PyTorch's torch.Generator and torch.random.

A `Generator` is a stream of random numbers fixed by its seed: the same seed gives the same numbers in every
run (the streams are numpy's PCG64, not PyTorch's Mersenne Twister, so the numbers differ from PyTorch's).
`default_generator` is what every random function draws from when no `generator=` is given: rand, randn,
randint, randperm, normal, bernoulli, multinomial, the in-place uniform_ / normal_ / random_ / bernoulli_,
nn.init, dropout, DataLoader shuffling and random_split. As in PyTorch, it starts from a fixed seed, so a
program that never seeds still draws the same numbers at every run; `seed()` picks a fresh one.
"""
from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from autograd.devices import CPU, check_device, device
from autograd.tensor_class import Tensor

INITIAL_SEED = 67280421310721  # PyTorch's, so that initial_seed() reads the same
_SEED_SPAN = 2 ** 64  # seeds are 64-bit, negative ones counted from the top (PyTorch's rule)
_STATE_FIELDS = (("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4), ("seed", 8))  # name, bytes
STATE_SIZE = sum(size for _, size in _STATE_FIELDS)


class Generator:
    """A random number generator (CPU only): `Generator().manual_seed(0)`, then pass it as `generator=`.

    `get_state()` is a uint8 Tensor of STATE_SIZE bytes (PCG64's 128-bit state and increment, its buffered
    32-bit half-word, and the seed, little-endian); `set_state(state)` makes the generator continue exactly
    from where `get_state()` was called.
    """

    def __init__(self, device: Any = "cpu") -> None:
        check_device(device, "Generator")
        self.manual_seed(INITIAL_SEED)

    @property
    def device(self) -> device:
        return CPU

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from `seed` (any integer in [-2^63, 2^64)); returns the generator itself."""
        seed = _checked_seed(seed)
        self._seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed))
        return self

    def seed(self) -> int:
        """Restart the stream from a fresh, non-deterministic 64-bit seed, and return that seed."""
        seed = secrets.randbits(64)
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        """The seed the stream was last started from."""
        return self._seed

    def get_state(self) -> Tensor:
        """The generator's whole state, as a uint8 Tensor (a copy: drawing further does not change it)."""
        state = self._rng.bit_generator.state
        values = {**state["state"], "has_uint32": state["has_uint32"], "uinteger": state["uinteger"],
                  "seed": self._seed}
        raw = b"".join(int(values[name]).to_bytes(size, "little") for name, size in _STATE_FIELDS)
        return Tensor._wrap(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Continue the stream exactly from a state that get_state() returned; returns the generator."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"set_state: expected a uint8 Tensor from get_state(), got {type(new_state).__name__}")
        if new_state.dtype != np.uint8 or new_state.shape != (STATE_SIZE,):
            raise RuntimeError(f"set_state: expected a uint8 Tensor of {STATE_SIZE} bytes from get_state(), got "
                               f"dtype {new_state.dtype} and shape {tuple(new_state.shape)}")
        raw, values, start = new_state._data.tobytes(), {}, 0
        for name, size in _STATE_FIELDS:
            values[name] = int.from_bytes(raw[start:start + size], "little")
            start += size
        if values["has_uint32"] > 1:
            raise RuntimeError("set_state: this is not a state that get_state() returned (bad buffered-word flag)")
        rng = np.random.Generator(np.random.PCG64())
        rng.bit_generator.state = {"bit_generator": "PCG64", "state": {"state": values["state"], "inc": values["inc"]},
                                   "has_uint32": values["has_uint32"], "uinteger": values["uinteger"]}
        self._rng, self._seed = rng, values["seed"]
        return self

    def __repr__(self) -> str:
        return f"<autograd.Generator object at {id(self):#x}>"


def _checked_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: the seed must be an integer, got {seed!r}")
    seed = int(seed)
    if not -(2 ** 63) <= seed < _SEED_SPAN:
        raise ValueError(f"manual_seed: the seed must be in [-2^63, 2^64), got {seed}")
    return seed % _SEED_SPAN


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (what initialisation, dropout, shuffling and the random factories draw from);
    returns it, as PyTorch does."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator with a fresh non-deterministic seed, and return it."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last started from."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state (a uint8 Tensor) for set_rng_state."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Continue the default generator exactly from a state that get_rng_state() returned."""
    default_generator.set_state(new_state)


def numpy_rng(generator: Any, who: str) -> np.random.Generator:
    """The numpy generator to draw from: the given Generator's, or the default one's when it is None.

    A numpy Generator is accepted too (nn.data and nn.transforms take one); anything else is a TypeError
    that names `who`, the function that was given it.
    """
    if generator is None:
        return default_generator._rng
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"{who}: generator should be an autograd.Generator (or a numpy.random.Generator), "
                    f"got {type(generator).__name__}")
