"""Errors the user can act on. The CLI prints them on one line and exits with status 2."""


class QualcodeError(Exception):
    """A problem with the user's input or project, explained in one line."""


class NotFound(QualcodeError):
    """A named document, code, coder or coding does not exist."""
