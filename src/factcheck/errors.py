"""The one expected-error type: the tool cannot do its job (exit 2)."""

from __future__ import annotations

from factcheck.findings import Code


class FactcheckError(Exception):
    """An expected failure that stops the run: bad usage, unusable file, no network.

    The CLI prints ``location: message`` on one line and exits with :attr:`exit_code`.
    """

    exit_code = 2

    def __init__(
        self, message: str, *, location: str | None = None, code: str = Code.FC101
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.code = code

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message
