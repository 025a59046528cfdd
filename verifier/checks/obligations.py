"""Proof obligations: checks written down in TOML files, run by ``verify prove``.

A file holds one ``[[obligation]]`` table per obligation::

    [[obligation]]
    name = "parity4-global"                     # unique among the obligations of a run
    check = "equiv"                             # a key of CHECKS
    left = "../../shared/examples/parity4.bnl"  # relative to the TOML file
    right = "../../shared/examples/parity4.circ"
    mode = "global"                             # "async" (default) or "global"
    expect = "pass"                             # "pass", "fail" or "unknown"

Optional keys of ``equiv``: ``engine`` (default ``"auto"``), ``timeout`` (seconds, default
:data:`DEFAULT_TIMEOUT`), ``bound``, ``stride`` and ``offset`` (the hint (D, C) of asynchronous
equivalence), ``map`` (``"names"`` or a renaming file relative to the TOML file),
``ignore_case`` and ``strip_prefix`` (with ``map``). These are the options of ``verify equiv``.

``check = "translate"`` translates ``source`` (a model file) or ``generate`` (a generator
spec such as ``"random-bnl heads=1000 inputs=12 seed=1"``, :mod:`verifier.generate.catalog`)
``to`` a target of ``verify translate`` and proves the relation the translation claims; with
``mutate = true`` (and optionally ``seed``) it checks a copy broken by one flipped literal
instead, which must FAIL (:mod:`verifier.checks.translation`).

``check = "arith"`` proves the ``meta arith`` claim of ``source`` or ``generate`` (a spec such
as ``"int-mul base=2 digits=12"``) with ``verify arith``; optional ``method`` (``"auto"``,
``"exhaustive"`` or ``"sat"``) and ``mutate``/``seed`` (a copy with one literal negated).

Contract of the loader (:func:`load_obligations`): every problem with a file -- TOML syntax,
a missing or unknown key, a value of the wrong type, an unknown check, an expectation other than
pass/fail/unknown, a model path that does not exist, a duplicate name -- is a
:class:`~verifier.errors.ParseError` at ``file:line:col`` naming the obligation. Problems with the
*models* (a file that does not parse, objects that cannot be aligned) are not the loader's: they
surface when the obligation runs (:func:`run_obligation`) and are reported as an error result.

The set of checks is the registry :data:`CHECKS`: a :class:`CheckKind` lists the keys a check
takes and how to run it; later checks (halting, transient, arith) register there.
"""

from __future__ import annotations

import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier.checks.verdict import Verdict, VerdictKind
from verifier.errors import InputError, ParseError
from verifier.formats.source import Loc, Source, read_source
from verifier.models import Model

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "CHECKS",
    "DEFAULT_TIMEOUT",
    "CheckKind",
    "Obligation",
    "Result",
    "discover",
    "load_file",
    "load_obligations",
    "parse_obligations",
    "register_check",
    "run_obligation",
]

DEFAULT_TIMEOUT = 120.0  # seconds per obligation, unless the obligation says otherwise
MODES = ("async", "global")
EXPECTATIONS = {"pass": VerdictKind.PASS, "fail": VerdictKind.FAIL, "unknown": VerdictKind.UNKNOWN}


