"""``factcheck cache info|clear``: the link cache, inspected or emptied."""

from __future__ import annotations

from pathlib import Path


def info(cache_dir: Path) -> int:
    from factcheck.links import cache_info
    from factcheck.output import emit
    from factcheck.render.cache import render_cache_info

    emit(render_cache_info(cache_info(cache_dir)), None)
    return 0


def clear(cache_dir: Path) -> int:
    from factcheck.links import cache_clear
    from factcheck.output import emit

    removed = cache_clear(cache_dir)
    emit(f"removed {removed} cached result{'s' if removed != 1 else ''} from {cache_dir}\n", None)
    return 0
