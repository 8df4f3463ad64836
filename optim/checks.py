"""Rules for option values, for an optimizer's `checks`: each raises a ValueError that names the option and value.

A rule is called as rule(name, options), with the option's name and the whole group of options, so that a rule
can also relate one option to others (SGD's nesterov needs a momentum).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = Callable[[str, dict[str, Any]], None]


def non_negative(what: str) -> Rule:
    """value >= 0 (NaN fails too); `what` is the option's long name in the message, e.g. "learning rate"."""
    def check(name: str, options: dict[str, Any]) -> None:
        if not options[name] >= 0:
            raise ValueError(f"Invalid {what}: {name}={options[name]!r} (it must be >= 0)")
    return check


def positive(what: str, why: str) -> Rule:
    """value > 0 (NaN fails too); `why` ends the message."""
    def check(name: str, options: dict[str, Any]) -> None:
        if not options[name] > 0:
            raise ValueError(f"Invalid {what}: {name}={options[name]!r} ({why})")
    return check


def beta_pair(name: str, options: dict[str, Any]) -> None:
    """Adam's (beta1, beta2): two numbers, each in [0, 1)."""
    betas = options[name]
    if len(betas) != 2:
        raise ValueError(f"Invalid betas: {betas!r} (it must be a pair (beta1, beta2))")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: betas[{i}]={beta!r} (it must be in [0, 1))")
