"""CheckpointError: the one error nn.load raises for a file it can not read as a checkpoint."""


class CheckpointError(ValueError):
    """A file that is not a checkpoint nn.load reads, or a damaged one; the message names the file and the problem."""
