"""Data loading: datasets, mini-batches, collation and random splits (PyTorch's torch.utils.data, in small)."""
from nn.data.collate import default_collate
from nn.data.dataloader import DataLoader
from nn.data.dataset import Dataset, Subset, TensorDataset, TransformedDataset
from nn.data.split import random_split, split_lengths, train_val_test_split

__all__ = ["Dataset", "TensorDataset", "Subset", "TransformedDataset", "DataLoader", "default_collate",
           "random_split", "split_lengths", "train_val_test_split"]
