"""Errors of the report build that a user can cause and fix (printed as one line)."""


class BuildError(RuntimeError):
    """A problem with the inputs of the build (no notebooks, bad names, duplicate figures)."""
