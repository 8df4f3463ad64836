"""nn.utils: helpers used around training steps (as torch.nn.utils)."""
from nn.clip_grad import clip_grad_norm_, clip_grad_value_
from nn.utils import rnn
from nn.utils.summary import LayerRow, ModelSummary, summary

__all__ = ["LayerRow", "ModelSummary", "clip_grad_norm_", "clip_grad_value_", "rnn", "summary"]
