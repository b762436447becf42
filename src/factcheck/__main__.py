from __future__ import annotations

from factcheck.cli import entry

if __name__ == "__main__":
    entry()