@dataclass(frozen=True)
class Obligation:
    """One proof obligation, validated, with paths resolved against its TOML file.

    ``left``/``right``: the two models (``file``'s directory joined with the path as written).
    ``map``: None (align by order), ``"names"``, or the path of a renaming file. ``source``
    or ``generate`` (a generator spec), ``to``, ``mutate`` and ``seed``: a translation
    obligation (see :func:`_run_translate`). ``expect``:
    the verdict the obligation claims. ``file``/``line``: where its ``[[obligation]]`` header is.
    """

    name: str
    check: str
    expect: VerdictKind
    left: Path | None = None
    right: Path | None = None
    mode: str = "async"
    engine: str = "auto"
    timeout: float = DEFAULT_TIMEOUT
    bound: int | None = None
    stride: int | None = None
    offset: int | None = None
    map: str | None = None
    ignore_case: bool = False
    strip_prefix: str = ""
    source: Path | None = None
    generate: str | None = None
    to: str | None = None
    mutate: bool = False
    seed: int = 0
    method: str = "auto"
    file: Path = field(default=Path("<string>"), compare=False)
    line: int = field(default=1, compare=False)

    @property
    def where(self) -> str:
        """``file:line`` of the obligation's header."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class CheckKind:
    """A kind of check obligations can ask for: the keys it takes beyond ``name``, ``check``,
    ``expect`` and ``timeout`` (``required`` and ``optional``), a ``validate`` hook for
    constraints between keys (returns the offending key and a message, or None), and ``run``,
    which decides an obligation (raising :class:`InputError` for bad models). Add one with
    :func:`register_check`."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    run: Callable[[Obligation], Verdict]
    validate: Callable[[Mapping[str, object]], tuple[str, str] | None] = lambda _values: None

    @property
    def keys(self) -> tuple[str, ...]:
        return (*_COMMON_REQUIRED, *self.required, "timeout", *self.optional)


@dataclass(frozen=True)
class Result:
    """The outcome of running one obligation: a verdict, or the error that stopped the check.

    ``error`` is the message of an :class:`InputError` (bad model, not comparable, ...) or, when
    ``internal`` is set, of an unexpected exception (a bug; ``trace`` holds its traceback).
    ``seconds`` is the wall-clock time of the check, loading the models included.
    """

    obligation: Obligation
    verdict: Verdict | None
    seconds: float
    error: str | None = None
    internal: bool = False
    trace: str = ""

    @property
    def status(self) -> str:
        """``"OK"`` when the verdict is the expected one, ``"MISMATCH"`` when it is not,
        ``"ERROR"`` when the check raised."""
        if self.verdict is None:
            return "ERROR"
        return "OK" if self.verdict.kind is self.obligation.expect else "MISMATCH"

    @property
    def ok(self) -> bool:
        return self.status == "OK"


# ----------------------------------------------------------------------------- running


def run_obligation(obligation: Obligation) -> Result:
    """Run ``obligation``'s check; never raises for an error of the check itself.

    An :class:`InputError` becomes an error result with its message; any other exception an
    error result marked ``internal`` with the traceback. (A top-level function, so that a
    process pool can run it.)
    """
    start = time.monotonic()
    try:
        verdict = CHECKS[obligation.check].run(obligation)
    except InputError as err:
        return Result(obligation, None, time.monotonic() - start, error=str(err))
    except Exception as err:  # the error boundary of one obligation: a bug, reported as such
        message = f"internal error: {type(err).__name__}: {err}"
        return Result(
            obligation,
            None,
            time.monotonic() - start,
            error=message,
            internal=True,
            trace=traceback.format_exc(),
        )
    return Result(obligation, verdict, time.monotonic() - start)


def _run_equiv(obligation: Obligation) -> Verdict:
    from verifier.checks.alignment import NameMap, load_renaming
    from verifier.checks.equiv import EquivOptions, check_equiv
    from verifier.formats.registry import load

    assert obligation.left is not None and obligation.right is not None  # the loader's contract
    name_map = NameMap()
    if obligation.map is not None:
        renaming = () if obligation.map == "names" else load_renaming(obligation.map)
        name_map = NameMap(
            by_name=True,
            ignore_case=obligation.ignore_case,
            strip_prefix=obligation.strip_prefix,
            renaming=renaming,
        )
    stride = None
    if obligation.stride is not None:
        stride = (obligation.stride, obligation.offset or 0)
    options = EquivOptions(
        mode=obligation.mode,
        engine=obligation.engine,
        bound=obligation.bound,
        timeout=obligation.timeout,
        stride=stride,
        name_map=name_map,
    )
    return check_equiv(load(obligation.left), load(obligation.right), options)


