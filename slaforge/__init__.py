"""slaforge: service level agreements from a structured spec and a reviewed clause library."""

__version__ = "0.1.0"
