"""cuDNN's switches (PyTorch's torch.backends.cudnn), kept so that seeding code that sets them runs unchanged;
they change nothing here, where there is no cuDNN."""
from __future__ import annotations

deterministic = False
benchmark = False
enabled = True


def is_available() -> bool:
    """False: there is no cuDNN here."""
    return False
