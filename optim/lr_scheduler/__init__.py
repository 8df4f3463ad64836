"""Learning-rate schedules: each sets the optimizer's per-group lr as epochs (or batches) pass.

Construction takes the first step (epoch 0); afterwards call scheduler.step() after optimizer.step().
"""
from optim.lr_scheduler.cosine import CosineAnnealingLR
from optim.lr_scheduler.lambda_lr import LambdaLR
from optim.lr_scheduler.one_cycle import OneCycleLR
from optim.lr_scheduler.plateau import ReduceLROnPlateau
from optim.lr_scheduler.scheduler import LRScheduler
from optim.lr_scheduler.sequential import SequentialLR
from optim.lr_scheduler.step_decay import ExponentialLR, MultiStepLR, StepLR
from optim.lr_scheduler.warmup import ConstantLR, LinearLR

__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "LinearLR", "ConstantLR", "CosineAnnealingLR",
           "LambdaLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR"]
