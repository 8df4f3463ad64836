"""Optimizers that update parameters from their gradients, and schedules for their learning rates.

    optimizer = optim.Adam(params, lr=1e-3)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
    for epoch in range(100):
        optimizer.zero_grad()
        loss_fn(params).backward()
        optimizer.step()
        scheduler.step()
"""
from optim import lr_scheduler
from optim.adagrad import Adagrad
from optim.adam import Adam
from optim.adamw import AdamW
from optim.momentum import Momentum
from optim.optimizer import Optimizer
from optim.rmsprop import RMSprop
from optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
