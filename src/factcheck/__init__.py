"""factcheck: claim-level fact-checking for articles and their evidence."""

from __future__ import annotations

__version__ = "0.1.0"
