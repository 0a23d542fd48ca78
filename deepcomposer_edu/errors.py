"""Every error this package raises on purpose.

A learner who passes a bad file or a bad value should see one clear sentence that names the file (or the
value) and the problem, never a traceback from deep inside a library. All of those errors derive from
`DeepComposerError`, so the command line can print them as one line and exit with code 2, and a notebook
can catch them all with one `except`.
"""


class DeepComposerError(Exception):
    """Base class: something the user can fix (a bad file, a bad option, a missing model)."""


class MidiFormatError(DeepComposerError):
    """A file that is not readable MIDI: not MIDI at all, truncated, no notes, or absurdly large."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OutputExistsError(DeepComposerError):
    """Refusing to overwrite a file the user already has (pass overwrite=True / --overwrite)."""

    def __init__(self, path):
        self.path = str(path)
        super().__init__(f"{self.path}: already exists (use --overwrite / overwrite=True to replace it)")


class InvalidArgumentError(DeepComposerError, ValueError):
    """A value outside what a function accepts (a negative tempo, an unknown style name, ...)."""


class ModelNotFoundError(DeepComposerError):
    """No model of that name in the shipped models or the user's registry."""


class NotInstalledError(DeepComposerError):
    """A capability of the course that this version of the package does not provide yet."""
