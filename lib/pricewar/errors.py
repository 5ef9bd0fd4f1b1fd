"""Every error pricewar raises on purpose, each with the exit code the ``pricewar`` command gives it.

Two kinds, mapped to exit codes in one place (``pricewar.cli.main``):

- ``DataError`` (exit 1): the data is wrong — a curated row, a snapshot file, a usage log.
  Its message names the file, row, column and value, and why.
- ``RequestError`` (exit 2): the request cannot be served — an unknown model or report,
  no price that day, no such snapshot, bad parameters.
"""

from __future__ import annotations

__all__ = ["PricewarError", "DataError", "RequestError", "ValidationError", "UsageError", "SnapshotError",
           "UnknownModelError", "NoPriceError", "RunError"]


class PricewarError(Exception):
    """The base of every error pricewar raises on purpose; ``exit_code`` is the command's exit status."""

    exit_code = 1


class DataError(PricewarError):
    """Bad data (exit 1)."""

    exit_code = 1


class RequestError(PricewarError):
    """A request that cannot be served (exit 2)."""

    exit_code = 2


class ValidationError(DataError):
    """Raised with every problem found; ``str()`` lists them one per line, sorted.

    ``problems`` are ``pricewar.data.schema.Problem`` (``file:row: column: value — reason``).
    """

    def __init__(self, problems: list):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(DataError, ValueError):
    """A usage log that cannot be priced: every problem as ``file:row: column: value — reason``."""


class SnapshotError(RequestError):
    """A snapshot that does not exist, that exists already, or that lacks a file asked for."""


class UnknownModelError(RequestError, LookupError):
    """A model name the catalog cannot resolve; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown model {name!r}{hint}")


class NoPriceError(RequestError, LookupError):
    """No list price for the model (at that host) on the requested day."""


class RunError(RequestError):
    """A report manifest or parameter problem found before anything ran."""
