"""The differentiable ops, one family per module; each op's forward and backward sit together."""
