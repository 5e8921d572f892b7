"""Autograd Playground: see the autograd graph PyTorch really builds."""

__version__ = "0.1.0"
