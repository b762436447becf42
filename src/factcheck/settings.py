"""Settings: defaults < configuration file < command-line flags, validated.

:data:`LINK_OPTIONS` is the one table of link options: each one's flag, configuration key,
type, default and security scope. The CLI builds its flags from it, the configuration loader
its keys, and the report header its lines. Adding a link option is one entry here, its field
in :class:`~factcheck.links.LinkSettings`, and a test (CONTRIBUTING.md).

The configuration is ``--config PATH``, else the first ``factcheck.toml``, or ``pyproject.toml``
with a ``[tool.factcheck]`` table, found from the current directory upward. It may set only
what cannot widen what the tool touches: the gate (``fail_on``), code severities, URL excludes,
timeouts and concurrency. Private-address allowances, the cache directory, proxies and output
paths come from the command line only, because a pull request can change a file in the
repository but not the command CI runs.

Every setting that differs from its default is recorded as a :class:`Setting`
with where it came from, for the report header.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError
from factcheck.files import Problem, UserFile, read_text
from factcheck.findings import CODES, Code
from factcheck.policy import FailOn, Level


@dataclass(frozen=True)
class Setting:
    """A non-default setting and where it came from (flag, config file, environment)."""

    name: str
    value: str
    source: str


CONFIG_NAME = "factcheck.toml"
PYPROJECT = "pyproject.toml"

#: Codes whose severity cannot be configured: an unusable file always stops the run.
_FIXED_CODES = {Code.FC101}


# --------------------------------------------------------------------------- the link options


class Scope(StrEnum):
    """Where a link option may be set."""

    #: On the command line or in a configuration file.
    CONFIG = "config"
    #: On the command line only (a configuration file does not know the key).
    FLAG = "flag"
    #: On the command line only, because it widens what the tool touches or where it writes:
    #: a configuration file that sets it is refused, naming the flag.
    SECURITY = "security"


@dataclass(frozen=True)
class LinkOption:
    """One link-checking option, spelled once: the CLI flag, the configuration key, the type,
    the default (:class:`~factcheck.links.LinkSettings`' own, which a test keeps equal), the
    security scope, and how the report header shows it."""

    #: The CLI parameter, the configuration key and the report header's setting name.
    name: str
    flag: str
    #: The :class:`~factcheck.links.LinkSettings` field it sets.
    field: str
    #: ``bool`` (a switch), ``int``, ``float``, ``str``, ``Path`` or ``list`` (repeatable).
    kind: type
    help: str
    default: Any
    scope: Scope = Scope.FLAG
    #: The default as the help shows it, when it is not just the value.
    shown_default: str | None = None
    #: More configuration keys refused with this flag's name (a plural spelling).
    aliases: tuple[str, ...] = ()
    #: The smallest value a configuration file may give (numbers; floats: above 0 without).
    least: float | None = None
    #: The largest value allowed, from a flag or a configuration file (numbers).
    most: float | None = None

    def check(self, value: Any, given_as: str) -> None:
        """Refuse (exit 2, naming the allowed range) a number outside ``least``..``most``:
        ``inf``, ``nan`` and ``1e309`` included."""
        if self.most is None or isinstance(value, bool) or not isinstance(value, int | float):
            return
        least = self.least if self.least is not None else 0
        if not least <= value <= self.most:  # also false for nan
            unit = " seconds" if self.kind is float else ""
            raise FactcheckError(
                f"{given_as} must be between {_number(least)} and {_number(self.most)}{unit}, "
                f"not {value!r}"
            )

    @property
    def full_help(self) -> str:
        if self.kind is bool or self.kind is list or self.default is self.shown_default is None:
            return self.help
        return f"{self.help} [default: {self.shown_default or self.default}]"

    def setting(self, value: Any) -> Any:
        """The LinkSettings value for what the user gave."""
        if self.name == "no_cache":
            return not value
        if self.kind is list:
            return tuple(value)
        return value

    def shown(self, value: Any) -> Any:
        """The value as the report header shows it."""
        if self.name == "no_cache":
            return "off"
        if self.name == "proxy":
            return re.sub(r"//[^/@]*@", "//***@", str(value))
        if self.name == "header":  # credentials are never shown: the host and the name only
            return tuple(_masked_header(entry) for entry in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return value


#: Every link option, in the order the report header lists them.
LINK_OPTIONS: tuple[LinkOption, ...] = (
    LinkOption(
        "timeout",
        "--timeout",
        "timeout",
        float,
        "Seconds for one attempt at a URL: connect, headers and body (1-300).",
        20.0,
        Scope.CONFIG,
        shown_default="20",
        least=1,
        most=300,
    ),
    LinkOption(
        "retries",
        "--retries",
        "retries",
        int,
        "Retries after connection errors, 429, 502, 503, 504 (0-10).",
        2,
        Scope.CONFIG,
        least=0,
        most=10,
    ),
    LinkOption(
        "concurrency",
        "--concurrency",
        "concurrency",
        int,
        "URLs checked at once (1-512).",
        64,
        Scope.CONFIG,
        least=1,
        most=512,
    ),
    LinkOption(
        "per_host",
        "--per-host",
        "per_host",
        int,
        "URLs checked at once per host (archive hosts: 1; 1-64).",
        4,
        Scope.CONFIG,
        least=1,
        most=64,
    ),
    LinkOption(
        "host_interval",
        "--host-interval",
        "host_interval",
        float,
        "Seconds between the starts of two requests to one host, 0 to 60 (robots.txt, retries "
        "and redirects count): polite re-checking of an archive.",
        0.0,
        Scope.CONFIG,
        shown_default="0 (none)",
        least=0,
        most=60,
    ),
    LinkOption(
        "respect_robots",
        "--respect-robots",
        "respect_robots",
        bool,
        "Read each host's robots.txt once per run and skip the URLs it disallows for factcheck "
        "or the --user-agent's first word (skipped/robots): for scheduled archive runs.",
        False,
        Scope.CONFIG,
    ),
    LinkOption(
        "max_body",
        "--max-body",
        "max_body",
        int,
        "Bytes of an HTML page read for quotes.",
        5 * 1024 * 1024,
        shown_default="5242880 (5 MiB)",
    ),
    LinkOption(
        "max_cache_age",
        "--max-cache-age",
        "max_cache_age",
        float,
        "Seconds a good cached result is reused.",
        86400.0,
        shown_default="86400 (1 day)",
    ),
    LinkOption(
        "cache_dir",
        "--cache-dir",
        "cache_dir",
        Path,
        "Where the cache lives.",
        Path(".factcheck"),
        Scope.SECURITY,
    ),
    LinkOption(
        "user_agent",
        "--user-agent",
        "user_agent",
        str,
        "User-Agent header. Identify scheduled runs by a name and a contact, e.g. "
        "'factcheck-nightly (+mailto:desk@example.org)'; robots.txt groups for its first word "
        "apply under --respect-robots.",
        None,
        shown_default="a current desktop browser's",
    ),
    LinkOption(
        "proxy",
        "--proxy",
        "proxy",
        str,
        "HTTP proxy, http://host:port (proxy environment variables are ignored).",
        None,
        Scope.SECURITY,
    ),
    LinkOption(
        "allow_cidr",
        "--allow-cidr",
        "allow_cidrs",
        list,
        "Allow non-public addresses in this network only, e.g. 127.0.0.1/32 (repeatable).",
        (),
        Scope.SECURITY,
        aliases=("allow_cidrs",),
    ),
    LinkOption(
        "exclude",
        "--exclude",
        "excludes",
        list,
        "Skip URLs matching this regular expression (re.search on the normalised URL; repeatable).",
        (),
        Scope.CONFIG,
    ),
    LinkOption(
        "include",
        "--include",
        "includes",
        list,
        "Check URLs matching this regular expression even when --exclude or a .factcheckignore "
        "file skips them (repeatable).",
        (),
        Scope.CONFIG,
    ),
    LinkOption(
        "remap",
        "--remap",
        "remaps",
        list,
        "'REGEX REPLACEMENT': fetch a URL at its rewrite by the first rule that matches "
        "(staging hosts, moved domains; re.sub, groups as \\1; repeatable).",
        (),
        Scope.CONFIG,
    ),
    LinkOption(
        "header",
        "--header",
        "headers",
        list,
        "'HOST=Name: value': send this header to HOST and its subdomains only, never across a "
        "redirect to another host; also FACTCHECK_HEADERS, one entry a line (repeatable).",
        (),
        Scope.SECURITY,
        aliases=("headers",),
    ),
    LinkOption(
        "cookies",
        "--cookies",
        "cookies",
        Path,
        "A Netscape cookie jar (cookies.txt): each cookie sent to its own domain only.",
        None,
        Scope.SECURITY,
        aliases=("cookie",),
    ),
    LinkOption(
        "cache_authenticated",
        "--cache-authenticated",
        "cache_authenticated",
        bool,
        "Keep the text of pages fetched with --header or --cookies in the link cache (by "
        "default only their outcome is kept).",
        False,
        Scope.SECURITY,
    ),
    LinkOption(
        "archive_endpoint",
        "--archive-endpoint",
        "archive_endpoint",
        str,
        "The archive's look-up API for --suggest-archive and fix --archive: a CDX server "
        "(…/cdx/search/cdx, pywb's …/COLLECTION/cdx) or the Wayback availability API "
        "(…/wayback/available).",
        "https://web.archive.org/cdx/search/cdx",
        Scope.CONFIG,
    ),
    LinkOption(
        "offline",
        "--offline",
        "offline",
        bool,
        "No network call at all: links and quotes are skipped.",
        False,
    ),
    LinkOption(
        "allow_private",
        "--allow-private",
        "allow_private",
        bool,
        "Allow links to private, loopback and link-local addresses (refused by default).",
        False,
        Scope.SECURITY,
    ),
    LinkOption(
        "no_cache",
        "--no-cache",
        "use_cache",
        bool,
        "Neither read nor write the link cache.",
        False,
    ),
)
LINK_OPTION = {option.name: option for option in LINK_OPTIONS}


@dataclass(frozen=True)
class LinkFlags:
    """The link options a user gave on the command line, by option name (not given: absent)."""

    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, environ: Mapping[str, str] | None = None, **values: Any) -> LinkFlags:
        """The flags among ``values`` that were given (None, False and empty mean not given).
        With ``environ``, the ``FACTCHECK_HEADERS`` entries (one a line) join ``--header``'s."""
        unknown = set(values) - set(LINK_OPTION)
        if unknown:
            raise TypeError(f"not link options: {', '.join(sorted(unknown))}")
        from_environment = [
            line.strip()
            for line in (environ or {}).get(HEADERS_VARIABLE, "").splitlines()
            if line.strip()
        ]
        if from_environment:
            values["header"] = [*(values.get("header") or ()), *from_environment]
        return cls({name: value for name, value in values.items() if _given(value)})

    @property
    def offline(self) -> bool:
        return bool(self.values.get("offline"))

    def given(self) -> dict[str, Any]:
        """The LinkSettings keyword arguments the user set."""
        return {
            option.field: option.setting(self.values[option.name])
            for option in LINK_OPTIONS
            if option.name in self.values
        }

    def shown(self) -> dict[str, tuple[str, Any]]:
        """(flag, value as shown) by setting name, for the report header."""
        return {
            ("cache" if option.name == "no_cache" else option.name): (
                option.flag,
                option.shown(option.setting(self.values[option.name])),
            )
            for option in LINK_OPTIONS
            if option.name in self.values
        }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


#: Header entries from the environment (CI secrets), one ``HOST=Name: value`` a line.
HEADERS_VARIABLE = "FACTCHECK_HEADERS"


def _masked_header(entry: str) -> str:
    """``HOST=Name: ***``: what a header entry may show (its value never)."""
    host, _, rest = entry.partition("=")
    name = rest.partition(":")[0].strip()
    if not re.fullmatch(r"[A-Za-z0-9.-]+", host.strip()) or not re.fullmatch(r"[\w-]+", name):
        return "***"
    return f"{host.strip().lower()}={name}: ***"


def _given(value: Any) -> bool:
    """A flag's value was given: not None, not a switch left off, not an empty repeatable."""
    if value is None or value is False:
        return False
    return not (isinstance(value, list | tuple) and not value)


def link_settings(flags: LinkFlags, config: dict[str, Any] | None = None) -> Any:
    """LinkSettings from the configuration file's values, overridden by the flags given."""
    from factcheck.links import LinkSettings

    for option in LINK_OPTIONS:
        if option.name in flags.values:
            option.check(flags.values[option.name], option.flag)
    return LinkSettings(**{**(config or {}), **flags.given()})


def parse_choice(value: str | None, enum: Any, option: str) -> Any:
    """A flag's word as its enum member (exit 2 naming the choices)."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise FactcheckError(f"{option} must be one of {choices}, not {value!r}") from None


#: Link options a configuration file may set, by key.
_LINK_KEYS = {o.name: o for o in LINK_OPTIONS if o.scope is Scope.CONFIG}
_KNOWN_KEYS = ("fail_on", "severity", *_LINK_KEYS)
#: Keys that widen what the tool touches or where it writes: command line only.
_COMMAND_LINE_ONLY = {
    key: o.flag for o in LINK_OPTIONS if o.scope is Scope.SECURITY for key in (o.name, *o.aliases)
} | {"output": "--output"}


@dataclass(frozen=True)
class Settings:
    """What the configuration file and the flags decided, before the run."""

    fail_on: FailOn = FailOn.ERROR
    levels: dict[str, Level] = field(default_factory=dict)
    #: LinkSettings keyword arguments from the configuration file (flags not included).
    link_config: dict[str, Any] = field(default_factory=dict)
    #: Every non-default setting and where it came from, for the report header.
    recorded: tuple[Setting, ...] = ()
    #: The configuration file used, as shown to the user; None without one.
    config_file: str | None = None
    #: Its path (an input: an output never overwrites it).
    config_path: Path | None = None


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    #: ``factcheck.toml`` or ``pyproject.toml [tool.factcheck]``: how the header names it.
    label: str
    values: dict[str, Any]


# --------------------------------------------------------------------------- finding the file


def find_config(start: Path) -> ConfigFile | None:
    """The first ``factcheck.toml``, or ``pyproject.toml`` with ``[tool.factcheck]``, upward."""
    directory = start.resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return read_config(candidate)
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            found = _pyproject_table(pyproject, required=False)
            if found is not None:
                return found
    return None


def read_config(path: Path) -> ConfigFile:
    """Read a configuration file named with ``--config`` (or found by :func:`find_config`)."""
    if path.name == PYPROJECT:
        found = _pyproject_table(path, required=True)
        assert found is not None
        return found
    data = _parse(path, _read(path))
    if "tool" in data and isinstance(data["tool"], dict) and "factcheck" in data["tool"]:
        table = data["tool"]["factcheck"]
        if not isinstance(table, dict):
            raise _invalid(path, "[tool.factcheck] must be a table")
        return ConfigFile(path, f"{_shown(path)} [tool.factcheck]", table)
    return ConfigFile(path, _shown(path), data)


def _pyproject_table(path: Path, *, required: bool) -> ConfigFile | None:
    import tomllib

    raw = _read(path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        if required or "tool.factcheck" in raw:
            raise _invalid(path, f"not valid TOML: {exc}") from None
        return None  # someone's broken pyproject.toml without our table: not ours to judge
    tool = data.get("tool")
    table = tool.get("factcheck") if isinstance(tool, dict) else None
    if table is None:
        if required:
            raise _invalid(path, "there is no [tool.factcheck] table in this file")
        return None
    if not isinstance(table, dict):
        raise _invalid(path, "[tool.factcheck] must be a table")
    return ConfigFile(path, f"{_shown(path)} [tool.factcheck]", table)


#: Configuration files (``factcheck.toml``, ``pyproject.toml``).
CONFIG_FILE = UserFile(
    "configuration file",
    16 * 1024 * 1024,
    {
        Problem.DIRECTORY: "the configuration path is a directory",
        Problem.UNREADABLE: "cannot read the configuration: {reason}",
        Problem.NOT_TEXT: "invalid configuration: the file is not UTF-8 text",
    },
)


def _read(path: Path) -> str:
    return read_text(path, CONFIG_FILE)


def _parse(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only when there is a configuration file: validate starts fast

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _invalid(path, f"not valid TOML: {exc}") from None


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd()).replace(os.sep, "/")
    except ValueError:  # pragma: no cover - another drive on Windows
        return path.as_posix()


def _invalid(path: Path, message: str) -> FactcheckError:
    return FactcheckError(f"invalid configuration: {message}", location=_shown(path))


# --------------------------------------------------------------------------- validating values


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_config(config: ConfigFile) -> Settings:
    """Validate a configuration table: an unknown key or a bad value is exit 2."""
    values = config.values
    recorded: list[Setting] = []
    fail_on = FailOn.ERROR
    levels: dict[str, Level] = {}
    link_config: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("x-"):
            continue
        if key in _COMMAND_LINE_ONLY:
            raise _invalid(
                config.path,
                f"{key!r} cannot be set in a configuration file, only with "
                f"{_COMMAND_LINE_ONLY[key]} on the command line",
            )
        if key not in _KNOWN_KEYS:
            raise _invalid(config.path, f"unknown key {key!r}{_suggest(key, list(_KNOWN_KEYS))}")
        if key == "fail_on":
            fail_on = _choice(config.path, key, value, FailOn)
            if fail_on is not FailOn.ERROR:
                recorded.append(Setting("fail_on", fail_on.value, config.label))
        elif key == "severity":
            levels = _levels(config.path, value)
            recorded.extend(
                Setting(f"severity.{code}", level.value, config.label)
                for code, level in levels.items()
                if CODES[code].severity.value != level.value
            )
        else:
            option = _LINK_KEYS[key]
            link_config[option.field] = _link_value(config.path, option, value)
            recorded.append(Setting(key, _show_value(link_config[option.field]), config.label))
    return Settings(
        fail_on, levels, link_config, tuple(recorded), config.label, config_path=config.path
    )


def _choice(path: Path, key: str, value: Any, enum: Any) -> Any:
    try:
        return enum(value)
    except (ValueError, TypeError):
        choices = ", ".join(member.value for member in enum)
        raise _invalid(path, f"{key} must be one of {choices}, not {value!r}") from None


def _levels(path: Path, value: Any) -> dict[str, Level]:
    if not isinstance(value, dict):
        raise _invalid(path, 'severity must be a table of codes, e.g. FC402 = "off"')
    levels: dict[str, Level] = {}
    for code, level in value.items():
        if code not in CODES:
            raise _invalid(
                path, f"severity: unknown finding code {code!r}{_suggest(code, list(CODES))}"
            )
        if code in _FIXED_CODES:
            raise _invalid(path, f"severity: {code} cannot be configured (the file is unusable)")
        levels[code] = _choice(path, f"severity.{code}", level, Level)
    return dict(sorted(levels.items()))


def _link_value(path: Path, option: LinkOption, value: Any) -> Any:
    key = option.name
    if key == "remap":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _invalid(path, "remap must be a list of 'REGEX REPLACEMENT' rules")
        from factcheck.urls import parse_remap

        for rule in value:
            try:
                parse_remap(rule, "remap")
            except FactcheckError as exc:
                raise _invalid(path, str(exc)) from None
        return tuple(value)
    if option.kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _invalid(path, f"{key} must be a list of regular expressions")
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise _invalid(
                    path, f"{key} {pattern!r} is not a regular expression: {exc}"
                ) from None
        return tuple(value)
    if option.kind is str:
        if not isinstance(value, str) or not re.match(r"(?i)https?://[^/\s]+(/\S*)?$", value):
            raise _invalid(path, f"{key} must be an http(s) URL, not {value!r}")
        return value
    if option.kind is bool:
        if not isinstance(value, bool):
            raise _invalid(path, f"{key} must be true or false, not {value!r}")
        return value
    if option.kind is float:
        number = not isinstance(value, bool) and isinstance(value, int | float)
        if not number or (option.most is None and not value > 0):
            raise _invalid(path, f"{key} must be a number of seconds above 0, not {value!r}")
    else:
        least = int(option.least or 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise _invalid(path, f"{key} must be a whole number of at least {least}, not {value!r}")
    try:
        option.check(value, key)
    except FactcheckError as exc:
        raise _invalid(path, exc.message) from None
    return float(value) if option.kind is float else value


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- flags on top


def load_settings(
    config: Path | None,
    *,
    fail_on: FailOn | None = None,
    flags: Mapping[str, tuple[str, Any]] | None = None,
    online: bool = False,
    cwd: Path | None = None,
) -> Settings:
    """Defaults < the configuration file < flags.

    ``flags`` maps a setting name to (the flag as typed, its value) for every other flag the
    user gave; each is recorded for the report header, so it shows what this run used. Link
    settings from the configuration are recorded only for a run that checks links.
    """
    found = read_config(config) if config is not None else find_config(cwd or Path.cwd())
    settings = parse_config(found) if found is not None else Settings()
    link_names = set(_LINK_KEYS)
    recorded = [s for s in settings.recorded if online or s.name not in link_names]
    if fail_on is not None:
        recorded = [s for s in recorded if s.name != "fail_on"]
        if fail_on is not FailOn.ERROR:
            recorded.append(Setting("fail_on", fail_on.value, "--fail-on"))
    for name, (flag, value) in (flags or {}).items():
        recorded = [s for s in recorded if s.name != name]
        recorded.append(Setting(name, _show_value(value), flag))
    return Settings(
        fail_on=fail_on or settings.fail_on,
        levels=settings.levels,
        link_config=settings.link_config,
        recorded=tuple(recorded),
        config_file=settings.config_file,
        config_path=settings.config_path,
    )


def flag_settings(
    links: LinkFlags | None, *, mode: str | None = None, claims: tuple[str, ...] = ()
) -> dict[str, tuple[str, Any]]:
    """The flags a user gave, as (flag, value) by setting name, for :func:`load_settings`."""
    given: dict[str, tuple[str, Any]] = {}
    if mode is not None:
        given["mode"] = ("--mode", mode)
    if claims:
        given["claim"] = ("--claim", claims)
    if links is not None:
        given.update(links.shown())
    return given


def run_clock() -> tuple[datetime, Setting | None]:
    """When the run happens: ``SOURCE_DATE_EPOCH`` when set (reproducible reports), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now().astimezone(), None
    try:
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise FactcheckError(
            f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch[:40]!r}"
        ) from None
    return moment, Setting("clock", moment.isoformat(timespec="seconds"), "SOURCE_DATE_EPOCH")