def _validate_equiv(values: Mapping[str, object]) -> tuple[str, str] | None:
    if "offset" in values and "stride" not in values:
        return "offset", "offset needs stride (the hint is stride D, offset C)"
    if "stride" in values and values.get("mode", "async") != "async":
        return "stride", 'stride and offset are hints of asynchronous equivalence (mode = "async")'
    for key in ("ignore_case", "strip_prefix"):
        if values.get(key) and "map" not in values:
            return key, f'{key} needs map = "names" (or a renaming file)'
    return None


_COMMON_REQUIRED = ("name", "check", "expect")

CHECKS: dict[str, CheckKind] = {}  # by name; see register_check

_EQUIV = CheckKind(
    name="equiv",
    required=("left", "right"),
    optional=(
        "mode",
        "engine",
        "bound",
        "stride",
        "offset",
        "map",
        "ignore_case",
        "strip_prefix",
    ),
    run=_run_equiv,
    validate=_validate_equiv,
)


def _run_translate(obligation: Obligation) -> Verdict:
    """Translate the source (a file, or a generator spec) to ``to`` and prove the relation the
    translation claims; with ``mutate``, a copy broken by one flipped literal (expect fail)."""
    from verifier.checks.translation import check_translation

    assert obligation.to is not None
    return check_translation(
        _source_model(obligation),
        obligation.to,
        mutate_seed=obligation.seed if obligation.mutate else None,
        timeout=obligation.timeout,
    )


def _validate_source(values: Mapping[str, object], key: str, what: str) -> tuple[str, str] | None:
    """Exactly one of ``source`` and ``generate`` (a valid spec), and ``seed`` only with
    ``mutate``: the keys of checks on one model that may be generated or broken (the
    complaint is reported at ``key`` when both or neither are given)."""
    if ("source" in values) == ("generate" in values):
        return key, f"{what} needs exactly one of source and generate"
    if "generate" in values:
        from verifier.generate.catalog import generate

        try:
            generate(str(values["generate"]))
        except ValueError as err:
            return "generate", str(err)
    if "seed" in values and not values.get("mutate"):
        return "seed", "seed chooses the flipped literal of mutate = true"
    return None


def _source_model(obligation: Obligation) -> Model:
    """The model of ``source`` or ``generate`` (the loader checked that one is given)."""
    from verifier.formats.registry import load
    from verifier.generate.catalog import generate

    if obligation.source is not None:
        return load(obligation.source)
    assert obligation.generate is not None  # the loader's contract
    return generate(obligation.generate)


def _validate_translate(values: Mapping[str, object]) -> tuple[str, str] | None:
    return _validate_source(values, "to", "a translation obligation")


_TRANSLATE = CheckKind(
    name="translate",
    required=("to",),
    optional=("source", "generate", "mutate", "seed"),
    run=_run_translate,
    validate=_validate_translate,
)


def _run_arith(obligation: Obligation) -> Verdict:
    """``verify arith`` (with ``method``) on the program ``source`` or ``generate`` (its
    ``meta arith`` line states the claim); with ``mutate``, on a copy with the literal at a
    site chosen by ``seed`` negated."""
    import random

    from verifier.checks.arith import ArithOptions, check_arith
    from verifier.translate import mutate

    model = _source_model(obligation)
    if obligation.mutate:
        model = mutate.flip(model, random.Random(obligation.seed).choice(mutate.sites(model)))
    options = ArithOptions(method=obligation.method, timeout=obligation.timeout)
    return check_arith(model, options)


def _validate_arith(values: Mapping[str, object]) -> tuple[str, str] | None:
    return _validate_source(values, "check", "an arith obligation")


_ARITH = CheckKind(
    name="arith",
    required=(),
    optional=("source", "generate", "method", "mutate", "seed"),
    run=_run_arith,
    validate=_validate_arith,
)


