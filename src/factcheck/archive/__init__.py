"""Evidence that outlives the web (README, "When a source disappears").

* :mod:`~factcheck.archive.session`: a ``requests`` session behind the link checker's
  private-address guard, for the archive's look-up API;
* :mod:`~factcheck.archive.wayback`: the snapshot closest to a date, from a Wayback CDX or
  availability endpoint (the Wayback Machine, a self-hosted pywb, any CDX server);
* :mod:`~factcheck.archive.suggest`: which evidence needs an archive copy, and whether the
  copy found has the quote;
* :mod:`~factcheck.archive.edit`: ``archive_url`` lines written into a claims file, nothing
  else touched;
* :mod:`~factcheck.archive.warc`: the capture of what verify saw, as WARC 1.1, read back.
"""

from factcheck.links.types import DEFAULT_ARCHIVE_ENDPOINT as DEFAULT_ENDPOINT

__all__ = ["DEFAULT_ENDPOINT"]
