"""Turning a finished (or failed) run's live tensors and grad_fn nodes into the plain Graph model.

Knows nothing of HTTP or Graphviz.
"""