def register_check(kind: CheckKind) -> CheckKind:
    """Add ``kind`` to :data:`CHECKS` (how later issues add halting, transient, arith...).

    Every key it takes must be a field of :class:`Obligation` with a converter here (a new key
    needs both); ValueError otherwise, or when the name is taken.
    """
    fields = set(Obligation.__dataclass_fields__)
    unknown = [k for k in kind.keys if k not in fields or not (k in _CONVERTERS or k in _PATH_KEYS)]
    if unknown:
        raise ValueError(f"check {kind.name!r}: no Obligation field or converter for {unknown}")
    if kind.name in CHECKS:
        raise ValueError(f"a check named {kind.name!r} is already registered")
    CHECKS[kind.name] = kind
    return kind


# ----------------------------------------------------------------------------- values


class _BadValue(Exception):
    """A value of the wrong type or out of range; the loader adds file, line and name."""


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise _BadValue(f"expected a string, got {_describe(value)}")
    return value


def _name(value: object) -> str:
    text = _string(value)
    if not text.strip():
        raise _BadValue("expected a non-empty name")
    return text


def _choice(options: Sequence[str]) -> Callable[[object], str]:
    def convert(value: object) -> str:
        text = _string(value)
        if text not in options:
            raise _BadValue(f"unknown value {text!r}; expected {_alternatives(options)}")
        return text

    return convert


def _check(value: object) -> str:
    text = _string(value)
    if text not in CHECKS:
        raise _BadValue(f"unknown check {text!r}; expected {_alternatives(sorted(CHECKS))}")
    return text


def _expect(value: object) -> VerdictKind:
    text = _string(value)
    try:
        return EXPECTATIONS[text.lower()]
    except KeyError:
        raise _BadValue(f"expected {_alternatives(list(EXPECTATIONS))}, got {text!r}") from None


def _integer(minimum: int) -> Callable[[object], int]:
    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _BadValue(f"expected an integer, got {_describe(value)}")
        if value < minimum:
            raise _BadValue(f"expected an integer >= {minimum}, got {value}")
        return value

    return convert


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _BadValue(f"expected a number of seconds, got {_describe(value)}")
    if not value > 0 or value == float("inf"):
        raise _BadValue(f"expected a positive number of seconds, got {value}")
    return float(value)


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise _BadValue(f"expected true or false, got {_describe(value)}")
    return value


def _engine(value: object) -> str:
    from verifier.checks.equiv import ENGINE_NAMES

    return _choice(ENGINE_NAMES)(value)


def _arith_method(value: object) -> str:
    from verifier.checks.arith import METHODS

    return _choice(METHODS)(value)


def _target(value: object) -> str:
    from verifier.translate.registry import TARGETS

    return _choice(TARGETS)(value)


# Every key any check takes, with its converter. Path keys are converted by _path.
_CONVERTERS: dict[str, Callable[[object], object]] = {
    "name": _name,
    "check": _check,
    "expect": _expect,
    "timeout": _seconds,
    "mode": _choice(MODES),
    "engine": _engine,
    "bound": _integer(1),
    "stride": _integer(1),
    "offset": _integer(0),
    "ignore_case": _boolean,
    "strip_prefix": _string,
    "generate": _string,
    "to": _target,
    "mutate": _boolean,
    "seed": _integer(0),
    "method": _arith_method,
}
_PATH_KEYS = ("left", "right", "map", "source")


def _path(key: str, value: object, base: Path) -> Path | str:
    """``value`` joined to ``base``, a file that exists (a string for ``map``, where
    ``"names"`` is kept as it is)."""
    text = _string(value)
    if key == "map" and text == "names":
        return text
    if not text:
        raise _BadValue("expected a path, got an empty string")
    path = base / text
    if not path.exists():
        where = "" if str(path) == text else f" (looked for {path})"
        raise _BadValue(f"no such file {text!r}{where}")
    if path.is_dir():
        raise _BadValue(f"{text!r} is a directory, expected a file ({path})")
    return str(path) if key == "map" else path


def _describe(value: object) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    for kind, text in kinds.items():
        if type(value) is kind:
            return f"{text} ({value!r})" if kind is not str else f"{text} {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _alternatives(options: Iterable[str]) -> str:
    quoted = [f'"{o}"' for o in options]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


