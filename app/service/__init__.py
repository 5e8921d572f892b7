"""Serving many untrusted runs at once: worker processes, the response cache, rate limits.

Sits between the API and the pipeline; knows nothing of HTTP frameworks.
"""
