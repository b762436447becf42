"""One module per command, each with a typed ``run(...)`` returning the exit code: ``check``
(validate and verify), ``report``, ``export``, ``coverage``, ``init``, ``demo``, ``schema``,
``cache``. The CLI (:mod:`factcheck.cli`) only parses options and calls them."""
