"""The one base class of every error talksearch reports to a user.

Each layer raises its own subclass (SourceError, UserDataError, StoreError, EncoderError,
QueryError, ...); the CLI and the web app catch ``TalksearchError`` once. Anything else that
escapes is a bug.
"""

from __future__ import annotations


class TalksearchError(Exception):
    """An error whose message says what went wrong, where, and how to fix it."""
