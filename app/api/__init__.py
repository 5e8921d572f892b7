"""The JSON API: routes, pydantic schemas, and the mapping of errors to HTTP."""
