"""Function transforms, as `torch.autograd.functional`: the derivatives of a whole function at a point.

For f taking inputs x (a Tensor or a tuple of Tensors) to outputs y (the same):

    jacobian(f, x)     J = dy/dx, of shape y.shape + x.shape      one backward pass per element of y
    hessian(f, x)      H = d^2 f / dx dx, of shape x.shape + x.shape  (f returns one element): the Jacobian of
                       the gradient
    vjp(f, x, v)       v^T J, shaped as x                         one backward pass
    jvp(f, x, v)       J v, shaped as y
    vhp(f, x, v)       v^T H, shaped as x                         two backward passes
    hvp(f, x, v)       H v, shaped as x

Reverse mode gives v^T J directly. J v comes from the "double-vjp trick": u -> u^T J is linear in u, so the
gradient of (u^T J) v with respect to u is J v, whatever the value of u (zeros here); likewise H v from v^T H.
Each result takes the form of the arguments: a Tensor for a Tensor, a tuple for a tuple, and for the Jacobian
(and Hessian) of a tuple of outputs with respect to a tuple of inputs a tuple (per output) of tuples (per input).

With create_graph=False the results are constants (they do not require grad); with create_graph=True they are
recorded, so that they can be differentiated again. With strict=True an output that does not depend on an input
is an error instead of a block of zeros.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from autograd.engine import grad
from autograd.factories import zeros, zeros_like
from autograd.grad_mode import enable_grad
from autograd.ops.joining import stack
from autograd.ops.shape import Reshape
from autograd.tensor_class import Tensor

Tensors: TypeAlias = "Tensor | tuple[Tensor, ...]"

_UNDIFFERENTIABLE = {  # strict mode: what it means when a tensor of each kind does not require grad
    "outputs": "Output {} of the user-provided function does not require gradients. The outputs must be computed "
               "in a differentiable manner from the input when running in strict mode.",
    "grad_inputs": "The gradient with respect to input {} is independent of the inputs of the user-provided "
                   "function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with respect "
                "to input {} is independent of the input. This is not allowed in strict mode. You should ensure "
                "that your function is twice differentiable and that the jacobian depends on the inputs (this "
                "would be violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input {} is independent of the input. "
               "This is not allowed in strict mode. You should ensure that your function is thrice "
               "differentiable and that the hessian depends on the inputs.",
}
_INDEPENDENT = {  # strict mode: a gradient that is None, per stage (back: a vjp; trick: through the double-vjp)
    "back": "The output of the user-provided function is independent of input {}. This is not allowed in "
            "strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {} in the grad_outputs when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in "
                  "strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {}. This is not allowed "
                   "in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                         "backward trick to replace forward mode AD.",
}
_CONSTANT = "The {} of the user-provided function is independent of input {}. This is not allowed in strict mode " \
            "when create_graph=True."
_OUTPUTS = "outputs of the user-provided function"


# ---- the public transforms ----
def vjp(func: Callable[..., Tensors], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Tensors, Tensors]:
    """(func(inputs), v^T J): the vector-Jacobian product, shaped as the inputs. `v` is shaped as the outputs; it
    may be left out when func returns a single element."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(func(*inputs), _OUTPUTS, "vjp")
        _check_differentiable(outputs, "outputs", strict)
        v = _vector(v, outputs, outputs_tuple, create_graph, "vjp", "user-provided function returns")
        products = _zeros_for_none(_grads(outputs, inputs, v, create_graph), inputs, strict, create_graph, "back")
    return _unpack(_finish(outputs, create_graph), outputs_tuple), _unpack(_finish(products, create_graph),
                                                                           inputs_tuple)


