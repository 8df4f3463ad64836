"""The training loop the demos share, with a tqdm progress bar that shows the current loss."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from tqdm.auto import tqdm

from autograd import Tensor

T = TypeVar("T")


def progress(iterable: Iterable[T], desc: str, total: int | None = None) -> tqdm:
    """A progress bar over `iterable` (shown on a terminal only); call `.set_postfix(loss=...)` to show the loss."""
    return tqdm(iterable, desc=desc, total=total, leave=False, disable=None, dynamic_ncols=True)


def train(loss_fn: Callable[[], Tensor], optimizer, steps: int, desc: str, scheduler=None) -> list[float]:
    """Full-batch gradient descent: `steps` times zero the gradients, compute `loss_fn()`, backpropagate, step.

    The scheduler (if any) steps after the optimizer, as in PyTorch. Returns the loss of every step.
    """
    losses = []
    bar = progress(range(steps), desc)
    for _ in bar:
        optimizer.zero_grad()
        loss = loss_fn()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        bar.set_postfix(loss=losses[-1], refresh=False)
    return losses