# ----------------------------------------------------------------------------- positions

_HEADER = re.compile(r"\s*\[\[\s*(?:obligation|\"obligation\"|'obligation')\s*\]\]")
_ANY_HEADER = re.compile(r"\s*\[")
_KEY = re.compile(r"\s*(?P<key>[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=\s*")
_SINGLE_TABLE = re.compile(r"\s*\[\s*(?:obligation|\"obligation\"|'obligation')[\s.\]]")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class _Locator:
    """Where things are in a TOML text: a light scan of its lines (tomllib keeps no positions).

    Tables are found by their header lines; a key by a ``key = value`` line inside the table.
    Anything the scan cannot find (inline tables, dotted keys) falls back to the table header,
    then to 1:1.
    """

    source: Source

    def tables(self) -> list[tuple[int, list[tuple[str, Loc, Loc]]]]:
        """Entry 0: the top-level keys; then for each ``[[obligation]]`` header its line and
        the (key, key location, value location) of the ``key = value`` lines of its table."""
        top: list[tuple[str, Loc, Loc]] = []
        found: list[tuple[int, list[tuple[str, Loc, Loc]]]] = [(0, top)]
        current: list[tuple[str, Loc, Loc]] | None = top
        for number, line in enumerate(self.source.lines, start=1):
            if _HEADER.match(line):
                current = []
                found.append((number, current))
            elif _ANY_HEADER.match(line):
                current = None  # another table: its keys are not an obligation's
            elif current is not None and (match := _KEY.match(line)):
                key = match.group("key").strip("\"'")
                key_loc = Loc(number, match.start("key") + 1)
                current.append((key, key_loc, Loc(number, match.end() + 1)))
        return found

    def line_matching(self, pattern: re.Pattern[str]) -> Loc:
        """The first line matching ``pattern`` (at its first non-blank), else 1:1."""
        for number, line in enumerate(self.source.lines, start=1):
            if pattern.match(line):
                return Loc(number, len(line) - len(line.lstrip()) + 1)
        return Loc(1, 1)

    def header(self, index: int) -> Loc:
        """The ``[[obligation]]`` header of the table ``index`` (0-based), else 1:1."""
        tables = self.tables()
        if 0 <= index < len(tables) - 1:
            line = self.source.line(tables[index + 1][0])
            return Loc(tables[index + 1][0], len(line) - len(line.lstrip()) + 1)
        return Loc(1, 1)

    def key(self, index: int, key: str, *, value: bool = True) -> Loc:
        """The value (or with ``value=False`` the key) of ``key`` in table ``index``
        (-1: the top level); the table's header when the key is not found."""
        tables = self.tables()
        entries = tables[index + 1][1] if index + 1 < len(tables) else []
        for name, key_loc, value_loc in entries:
            if name == key:
                return value_loc if value else key_loc
        return self.header(index) if index >= 0 else Loc(1, 1)


# ----------------------------------------------------------------------------- loading


