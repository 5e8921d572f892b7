"""Interpreting a checked Program with torch: steps, limits, devices, tensor snapshots.

Knows nothing of HTTP or rendering.
"""
