"""`Optimizer`: the base of every optimizer: parameter groups, per-parameter state, zero_grad and state_dict.

An optimizer holds `param_groups`, a list of dicts: each has `'params'` (a list of leaf Tensors) and that group's
options (lr, momentum, ...), filled in from the optimizer's `defaults`. `state[p]` holds what the optimizer keeps
for parameter `p` between steps (momentum buffers, moment estimates, step counts); it is created at `p`'s first
update. `step()` changes each parameter's array (`p._data`) in place, outside the graph, so that models and
checkpoints that hold the arrays see the new values; it updates the state arrays in place too, as PyTorch does
(`v *= alpha; v += ...`: no new array per step, and the same rounding as `v = alpha * v + ...`).
"""
from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from autograd.grad_mode import enable_grad
from autograd.tensor_class import Tensor
from optim.checks import Rule

Params = Iterable[Tensor] | Iterable[dict[str, Any]]


class Optimizer:
    """Updates parameters from their gradients. A subclass passes its `defaults`, declares `checks` and defines
    `step`, which creates a parameter's state at its first update."""

    checks: ClassVar[dict[str, Rule]] = {}
    """Option name -> the rule its value must follow (see optim.checks); a subclass's rules come after its bases'."""

    def __init__(self, params: Params, defaults: dict[str, Any]) -> None:
        self._check_options(defaults)
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(_ordered(params, "params argument given to the optimizer"))
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _check_options(self, options: dict[str, Any]) -> None:
        """Apply the `checks` of this class and of its bases, the bases' first: a ValueError on an invalid value."""
        for cls in reversed(type(self).__mro__):
            for name, rule in vars(cls).get("checks", {}).items():
                rule(name, options)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options; options it leaves out take the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError("a parameter group needs a 'params' entry")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(_ordered(params, "a group's 'params'"))
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor (one computed from others); optimize the "
                                 "leaves it was computed from")
        index = len(self.param_groups)
        if not params:
            raise ValueError(f"parameter group {index} has an empty parameter list")
        ids = {id(p) for p in params}
        if len(ids) != len(params):
            raise ValueError(f"parameter group {index} contains the same parameter more than once")
        if any(id(p) in ids for group in self.param_groups for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        group = dict(param_group)
        group["params"] = params
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self._check_options(group)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set every `.grad` to None (the default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.requires_grad:
                        p.grad = p.grad.detach()
                    p.grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; `closure` (re)computes the loss first and is returned."""
        raise NotImplementedError

    # ---- what subclasses' step() uses ----
    def _params_with_grad(self) -> list[list[tuple[Tensor, np.ndarray]]]:
        """Per group, each parameter that has a gradient, with that gradient's array.

        Every gradient is checked (shape and dtype those of its parameter) before any update starts.
        """
        per_group = []
        for i, group in enumerate(self.param_groups):
            pairs = []
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad._data
                if g.shape != p._data.shape or g.dtype != p._data.dtype:
                    raise RuntimeError(
                        f"{type(self).__name__}.step: a parameter of group {i} has shape {p._data.shape} and dtype "
                        f"{p._data.dtype}, but its gradient has shape {g.shape} and dtype {g.dtype}")
                pairs.append((p, g))
            per_group.append(pairs)
        return per_group

    # ---- saving and resuming ----
    def state_dict(self) -> dict[str, Any]:
        """A copy of the optimizer's state, with parameters replaced by their index (counted across groups).

        {'state': {index: {name: array or number}}, 'param_groups': [{option: value, 'params': [index, ...]}]}
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {name: copy.deepcopy(value) for name, value in group.items() if name != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: copy.deepcopy(values) for p, values in self.state.items()}
        return {"state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the state and the group options of `state_dict` (from `state_dict()`), keeping the parameters.

        Everything is checked (group count, parameters per group, state shapes, options) before anything changes.
        """
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError("an optimizer state dict has exactly the keys 'state' and 'param_groups'")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"loaded state dict has a different number of parameter groups ({len(saved_groups)}) "
                             f"than the optimizer ({len(self.param_groups)})")
        param_of: dict[Any, Tensor] = {}
        new_groups = []
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if not isinstance(saved, dict) or "params" not in saved:
                raise ValueError(f"loaded parameter group {i} is not a dict with a 'params' entry")
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group: group {i} has {len(group['params'])} parameters, the "
                                 f"loaded one {len(saved['params'])}")
            missing = [name for name in self.defaults if name not in saved]
            if missing:
                raise ValueError(f"loaded parameter group {i} lacks the options {missing} of {type(self).__name__}")
            param_of.update(zip(saved["params"], group["params"]))
            new_group = {name: copy.deepcopy(value) for name, value in saved.items() if name != "params"}
            new_group["params"] = group["params"]
            self._check_options(new_group)
            new_groups.append(new_group)
        new_state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if key not in param_of:
                raise ValueError(f"loaded state dict has state for parameter {key!r}, which none of its parameter "
                                 "groups lists")
            p = param_of[key]
            new_state[p] = {name: _loaded_value(p, key, name, value) for name, value in values.items()}
        for group, new_group in zip(self.param_groups, new_groups):
            group.clear()
            group.update(new_group)
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {name}: {group[name]}" for name in sorted(group) if name != "params"]
        return "\n".join(lines + [")"])


def evaluate(closure: Callable[[], Any] | None) -> Any:
    """The closure's loss, computed with recording on (it usually calls backward); None without a closure."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start <- start + weight * (end - start), in place, rounded as PyTorch's lerp_: the weight in start's
    dtype, and for |weight| >= 0.5 computed as end - (end - start) * (1 - weight)."""
    w = start.dtype.type(weight)
    step = end - start
    if abs(w) < 0.5:
        step *= w
        start += step
    else:
        step *= 1 - w
        np.subtract(end, step, out=start)


def decayed_gradient(g: np.ndarray, p: np.ndarray, weight_decay: float, maximize: bool) -> np.ndarray:
    """The gradient an update follows: -g when maximizing, plus weight_decay * p (L2 decay).

    Returns `g` itself when there is nothing to change: callers must not write into the result.
    """
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * p
    return g


def _ordered(params: Any, what: str) -> Iterable:
    if isinstance(params, Tensor):
        raise TypeError(f"{what} should be an iterable of Tensors or dicts, but got a Tensor")
    if isinstance(params, (set, frozenset)):
        raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                        "tensors in sets will change between runs. Please use a list instead.")
    return params


def _loaded_value(p: Tensor, key: Any, name: str, value: Any) -> Any:
    """A private copy of one loaded state entry: step counts as ints, arrays checked and cast to p's dtype."""
    if name == "step":
        return int(value)
    if isinstance(value, np.ndarray):
        if value.shape != p._data.shape:
            raise ValueError(f"loaded state of parameter {key} has '{name}' of shape {value.shape}, but the "
                             f"parameter has shape {p._data.shape}")
        return np.array(value, dtype=p._data.dtype, copy=True)
    return copy.deepcopy(value)
