"""The runtime layer: compiled plans, the frozen price index, the quote engine, quotes and
their explanations. No pydantic, no YAML, no I/O: what quoting needs and nothing else.
"""
