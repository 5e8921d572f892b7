"""Graph → DOT → SVG/PNG: styles, escaping, layout and SVG post-processing.

Knows nothing of torch or HTTP; only this package imports graphviz.
"""
