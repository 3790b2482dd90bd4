"""Kommunalgraph's HTTP layer: the only code that knows about HTTP."""
