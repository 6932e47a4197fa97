"""The error a service raises when a request cannot be carried out (shown to the user as
it is, in the active language), as opposed to a file's problems (tabular.ExtractError).
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out; the message is for the user (Swedish)."""
