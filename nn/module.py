"""`Module`: the base class of every layer and model.

A Module registers what is assigned to its attributes: Parameters (learned), sub-Modules (whose parameters
are its own too) and, through `register_buffer`, Tensors that are state but not learned (BatchNorm's running
statistics). From these it offers parameters(), train()/eval(), zero_grad(), state_dict()/load_state_dict(),
to(dtype), and lookups by dotted name (get_submodule("encoder.layers.0")).

Calling a module runs its hooks around forward, as PyTorch: forward pre-hooks hook(module, args) (may return
new args), forward hooks hook(module, args, output) (may return a new output), and backward hooks
hook(module, grad_input, grad_output) (see backward_hook). Each register_* returns a handle whose remove()
takes the hook away.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd.conversion import to_arguments
from autograd.devices import unavailable
from autograd.dtypes import as_dtype
from autograd.tensor_class import RemovableHandle, Tensor
from nn.backward_hook import BackwardHook
from nn.parameter import Parameter


class IncompatibleKeys(NamedTuple):
    """What load_state_dict returns, as in PyTorch: the keys the model has but the state dict lacks, and back."""
    missing_keys: list[str]
    unexpected_keys: list[str]


class _Hook:
    """A registered hook, and whether it also takes the keyword arguments; compared by identity, so that each
    handle removes its own registration (the same function may be registered twice)."""

    __slots__ = ("fn", "with_kwargs")

    def __init__(self, fn: Callable, with_kwargs: bool) -> None:
        self.fn, self.with_kwargs = fn, with_kwargs


class Module:
    """Base class of layers and models: subclass it, assign Parameters and Modules in __init__, write forward."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", {})
        for hooks in ("_forward_pre_hooks", "_forward_hooks", "_backward_pre_hooks", "_backward_hooks"):
            object.__setattr__(self, hooks, [])

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or self._backward_pre_hooks:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs) if kwargs else self.forward(*args)  # (no empty dict to unpack)

    # ---- hooks ----
    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        for hook in list(self._forward_pre_hooks):
            if hook.with_kwargs:
                result = hook.fn(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                           f"but got {result!r}.")
                    args, kwargs = result
            else:
                result = hook.fn(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        backward_hook = None
        if self._backward_hooks or self._backward_pre_hooks:
            backward_hook = BackwardHook(self, [h.fn for h in self._backward_hooks],
                                         [h.fn for h in self._backward_pre_hooks])
            args = backward_hook.setup_input_hook(args)
        output = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks):
            result = hook.fn(self, args, kwargs, output) if hook.with_kwargs else hook.fn(self, args, output)
            if result is not None:
                output = result
        if backward_hook is not None:
            output = backward_hook.setup_output_hook(output)
        return output

    def _add_hook(self, kind: str, fn: Callable, prepend: bool, with_kwargs: bool = False) -> RemovableHandle:
        if not callable(fn):
            raise TypeError(f"{kind[1:-1].replace('_', ' ')}: expected a callable, got {type(fn).__name__}")
        hooks, hook = self._registry(kind), _Hook(fn, with_kwargs)
        hooks.insert(0 if prepend else len(hooks), hook)
        return RemovableHandle(hooks, hook)

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call hook(module, args) before every forward; a returned value replaces args (a non-tuple is wrapped
        in one). with_kwargs: hook(module, args, kwargs), which may return a new (args, kwargs)."""
        return self._add_hook("_forward_pre_hooks", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False) -> RemovableHandle:
        """Call hook(module, args, output) after every forward; a returned value replaces the output.
        with_kwargs: hook(module, args, kwargs, output)."""
        return self._add_hook("_forward_hooks", hook, prepend, with_kwargs)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call hook(module, grad_output) when the gradients of the module's outputs are known; a returned tuple
        replaces grad_output."""
        return self._add_hook("_backward_pre_hooks", hook, prepend)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call hook(module, grad_input, grad_output) when the gradients of the module's inputs are known: tuples
        with one entry per positional input (None for a non-Tensor or one that needs no gradient) and per
        output. A returned tuple replaces grad_input (what goes on to the inputs)."""
        return self._add_hook("_backward_hooks", hook, prepend)

    # ---- registration by attribute assignment ----
    def _registry(self, kind: str) -> dict:
        registry = self.__dict__.get(kind)
        if registry is None:
            raise AttributeError(f"cannot assign {kind[1:]} before Module.__init__() call "
                                 f"(call super().__init__() first in {type(self).__name__}.__init__)")
        return registry

    def _forget(self, name: str) -> None:
        """Remove `name` from wherever it is registered, so that it can be registered as something else."""
        self.__dict__.pop(name, None)
        for kind in ("_parameters", "_buffers", "_modules"):
            self.__dict__[kind].pop(name, None)
        self._non_persistent.discard(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Parameter):
            self._registry("_parameters")
            self._forget(name)
            self._set_parameter(name, value)
        elif isinstance(value, Module):
            self._registry("_modules")
            self._forget(name)
            self._modules[name] = value
        elif name in self.__dict__.get("_parameters", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                "(nn.Parameter or None expected)")
            self._set_parameter(name, None)
        elif name in self.__dict__.get("_modules", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                "(nn.Module or None expected)")
            self._modules[name] = None
        elif name in self.__dict__.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _set_parameter(self, name: str, param: Parameter | None) -> None:
        """Register `param` under `name`, and keep it as a plain attribute too, so that reading `self.weight` in
        forward is an ordinary lookup rather than a call to __getattr__ (Linear reads two per call)."""
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: look in the registries.
        for kind in ("_parameters", "_buffers", "_modules"):
            registry = self.__dict__.get(kind)
            if registry is not None and name in registry:
                return registry[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for kind in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(kind, ()):
                del self.__dict__[kind][name]
                self.__dict__.pop(name, None)  # a parameter's plain attribute
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def _check_new_name(self, name: Any, kind: str, registry: str) -> None:
        """The checks of register_parameter/register_buffer/add_module (as PyTorch): a string without '.', not
        already taken by a plain attribute or by a member of another kind (re-registering one of the same kind
        replaces it)."""
        members = self._registry(registry)
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f"{kind} name can't be empty or contain \".\", got {name!r}")
        if hasattr(self, name) and name not in members:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register `param` (or None: a declared but absent parameter, such as bias=False) under `name`."""
        self._check_new_name(name, "parameter", "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' as parameter '{name}' "
                            "(nn.Parameter or None expected)")
        self._set_parameter(name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a Tensor that is state but not learned; persistent buffers are part of the state dict."""
        self._check_new_name(name, "buffer", "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' as buffer '{name}' (Tensor or None expected)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def _check_module(self, name: str, module: Module | None) -> None:
        """Raise what add_module(name, module) would raise, changing nothing (containers check a batch first)."""
        self._check_new_name(name, "module", "_modules")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a sub-module under `name` (what attribute assignment does, for names that are not identifiers)."""
        self._check_module(name, module)
        self._modules[name] = module

    register_module = add_module

    # ---- walking the tree ----
    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module and every module below it, depth first; each module once by default."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(memo, f"{prefix}.{name}" if prefix else name, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every module below it, depth first (each once)."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the modules directly below this one (each once)."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def get_submodule(self, target: str) -> Module:
        """The module at a dotted path below this one, e.g. "encoder.layers.0" ("" is this module)."""
        module = self
        for name in target.split(".") if target else []:
            if not hasattr(module, name):
                raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
            module = getattr(module, name)
            if not isinstance(module, Module):
                raise AttributeError(f"`{name}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path, e.g. "encoder.layers.0.weight"."""
        return self._get_member(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at a dotted path, e.g. "bn.running_mean"."""
        return self._get_member(target, "_buffers", "a buffer")

    def _get_member(self, target: str, registry: str, what: str) -> Tensor:
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        if name not in module.__dict__[registry]:
            raise AttributeError(f"`{name}` is not {what}")
        return getattr(module, name)

    def _named_members(self, kind: str, prefix: str, recurse: bool,
                       remove_duplicate: bool) -> Iterator[tuple[str, Tensor]]:
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, member in module.__dict__[kind].items():
                if member is None or (remove_duplicate and member in seen):
                    continue
                seen.add(member)
                yield (f"{module_prefix}.{name}" if module_prefix else name), member

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs, e.g. ('0.weight', ...); a shared parameter is listed once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # ---- modes and gradients ----
    def train(self, mode: bool = True) -> Module:
        """Training mode (Dropout drops, BatchNorm uses batch statistics) for this module and all below it."""
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be boolean, got {type(mode).__name__}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: the same as train(False)."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of all parameters: set them to None (default) or fill them with zeros."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            elif param.grad.requires_grad:
                param.grad = Tensor._wrap(np.zeros_like(param.grad._data))
            else:
                param.grad._data[...] = 0
                param.grad.bump_version()

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch gradient recording on or off for every parameter (e.g. to freeze a pretrained part)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call fn on every sub-module (children first) and then on this module, e.g. to initialise weights."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def _convert(self, convert: Callable[[np.ndarray], np.ndarray]) -> Module:
        """Give every parameter, its gradient and every buffer the array `convert` makes of theirs, in place:
        Parameters stay the same objects (as PyTorch's module.to, which sets param.data)."""
        for tensor in [*self.parameters(), *self.buffers()]:
            array = convert(tensor._data)
            if array is not tensor._data:
                tensor.data = Tensor._wrap(array)
            if tensor.grad is not None:
                grad = convert(tensor.grad._data)
                if grad is not tensor.grad._data:
                    tensor.grad.data = Tensor._wrap(grad)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert floating parameters (and their gradients) and floating buffers in place, with PyTorch's call
        forms: to(dtype), to(device), to(device, dtype), to(tensor) (its dtype), keywords device= and dtype=.

        Integer buffers (counters) keep their dtype. The device must be the CPU (the only one there is).
        """
        if args and isinstance(args[0], Tensor):
            args = (args[0].dtype, *args[1:])
        dtype, _ = to_arguments(*args, **kwargs)
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        return self._convert(lambda a: a.astype(dtype) if a.dtype.kind == "f" and a.dtype != dtype else a)

    def type(self, dst_type: Any) -> Module:
        """Convert every parameter and buffer, integer ones too, to `dst_type`, in place."""
        dtype = as_dtype(dst_type, "Module.type")
        return self._convert(lambda a: a if a.dtype == dtype else a.astype(dtype))

    def float(self) -> Module:
        """Floating parameters and buffers to float32."""
        return self.to(np.float32)

    def double(self) -> Module:
        """Floating parameters and buffers to float64."""
        return self.to(np.float64)

    def cpu(self) -> Module:
        """The module itself: everything is on the CPU."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """Raises an error: there is no GPU here (autograd runs on the CPU only)."""
        raise unavailable("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else str(device))

    # ---- state dict ----
    def _state_entries(self, prefix: str = "") -> dict[str, Tensor]:
        """Every persistent tensor by dotted name: own parameters, own buffers, then each child's (PyTorch's order)."""
        entries = {}
        for name, param in self._parameters.items():
            if param is not None:
                entries[prefix + name] = param
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent:
                entries[prefix + name] = buffer
        for name, module in self._modules.items():
            if module is not None:
                entries.update(module._state_entries(f"{prefix}{name}."))
        return entries

    def state_dict(self, keep_vars: bool = False) -> dict[str, Tensor]:
        """Parameters and persistent buffers by dotted name, as detached Tensors sharing memory with the model.

        Save it with nn.save; with keep_vars=True the Parameters themselves are returned.
        """
        return {name: tensor if keep_vars else tensor.detach() for name, tensor in self._state_entries().items()}

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy the values of `state_dict` (Tensors or arrays) into this module's parameters and buffers.

        Values are copied into the existing arrays, so Parameters keep their identity (an optimizer holding them
        keeps working). Every problem is found before anything is copied: a shape or dtype that does not fit is
        always an error; missing and unexpected keys are errors when `strict`, else they are only returned.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        own = self._state_entries()
        missing = [name for name in own if name not in state_dict]
        unexpected = [name for name in state_dict if name not in own]
        errors, arrays = [], {}
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if strict and missing:
            errors.append("Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
        for name, target in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            array = value._data if isinstance(value, Tensor) else np.asarray(value)
            if array.shape != target.shape:
                errors.append(f"size mismatch for {name}: copying a param with shape {array.shape} from checkpoint, "
                              f"the shape in current model is {target.shape}.")
            elif array.dtype.kind not in "biuf" or not np.can_cast(array.dtype, target.dtype, casting="same_kind"):
                errors.append(f"dtype mismatch for {name}: can not copy values of dtype {array.dtype} from checkpoint "
                              f"into {target.dtype} in current model.")
            else:
                arrays[name] = array
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        for name, array in arrays.items():
            np.copyto(own[name]._data, array, casting="same_kind")
            own[name].bump_version()
        return IncompatibleKeys(missing, unexpected)

    # ---- printing ----
    def extra_repr(self) -> str:
        """The layer's settings, shown inside its repr; layers override it."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + repr(module).replace("\n", "\n  ") for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"
