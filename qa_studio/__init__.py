"""QA Studio: offline quality assurance for contact centres."""

__version__ = "0.1.0"
