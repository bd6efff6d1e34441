"""briefgen: cited situation briefs from source reporting."""

__version__ = "0.1.0"
