"""nn: neural-network building blocks on the autograd engine, with PyTorch's names and defaults.

Modules and Parameters, layers, activations, losses, the functional API (nn.functional), initialisation
(nn.init), gradient clipping (nn.utils) and checkpoints (nn.save / nn.load).
"""
from nn import data, functional, init, metrics, transforms, utils
from nn.activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nn.adaptive_pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d
from nn.checkpoint import CheckpointError, load, save
from nn.containers import ModuleDict, ModuleList, Sequential
from nn.conv import Conv1d, Conv2d
from nn.dropout import Dropout
from nn.embedding import Embedding
from nn.flatten import Flatten, Unflatten
from nn.linear import Identity, Linear, Maxout
from nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from nn.module import IncompatibleKeys, Module
from nn.multihead_attention import MultiheadAttention
from nn.normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from nn.parameter import Parameter
from nn.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from nn.transformer import (
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)

__all__ = [
    "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d", "CheckpointError", "Conv2d",
    "CosineEmbeddingLoss", "CrossEntropyLoss", "Dropout", "ELU", "Embedding", "Flatten", "GELU", "HuberLoss",
    "Hardtanh", "Identity", "IncompatibleKeys", "L1Loss", "LayerNorm", "LeakyReLU", "Linear", "LogSigmoid",
    "LogSoftmax",
    "MSELoss", "MaxPool2d", "Maxout", "Module", "ModuleDict", "ModuleList", "NLLLoss", "Parameter", "ReLU", "ReLU6",
    "Sequential", "SiLU", "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus", "Tanh",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AvgPool1d", "Conv1d",
    "GroupNorm", "MaxPool1d", "PReLU", "Unflatten",
    "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell", "RNNCellBase",
    "MultiheadAttention", "Transformer", "TransformerDecoder", "TransformerDecoderLayer", "TransformerEncoder",
    "TransformerEncoderLayer",
    "data", "functional", "init", "load", "metrics", "save", "transforms", "utils",
]
