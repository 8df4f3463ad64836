"""The functional API (import nn.functional as F): every layer, activation and loss as a plain function of
Tensors, with its parameters passed in. The Modules of nn call these.
"""
from autograd.ops.encoding import one_hot
from autograd.ops.joining import pad
from autograd.ops.norms import normalize
from nn.activation_functions import (
    elu,
    elu_,
    gelu,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    prelu,
    relu,
    relu6,
    relu_,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from nn.adaptive_pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
)
from nn.attention import scaled_dot_product_attention
from nn.classification_losses import binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, nll_loss
from nn.conv import conv1d, conv2d
from nn.distance_losses import cosine_embedding_loss, huber_loss, l1_loss, mse_loss, smooth_l1_loss
from nn.dropout import dropout
from nn.embedding import embedding
from nn.linear import linear
from nn.normalization import batch_norm, group_norm, layer_norm
from nn.pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d

__all__ = [
    "normalize", "one_hot",
    "pad", "elu", "gelu", "leaky_relu", "log_softmax", "logsigmoid", "relu", "sigmoid", "silu", "softmax",
    "softplus", "tanh", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
    "conv2d", "cosine_embedding_loss", "huber_loss", "l1_loss", "mse_loss", "smooth_l1_loss", "dropout",
    "embedding", "linear", "batch_norm", "layer_norm", "avg_pool2d", "max_pool2d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "avg_pool1d",
    "conv1d", "group_norm", "max_pool1d", "prelu", "scaled_dot_product_attention", "hardtanh", "relu6",
    "elu_", "hardtanh_", "leaky_relu_", "relu_"]