def jvp(func: Callable[..., Tensors], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Tensors, Tensors]:
    """(func(inputs), J v): the Jacobian-vector product, shaped as the outputs, by the double-vjp trick. `v` is
    shaped as the inputs; it may be left out when there is a single input of one element."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _vector(v, inputs, inputs_tuple, create_graph, "jvp", "input to the user-provided function is")
        outputs_tuple, outputs = _as_tuple(func(*inputs), _OUTPUTS, "jvp")
        _check_differentiable(outputs, "outputs", strict)
        u = tuple(zeros_like(out, requires_grad=True) for out in outputs)  # any finite u: u^T J is linear in u
        u_jacobian = _grads(outputs, inputs, u, create_graph=True)
        _check_differentiable(u_jacobian, "grad_inputs", strict)
        products = _zeros_for_none(_grads(u_jacobian, u, v, create_graph), outputs, strict, create_graph,
                                   "back_trick")
    return _unpack(_finish(outputs, create_graph), outputs_tuple), _unpack(_finish(products, create_graph),
                                                                           outputs_tuple)


def jacobian(func: Callable[..., Tensors], inputs: Tensors, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False) -> Tensors | tuple[Tensors, ...]:
    """J[i][k] = d outputs[i] / d inputs[k], of shape outputs[i].shape + inputs[k].shape, nested as func's
    outputs and inputs are (a Tensor, a tuple, or a tuple of tuples).

    `vectorize` is accepted for PyTorch's sake; the result is the same either way (one backward pass per element
    of the outputs: this engine has no batched backward)."""
    if strict and vectorize:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                           "supported together. Please either set `strict=False` or `vectorize=False`.")
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(func(*inputs), _OUTPUTS, "jacobian")
        _check_differentiable(outputs, "outputs", strict)
        blocks = tuple(_jacobian_blocks(i, out, inputs, create_graph, strict) for i, out in enumerate(outputs))
    return _unpack_nested(_finish(blocks, create_graph), outputs_tuple, inputs_tuple)


def hessian(func: Callable[..., Tensor], inputs: Tensors, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False) -> Tensors | tuple[Tensors, ...]:
    """H[i][k] = d^2 func / d inputs[i] d inputs[k], of shape inputs[i].shape + inputs[k].shape, for a func that
    returns a single element: the Jacobian of its gradient (a tuple of tuples for a tuple of inputs)."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")

    def scalar(*xs: Tensor) -> Tensor:
        out = func(*xs)
        out_tuple, outs = _as_tuple(out, _OUTPUTS, "hessian")
        _check_differentiable(outs, "outputs", strict)
        _check_single_element(out, out_tuple, "hessian")
        return out.reshape(())

    def gradient(*xs: Tensor) -> tuple[Tensor, ...]:
        g = jacobian(scalar, xs, create_graph=True)
        _check_differentiable(g, "jacobian", strict)
        return g

    blocks = jacobian(gradient, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize)
    return _unpack_nested(blocks, inputs_tuple, inputs_tuple)


def vhp(func: Callable[..., Tensor], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Tensor, Tensors]:
    """(func(inputs), v^T H): the vector-Hessian product of a func returning a single element, shaped as the
    inputs: the vjp of its gradient."""
    with enable_grad():
        inputs_tuple, inputs, v, output = _gradient_setup(func, inputs, v, create_graph, strict, "vhp")
        gradient = _grads((output,), inputs, create_graph=True)
        _check_differentiable(gradient, "jacobian", strict)
        products = _zeros_for_none(_grads(gradient, inputs, v, create_graph), inputs, strict, create_graph,
                                   "double_back")
    return _finish((output,), create_graph)[0], _unpack(_finish(products, create_graph), inputs_tuple)


def hvp(func: Callable[..., Tensor], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Tensor, Tensors]:
    """(func(inputs), H v): the Hessian-vector product of a func returning a single element, shaped as the
    inputs, by the double-vjp trick on its gradient (the same as vhp when H is symmetric)."""
    with enable_grad():
        inputs_tuple, inputs, v, output = _gradient_setup(func, inputs, v, create_graph, strict, "hvp")
        gradient = _grads((output,), inputs, create_graph=True)
        u = tuple(zeros_like(x, requires_grad=True) for x in inputs)
        u_hessian = _grads(gradient, inputs, u, create_graph=True)
        _check_differentiable(gradient, "hessian", strict)
        products = _zeros_for_none(_grads(u_hessian, u, v, create_graph), inputs, strict, create_graph,
                                   "double_back_trick")
    return _finish((output,), create_graph)[0], _unpack(_finish(products, create_graph), inputs_tuple)


