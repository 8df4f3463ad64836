"""nn: neural-network building blocks on the autograd engine, with PyTorch's names and defaults.

Modules and Parameters, layers, activations, losses, the functional API (nn.functional), initialisation
(nn.init), gradient clipping (nn.utils) and checkpoints (nn.save / nn.load).
"""
from nn import functional, init, utils
from nn.parameter import Parameter
from nn.module import IncompatibleKeys, Module
from nn.containers import ModuleDict, ModuleList, Sequential
from nn.linear import Identity, Linear, Maxout
from nn.flatten import Flatten
from nn.dropout import Dropout
from nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from nn.embedding import Embedding
from nn.conv import Conv2d
from nn.pooling import AvgPool2d, MaxPool2d
from nn.activation import ELU, GELU, LeakyReLU, LogSigmoid, LogSoftmax, ReLU, SiLU, Sigmoid, Softmax, Softplus, Tanh
from nn.loss import (
    BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss,
    SmoothL1Loss)
from nn.checkpoint import CheckpointError, load, save
from nn import data, metrics, transforms  # noqa: E402
