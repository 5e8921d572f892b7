"""The program language: parsing, the allow-list, math notation, spans and ProgramError.

Knows nothing of torch execution or HTTP.
"""
