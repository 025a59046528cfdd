"""Proof obligation files: the model, the loader's located errors, the registry of checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from verifier.checks import obligations as ob
from verifier.checks.obligations import (
    CHECKS,
    DEFAULT_TIMEOUT,
    CheckKind,
    Obligation,
    discover,
    load_file,
    load_obligations,
    register_check,
    run_obligation,
)
from verifier.checks.verdict import Verdict, VerdictKind
from verifier.errors import InputError, ParseError

PARITY = f'''\
[[obligation]]
name = "parity"
check = "equiv"
left = "{EXAMPLES / "parity4.bnl"}"
right = "{EXAMPLES / "parity4.circ"}"
expect = "pass"
'''


def write(tmp_path: Path, text: str, name: str = "obligations.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> ParseError:
    path = write(tmp_path, text)
    with pytest.raises(ParseError) as info:
        load_file(path)
    assert info.value.file == str(path)
    return info.value


# ----------------------------------------------------------------------------- the model


def test_defaults_and_resolved_paths(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    for name in ("a.bnl", "b.circ"):
        (tmp_path / "models" / name).write_text("")
    path = write(
        tmp_path,
        '# a comment\n\n[[obligation]]\nname = "x"\ncheck = "equiv"\n'
        'left = "models/a.bnl"\nright = "models/b.circ"\nexpect = "fail"\n',
        "x.toml",
    )
    [obligation] = load_file(path)
    assert obligation == Obligation(
        name="x",
        check="equiv",
        expect=VerdictKind.FAIL,
        left=path.parent / "models/a.bnl",
        right=path.parent / "models/b.circ",
    )
    assert (obligation.mode, obligation.engine, obligation.timeout) == (
        "async",
        "auto",
        DEFAULT_TIMEOUT,
    )
    assert obligation.file == path and obligation.line == 3
    assert obligation.where == f"{path}:3"


def test_every_key(tmp_path: Path) -> None:
    renaming = write(tmp_path, "A B\n", "maps/r.txt")
    text = PARITY.replace('expect = "pass"', 'expect = "UNKNOWN"') + (
        'mode = "async"\nengine = "explicit"\ntimeout = 5\nbound = 7\nstride = 2\noffset = 0\n'
        'map = "maps/r.txt"\nignore_case = true\nstrip_prefix = "v_"\n'
    )
    [obligation] = load_file(write(tmp_path, text))
    assert obligation.expect is VerdictKind.UNKNOWN
    assert (obligation.engine, obligation.timeout, obligation.bound) == ("explicit", 5.0, 7)
    assert (obligation.stride, obligation.offset) == (2, 0)
    assert Path(obligation.map or "") == renaming
    assert obligation.ignore_case and obligation.strip_prefix == "v_"


def test_the_repository_obligations_load() -> None:
    loaded = load_obligations([REPO / "proofs"])
    assert len(loaded) >= 8
    assert len({o.name for o in loaded}) == len(loaded)
    assert {o.check for o in loaded} == {"equiv", "translate", "arith"}


# ----------------------------------------------------------------------------- located errors


def test_toml_syntax_error_has_tomllib_position(tmp_path: Path) -> None:
    err = error_of(tmp_path, '[[obligation]]\nname = "x"\ncheck = equiv\n')
    assert (err.line, err.col) == (3, 9)
    assert "invalid TOML" in err.message


def test_toml_error_at_end_of_document(tmp_path: Path) -> None:
    err = error_of(tmp_path, '[[obligation]]\nname = "x\n')
    assert err.line == 2
    assert "invalid TOML" in err.message


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY + 'engin = "bmc"\n')
    assert (err.line, err.col) == (7, 1)
    assert "obligation 'parity'" in err.message and "unknown key 'engin'" in err.message
    assert "engine" in err.message  # the keys it could have meant


def test_missing_key_points_at_the_header(tmp_path: Path) -> None:
    text = PARITY + PARITY.replace('"parity"', '"second"').replace('expect = "pass"\n', "")
    err = error_of(tmp_path, text)
    assert (err.line, err.col) == (7, 1)
    assert "obligation 'second'" in err.message and "missing key 'expect'" in err.message


def test_missing_check_specific_key(tmp_path: Path) -> None:
    err = error_of(tmp_path, "\n".join(line for line in PARITY.splitlines() if "right" not in line))
    assert "missing key 'right'" in err.message and "equiv" in err.message


def test_unknown_check(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY.replace('"equiv"', '"halting"'))
    assert (err.line, err.col) == (3, 9)
    assert "unknown check 'halting'" in err.message and '"equiv"' in err.message


@pytest.mark.parametrize("value", ['"maybe"', "true", '""'])
def test_bad_expect(tmp_path: Path, value: str) -> None:
    err = error_of(tmp_path, PARITY.replace('"pass"', value))
    assert (err.line, err.col) == (6, 10)
    assert err.message.startswith("obligation 'parity': expect:")
    assert '"pass", "fail" or "unknown"' in err.message or "expected a string" in err.message


def test_missing_model_file(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY.replace("parity4.circ", "nope.circ"))
    assert (err.line, err.col) == (5, 9)
    assert "obligation 'parity'" in err.message and "nope.circ" in err.message
    assert "no such file" in err.message


def test_relative_path_is_relative_to_the_toml_file(tmp_path: Path, monkeypatch) -> None:
    text = PARITY.replace(str(EXAMPLES / "parity4.circ"), "parity4.circ")
    monkeypatch.chdir(EXAMPLES)  # resolving against the working directory would succeed
    with pytest.raises(ParseError, match="looked for"):
        load_file(write(tmp_path, text))


def test_missing_renaming_file(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY + 'map = "renames.txt"\n')
    assert (err.line, err.col) == (7, 7)
    assert "map: no such file 'renames.txt'" in err.message


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ('timeout = "10"', "timeout: expected a number of seconds, got a string '10'"),
        ("timeout = 0", "expected a positive number of seconds"),
        ("bound = 0", "bound: expected an integer >= 1"),
        ("bound = 2.5", "bound: expected an integer, got a number"),
        ("stride = true", "stride: expected an integer, got a boolean"),
        ('ignore_case = "yes"', "ignore_case: expected true or false"),
        ('mode = "sync"', 'mode: unknown value \'sync\'; expected "async" or "global"'),
        ('engine = "sat"', "engine: unknown value 'sat'"),
        ("name2 = { a = 1 }", "unknown key 'name2'"),
    ],
)
def test_bad_values(tmp_path: Path, extra: str, needle: str) -> None:
    err = error_of(tmp_path, PARITY + extra + "\n")
    assert err.line == 7
    assert needle in err.message


@pytest.mark.parametrize(
    ("extra", "key", "needle"),
    [
        ("offset = 1", "offset", "offset needs stride"),
        ('mode = "global"\nstride = 1', "stride", "asynchronous equivalence"),
        ("ignore_case = true", "ignore_case", 'needs map = "names"'),
        ('strip_prefix = "v_"', "strip_prefix", 'needs map = "names"'),
    ],
)
def test_keys_that_need_other_keys(tmp_path: Path, extra: str, key: str, needle: str) -> None:
    err = error_of(tmp_path, PARITY + extra + "\n")
    assert err.context is not None and err.context.startswith(key)
    assert needle in err.message


def test_duplicate_name_in_one_file(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY + "\n" + PARITY)
    assert (err.line, err.col) == (9, 8)
    assert "a second obligation with this name" in err.message


def test_duplicate_name_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, PARITY, "a.toml")
    write(tmp_path, "# second\n" + PARITY, "b.toml")
    with pytest.raises(ParseError) as info:
        load_obligations([tmp_path])
    assert info.value.file.endswith("b.toml") and info.value.line == 3
    assert f"already used at {first}:1" in info.value.message


def test_not_an_obligation_file(tmp_path: Path) -> None:
    err = error_of(tmp_path, 'title = "x"\n' + PARITY)
    assert (err.line, err.col) == (1, 1) and "unknown top-level key 'title'" in err.message
    err = error_of(tmp_path, "# nothing\n")
    assert "no [[obligation]] tables" in err.message
    err = error_of(tmp_path, "# single\n" + PARITY.replace("[[obligation]]", "[obligation]"))
    assert err.line == 2 and "write each as [[obligation]]" in err.message


def test_error_message_shows_the_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, PARITY.replace('"pass"', '"yes"'))
    assert str(err).splitlines()[1:] == ['    expect = "yes"', "             ^"]


# ----------------------------------------------------------------------------- discovery


def test_directories_are_searched_recursively_in_order(tmp_path: Path) -> None:
    for name in ("b.toml", "a/z.toml", "a/c.toml", "notes.txt"):
        write(tmp_path, PARITY.replace('"parity"', f'"{name}"'), name)
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a/c.toml",
        "a/z.toml",
        "b.toml",
    ]
    explicit = tmp_path / "notes.txt"
    assert discover([explicit, explicit]) == [explicit]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        discover([tmp_path / "nope"])
    with pytest.raises(InputError, match=r"no \*\.toml obligation files"):
        discover([tmp_path])


# ----------------------------------------------------------------------------- registry, running


def test_a_registered_check_takes_its_own_keys(tmp_path: Path, monkeypatch) -> None:
    def run(obligation: Obligation) -> Verdict:
        return Verdict(VerdictKind.PASS, "fake", f"ran {obligation.name} ({obligation.mode})")

    monkeypatch.setattr(ob, "CHECKS", dict(CHECKS))
    register_check(CheckKind(name="fake", required=("left",), optional=("mode",), run=run))
    text = (
        f'[[obligation]]\nname = "f"\ncheck = "fake"\nleft = "{EXAMPLES / "counter3.bnl"}"\n'
        'mode = "global"\nexpect = "pass"\n'
    )
    [obligation] = load_file(write(tmp_path, text))
    result = run_obligation(obligation)
    assert result.status == "OK" and result.verdict is not None
    assert result.verdict.detail == "ran f (global)"
    err = error_of(tmp_path, text + 'right = "x"\n')
    assert "unknown key 'right' for check 'fake'" in err.message


def test_registering_a_check_needs_known_keys(monkeypatch) -> None:
    monkeypatch.setattr(ob, "CHECKS", dict(CHECKS))
    with pytest.raises(ValueError, match="already registered"):
        register_check(CHECKS["equiv"])
    with pytest.raises(ValueError, match="no Obligation field or converter for \\['rounds'\\]"):
        register_check(CheckKind("transient", ("left", "rounds"), (), CHECKS["equiv"].run))
    assert "transient" not in ob.CHECKS


def test_input_and_internal_errors_become_error_results(tmp_path: Path, monkeypatch) -> None:
    def bad_input(obligation: Obligation) -> Verdict:
        raise InputError("model.bnl:1:1: error: nonsense")

    def bug(obligation: Obligation) -> Verdict:
        raise ZeroDivisionError("oops")

    obligation = Obligation(name="x", check="fake", expect=VerdictKind.PASS)
    for run, internal in ((bad_input, False), (bug, True)):
        monkeypatch.setitem(CHECKS, "fake", CheckKind("fake", (), (), run))
        result = run_obligation(obligation)
        assert result.status == "ERROR" and not result.ok
        assert result.internal is internal
        assert ("ZeroDivisionError" in result.trace) is internal
    assert result.error == "internal error: ZeroDivisionError: oops"


def test_status_compares_verdict_with_expectation() -> None:
    obligation = Obligation(name="x", check="equiv", expect=VerdictKind.UNKNOWN)
    unknown = Verdict(VerdictKind.UNKNOWN, "bmc", "no difference in 20 rounds")
    passed = Verdict(VerdictKind.PASS, "explicit", "equal")
    assert ob.Result(obligation, unknown, 0.1).status == "OK"
    assert ob.Result(obligation, passed, 0.1).status == "MISMATCH"


# ----------------------------------------------------------------------------- translate

TRANSLATIONS = f'''\
[[obligation]]
name = "parity4-fully-open"
check = "translate"
source = "{EXAMPLES / "parity4.bnl"}"
to = "fully-open"
expect = "pass"

[[obligation]]
name = "small-to-bnl-broken"
check = "translate"
source = "{EXAMPLES / "small.sc"}"
to = "bnl"
mutate = true
expect = "fail"

[[obligation]]
name = "random-bnl-to-circ"
check = "translate"
generate = "random-bnl heads=8 inputs=3 seed=1"
to = "circ"
timeout = 60
expect = "pass"

[[obligation]]
name = "random-circ-to-bnl-broken"
check = "translate"
generate = "random-circ positions=5 inputs=2 gates=12 seed=2"
to = "bnl"
mutate = true
seed = 3
expect = "fail"

[[obligation]]
name = "parity4-circ-to-fully-open"
check = "translate"
source = "{EXAMPLES / "parity4.circ"}"
to = "fully-open"
expect = "pass"
'''

TRANSLATE = '[[obligation]]\nname = "t"\ncheck = "translate"\nexpect = "pass"\n'


def test_translation_obligations_load_and_run(tmp_path: Path) -> None:
    loaded = load_file(write(tmp_path, TRANSLATIONS))
    assert [o.name for o in loaded] == [
        "parity4-fully-open",
        "small-to-bnl-broken",
        "random-bnl-to-circ",
        "random-circ-to-bnl-broken",
        "parity4-circ-to-fully-open",
    ]
    first, broken, generated, broken_generated, chained = loaded
    assert first == Obligation(
        name="parity4-fully-open",
        check="translate",
        expect=VerdictKind.PASS,
        source=EXAMPLES / "parity4.bnl",
        to="fully-open",
    )
    assert (first.mutate, first.seed, first.generate, first.left) == (False, 0, None, None)
    assert (broken.mutate, broken.seed, broken.expect) == (True, 0, VerdictKind.FAIL)
    assert generated.source is None and generated.timeout == 60.0
    assert generated.generate == "random-bnl heads=8 inputs=3 seed=1"
    assert (broken_generated.mutate, broken_generated.seed) == (True, 3)
    assert broken_generated.line == 24
    for obligation in loaded:
        result = run_obligation(obligation)
        assert result.status == "OK", (obligation.name, result.error, result.verdict)
        assert result.verdict is not None
    assert "broken copy (clause" in run_obligation(broken).verdict.detail  # type: ignore[union-attr]
    verdict = run_obligation(chained).verdict
    assert verdict is not None and "circuit-to-bnl (Theorem 2.6) + fully-open" in verdict.detail


def test_a_translation_obligation_with_a_wrong_expectation_mismatches(tmp_path: Path) -> None:
    text = (
        TRANSLATE.replace('"pass"', '"fail"') + f'source = "{EXAMPLES / "small.sc"}"\nto = "bnl"\n'
    )
    [obligation] = load_file(write(tmp_path, text))
    result = run_obligation(obligation)
    assert result.status == "MISMATCH"
    assert result.verdict is not None and result.verdict.kind is VerdictKind.PASS


def test_translation_obligation_errors_become_error_results(tmp_path: Path) -> None:
    """A source that does not parse, a same-kind target, and a model no flip can break are
    the checks' problems, not the loader's: error results with the message."""
    bad = tmp_path / "bad.bnl"
    bad.write_text("X :- Y\n")
    constant = tmp_path / "constant.bnl"
    constant.write_text("X(0) :- 1\nX :- 1\n")
    cases = [
        (f'source = "{bad}"\nto = "sc"\n', f"{bad}:1:6"),
        (f'source = "{EXAMPLES / "small.sc"}"\nto = "sc"\n', "nothing to translate"),
        (f'source = "{constant}"\nto = "circ"\nmutate = true\n', "none of 0 single-literal"),
    ]
    for extra, needle in cases:
        [obligation] = load_file(write(tmp_path, TRANSLATE + extra))
        result = run_obligation(obligation)
        assert result.status == "ERROR" and not result.internal, result.error
        assert needle in (result.error or "")


@pytest.mark.parametrize(
    ("extra", "key", "needle"),
    [
        (
            f'source = "{EXAMPLES / "parity4.bnl"}"\ngenerate = "parity n=4"\nto = "sc"',
            "to",
            "needs exactly one of source and generate",
        ),
        ('to = "sc"', "to", "needs exactly one of source and generate"),
        (
            f'source = "{EXAMPLES / "parity4.bnl"}"\nto = "sc"\nseed = 2',
            "seed",
            "seed chooses the flipped literal of mutate = true",
        ),
        (
            f'source = "{EXAMPLES / "parity4.bnl"}"\nto = "sc"\nmutate = false\nseed = 2',
            "seed",
            "seed chooses the flipped literal",
        ),
        ('generate = "parity n=x"\nto = "bnl"', "generate", "bad parameter 'n=x' for parity"),
        ('generate = "nope n=1"\nto = "bnl"', "generate", "unknown generator 'nope'"),
        ('to = "bnl"\ngenerate = "random-bnl heads=2"', "generate", "missing 2 required"),
        (
            'to = "sc"\ngenerate = "random-bnl heads=4 inputs=1 seed=1 leaves=0"',
            "generate",
            "expected leaves >= 1, got 0",
        ),
    ],
)
def test_translation_keys_that_need_other_keys(
    tmp_path: Path, extra: str, key: str, needle: str
) -> None:
    text = TRANSLATE + extra + "\n"
    err = error_of(tmp_path, text)
    lines = text.splitlines()
    expected_line = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key} ="))
    assert (err.line, err.col) == (expected_line, 1)
    assert err.context is not None and err.context.startswith(key)
    assert err.message.startswith("obligation 't': ") and needle in err.message


@pytest.mark.parametrize(
    ("extra", "where", "needle"),
    [
        (
            'to = "aig"\ngenerate = "parity n=2"',
            (5, 6),
            "to: unknown value 'aig'; expected \"bnl\"",
        ),
        ('to = 3\ngenerate = "parity n=2"', (5, 6), "to: expected a string, got an integer"),
        ('to = "sc"\ngenerate = 4', (6, 12), "generate: expected a string, got an integer"),
        ('to = "sc"\nsource = "nope.bnl"', (6, 10), "source: no such file 'nope.bnl'"),
        (
            'to = "sc"\ngenerate = "parity n=2"\nmutate = 1',
            (7, 10),
            "mutate: expected true or false",
        ),
        (
            'to = "sc"\ngenerate = "parity n=2"\nmutate = true\nseed = -1',
            (8, 8),
            "seed: expected an integer >= 0",
        ),
        (
            'to = "sc"\ngenerate = "parity n=2"\nleft = "x.bnl"',
            (7, 1),
            "unknown key 'left' for check 'translate'",
        ),
    ],
)
def test_bad_translation_values(
    tmp_path: Path, extra: str, where: tuple[int, int], needle: str
) -> None:
    err = error_of(tmp_path, TRANSLATE + extra + "\n")
    assert (err.line, err.col) == where
    assert needle in err.message


def test_a_translation_obligation_needs_to(tmp_path: Path) -> None:
    err = error_of(tmp_path, TRANSLATE + 'generate = "parity n=2"\n')
    assert (err.line, err.col) == (1, 1)
    assert "missing key 'to' (check 'translate' needs it)" in err.message
