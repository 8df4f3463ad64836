"""Checks of hyper-parameter values: each raises a ValueError that names the option and the value."""
from __future__ import annotations

from typing import Any


def check_non_negative(name: str, value: Any, what: str) -> None:
    """`value` >= 0 (NaN fails too); `what` is the option's long name, e.g. "learning rate"."""
    if not value >= 0:
        raise ValueError(f"Invalid {what}: {name}={value!r} (it must be >= 0)")


def check_betas(betas: Any) -> None:
    """Adam's (beta1, beta2): two numbers, each in [0, 1)."""
    if len(betas) != 2:
        raise ValueError(f"Invalid betas: {betas!r} (it must be a pair (beta1, beta2))")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: betas[{i}]={beta!r} (it must be in [0, 1))")