# ---- what the transforms share ----
def _as_tuple(value: Any, what: str, fn_name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(whether `value` was a tuple, `value` as a tuple of Tensors)."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, element in enumerate(values):
        if not isinstance(element, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {what}"
            raise TypeError(f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but "
                            f"{where} has type {type(element)}.")
    return is_tuple, values


def _prepare(tensors: tuple[Tensor, ...], create_graph: bool, need_graph: bool) -> tuple[Tensor, ...]:
    """New Tensor objects for the arguments, so that what func captures from outside is told apart from what it
    is given: with create_graph, a view recorded in the graph (gradients flow on to the caller's tensors);
    otherwise a detached copy of the reference that requires grad if `need_graph`."""
    return tuple(Reshape.apply(t, t.shape) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in tensors)


def _finish(results: tuple, create_graph: bool) -> tuple:
    """The results as they are returned: cut from the graph unless create_graph (nested tuples alike)."""
    if create_graph:
        return results
    return tuple(r.detach() if isinstance(r, Tensor) else _finish(r, False) for r in results)


def _unpack(results: tuple, was_tuple: bool) -> Any:
    return results if was_tuple else results[0]


def _unpack_nested(blocks: tuple[tuple, ...], outputs_tuple: bool, inputs_tuple: bool) -> Any:
    """Blocks per output, per input, nested as the outputs (outer) and the inputs (inner) were given."""
    return _unpack(tuple(_unpack(per_input, inputs_tuple) for per_input in blocks), outputs_tuple)


def _vector(v: Tensors | None, like: tuple[Tensor, ...], like_tuple: bool, create_graph: bool, fn_name: str,
            what_is_single: str) -> tuple[Tensor, ...] | None:
    """The vector of a product, checked against the tensors it pairs with; None is 1 for a single element."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {what_is_single} a single Tensor with a "
                               "single element.")
        return None
    _, v = _as_tuple(v, "v", fn_name)
    v = _prepare(v, create_graph, need_graph=False)
    if len(v) != len(like):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(like)} but got {len(v)}." if like_tuple
                           else "The given v should contain a single Tensor.")
    for i, (v_i, like_i) in enumerate(zip(v, like)):
        if v_i.shape != like_i.shape:
            entry = f"Entry {i} in " if like_tuple else ""
            raise RuntimeError(f"{entry}v has invalid size: should be {like_i.shape} but got {v_i.shape}.")
    return v


def _gradient_setup(func: Callable[..., Tensor], inputs: Tensors, v: Tensors | None, create_graph: bool,
                    strict: bool, fn_name: str) -> tuple[bool, tuple[Tensor, ...], Any, Tensor]:
    """What vhp and hvp start from: the prepared inputs and v, and func's single-element output."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _prepare(inputs, create_graph, need_graph=True)
    v = _vector(v, inputs, inputs_tuple, create_graph, fn_name, "input to the user-provided function is")
    output = func(*inputs)
    output_tuple, outputs = _as_tuple(output, _OUTPUTS, fn_name)
    _check_differentiable(outputs, "outputs", strict)
    _check_single_element(output, output_tuple, fn_name)
    return inputs_tuple, inputs, v, output


def _check_single_element(output: Any, output_tuple: bool, fn_name: str) -> None:
    if output_tuple:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if output.numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single element")


def _check_differentiable(tensors: tuple, kind: str, strict: bool) -> None:
    """strict mode: every tensor must exist and depend on the inputs (require grad)."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(_INDEPENDENT["back"].format(i))
        if not t.requires_grad:
            raise RuntimeError(_UNDIFFERENTIABLE[kind].format(i))


def _grads(outputs: tuple, inputs: tuple[Tensor, ...], grad_outputs: tuple | None = None,
           create_graph: bool = False, retain_graph: bool | None = None) -> tuple[Tensor | None, ...]:
    """autograd.grad over the outputs that are differentiable (None and constants are skipped, with their
    grad_outputs); None for an input that no output depends on."""
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    used = [(out, g) for out, g in zip(outputs, grad_outputs) if out is not None and out.requires_grad]
    if not used:
        return (None,) * len(inputs)
    return grad([out for out, _ in used], list(inputs), [g for _, g in used], retain_graph=retain_graph,
                create_graph=create_graph, allow_unused=True)


def _zeros_for_none(grads: tuple, like: tuple[Tensor, ...], strict: bool, create_graph: bool,
                    stage: str) -> tuple[Tensor, ...]:
    """Zeros where no gradient came (a mathematical zero), or in strict mode an error; in strict mode with
    create_graph, a gradient that does not depend on the inputs is an error too."""
    filled = []
    for i, (g, x) in enumerate(zip(grads, like)):
        if g is None:
            if strict:
                raise RuntimeError(_INDEPENDENT[stage].format(i))
            g = zeros_like(x)
        elif strict and create_graph and not g.requires_grad:
            raise RuntimeError(_CONSTANT.format("hessian" if stage.startswith("double") else "jacobian", i))
        filled.append(g)
    return tuple(filled)


def _jacobian_blocks(index: int, out: Tensor, inputs: tuple[Tensor, ...], create_graph: bool,
                     strict: bool) -> tuple[Tensor, ...]:
    """d out / d inputs[k] for each k, of shape out.shape + inputs[k].shape: row j of every block is the
    gradient of out's j-th element, one backward pass each (the graph is kept for the next)."""
    rows: list[list[Tensor]] = [[] for _ in inputs]
    elements = out.reshape(-1)
    for j in range(out.numel()):
        grads = _grads((elements[j],), inputs, retain_graph=True, create_graph=create_graph)
        for k, (g, x) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {index} of the user-provided function is independent of input {k}. "
                                       "This is not allowed in strict mode.")
                g = zeros_like(x)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError(_CONSTANT.format("jacobian", k))
            rows[k].append(g)
    return tuple(stack(r).reshape(out.shape + x.shape) if r else zeros(out.shape + x.shape, dtype=x.dtype)
                 for r, x in zip(rows, inputs))
