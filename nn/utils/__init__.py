"""nn.utils: helpers used around training steps (as torch.nn.utils)."""
from nn.clip_grad import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_"]
