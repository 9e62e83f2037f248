"""Fixtures of the pseudonym tests: see :mod:`tests.pseudonyms.study`."""

from __future__ import annotations

from tests.pseudonyms.study import accepted, study

__all__ = ["accepted", "study"]
