"""Errors a user can act on, each with the exit code the command line returns for it.

Raise these with one sentence that names the problem and the fix; the command line prints
the message without a traceback and exits with ``exit_code``.
"""


class CatalystError(Exception):
    """Base class of the errors the command line reports without a traceback."""

    exit_code = 1


class BadInputError(CatalystError):
    """The user's config, arguments or data files are wrong (exit 2)."""

    exit_code = 2


class DataUnavailableError(CatalystError):
    """Data could not be had: network failure, unknown ticker, missing offline (exit 3)."""

    exit_code = 3