def discover(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The obligation files named by ``paths``: files as given, directories replaced by all
    ``*.toml`` files below them (recursively, sorted). InputError for a missing path or a
    directory without TOML files."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.toml") if p.is_file())
            if not found:
                raise InputError(f"{path}: no *.toml obligation files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return list(dict.fromkeys(files))


def load_obligations(paths: Sequence[str | os.PathLike[str]]) -> list[Obligation]:
    """All obligations of the files and directories ``paths`` (see :func:`discover`), in file
    order; ParseError for a bad file or a name used twice."""
    obligations: list[Obligation] = []
    seen: dict[str, Obligation] = {}
    for path in discover(paths):
        text = read_source(path)
        for index, obligation in enumerate(parse_obligations(text, path)):
            earlier = seen.get(obligation.name)
            if earlier is not None:
                source = Source(text, str(path))
                raise source.error(
                    f"obligation {obligation.name!r}: the name is already used at "
                    f"{earlier.where}; names must be unique",
                    _Locator(source).key(index, "name"),
                )
            seen[obligation.name] = obligation
            obligations.append(obligation)
    return obligations


def load_file(path: str | os.PathLike[str]) -> list[Obligation]:
    """The obligations of one TOML file (ParseError at file:line:col for any problem)."""
    return parse_obligations(read_source(path), Path(path))


def parse_obligations(text: str, path: str | os.PathLike[str]) -> list[Obligation]:
    """The obligations of the TOML ``text`` read from ``path`` (relative paths in it are
    resolved against ``path``'s directory)."""
    source = Source(text, os.fspath(path))
    data = _toml(source)
    locator = _Locator(source)
    for key in data:
        if key != "obligation":
            raise source.error(
                f"unknown top-level key {key!r}: an obligation file holds [[obligation]] tables",
                locator.key(-1, key, value=False),
            )
    tables = data.get("obligation")
    if tables is None:
        raise source.error("no [[obligation]] tables in this file", Loc(1, 1))
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise source.error(
            "obligation must be an array of tables: write each as [[obligation]]",
            locator.line_matching(_SINGLE_TABLE)
            if not any(k == "obligation" for k, _, _ in locator.tables()[0][1])
            else locator.key(-1, "obligation", value=False),
        )
    base = Path(path).parent
    obligations: list[Obligation] = []
    names: set[str] = set()
    for index, table in enumerate(tables):
        obligation = _obligation(table, index, base, source, locator)
        if obligation.name in names:
            raise source.error(
                f"obligation {obligation.name!r}: a second obligation with this name",
                locator.key(index, "name"),
            )
        names.add(obligation.name)
        obligations.append(obligation)
    return obligations


def _toml(source: Source) -> dict[str, object]:
    """The parsed TOML document; ParseError at the position tomllib reports."""
    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = _TOML_POSITION.search(message)
        if match:
            loc = Loc(int(match.group(1)), int(match.group(2)))
            message = message[: match.start()]
        else:
            message = message.replace(" (at end of document)", "")
            last = len(source.lines)
            loc = Loc(last, len(source.line(last)) + 1)
        raise source.error(f"invalid TOML: {message}", loc) from None


def _obligation(
    table: dict[str, object], index: int, base: Path, source: Source, locator: _Locator
) -> Obligation:
    """One ``[[obligation]]`` table, checked key by key (errors at the offending key)."""
    raw_name = table.get("name")
    label = f"obligation {raw_name!r}" if isinstance(raw_name, str) else f"obligation {index + 1}"

    def error(message: str, loc: Loc) -> ParseError:
        return source.error(f"{label}: {message}", loc)

    for key in _COMMON_REQUIRED:
        if key not in table:
            raise error(f"missing key {key!r}", locator.header(index))
    values: dict[str, object] = {}
    for key in ("name", "check"):
        values[key] = _convert(
            key, table[key], base, lambda m, k=key: error(m, locator.key(index, k))
        )
    kind = CHECKS[str(values["check"])]
    for key in table:
        if key not in kind.keys:
            raise error(
                f"unknown key {key!r} for check {kind.name!r}; expected one of "
                + ", ".join(kind.keys),
                locator.key(index, key, value=False),
            )
    for key in kind.required:
        if key not in table:
            raise error(
                f"missing key {key!r} (check {kind.name!r} needs it)", locator.header(index)
            )
    for key, value in table.items():
        values[key] = _convert(key, value, base, lambda m, k=key: error(m, locator.key(index, k)))
    problem = kind.validate(table)
    if problem is not None:
        key, message = problem
        raise error(message, locator.key(index, key, value=False))
    header = locator.header(index)
    return Obligation(**values, file=Path(source.filename), line=header.line)  # type: ignore[arg-type]


def _convert(key: str, value: object, base: Path, error: Callable[[str], ParseError]) -> object:
    try:
        if key in _PATH_KEYS:
            return _path(key, value, base)
        return _CONVERTERS[key](value)
    except _BadValue as err:
        raise error(f"{key}: {err}") from None


register_check(_EQUIV)
register_check(_TRANSLATE)
register_check(_ARITH)
