"""The functional API (import nn.functional as F): every layer, activation and loss as a plain function of
Tensors, with its parameters passed in. The Modules of nn call these.
"""
from autograd.ops.joining import pad
from nn.activation_functions import (
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    logsigmoid,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from nn.classification_losses import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, nll_loss
from nn.conv import conv2d
from nn.distance_losses import cosine_embedding_loss, huber_loss, l1_loss, mse_loss, smooth_l1_loss
from nn.dropout import dropout
from nn.embedding import embedding
from nn.linear import linear
from nn.normalization import batch_norm, layer_norm
from nn.pooling import avg_pool2d, max_pool2d

__all__ = [
    "pad", "elu", "gelu", "leaky_relu", "log_softmax", "logsigmoid", "relu", "sigmoid", "silu", "softmax",
    "softplus", "tanh", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
    "conv2d", "cosine_embedding_loss", "huber_loss", "l1_loss", "mse_loss", "smooth_l1_loss", "dropout",
    "embedding", "linear", "batch_norm", "layer_norm", "avg_pool2d", "max_pool2d"]
