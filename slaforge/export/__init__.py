"""The agreement's objectives in formats other tools read (``slaforge export``): :mod:`openslo`."""
