from __future__ import annotations

from factcheck.cli import main

if __name__ == "__main__":
    main()
