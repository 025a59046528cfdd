"""BoolNet / PyBoolNet ``.bnet`` files as BNL programs (DESIGN.md 3.2).

Format read
-----------
An optional header line ``targets, factors`` (any spacing and case; it must come before the
first rule), then one ``target, rule`` line per target. ``#`` starts a comment that runs to the
end of the line; blank lines are ignored. Rules use ``!`` (not), ``&`` (and), ``|`` (or) and
parentheses, with the precedence of DESIGN.md 2.1 (``!`` > ``&`` > ``|``, left associative), and
the constants ``0``/``1`` (also ``true``/``false`` and ``⊤``/``⊥``; the ``¬ ∧ ∨`` synonyms are
accepted too). Names are letters, digits, ``_`` and ``.``.

Meaning (DESIGN.md 3.2): a BNL program in which every head is an input predicate (no terminal
clause: any initial state), heads in the order of the file's lines, synchronous update. A name
used in a rule but given no rule of its own (a free input) becomes a head with the identity
rule ``x :- x``, placed after the defined heads in order of first use. Print = all heads,
every round is an output round, no assumptions.

Names
-----
A ``.bnet`` name may start with a digit (``4EBP1``), which a BNL name may not
(``[A-Za-z_][A-Za-z0-9_.]*``). Such a name is imported as ``_4EBP1`` (one more leading ``_``
while that is taken) and the program gets a meta line ``bnet.name=4EBP1 head=_4EBP1``;
:func:`dumps` reads these meta lines back and writes the original names, so the mapping is
reversible. (None of the 65 published models in ``shared/models`` needs it.) A BNL name with an
index (``P[3,1]``) cannot be written in ``.bnet`` (the comma separates target and rule):
:func:`dumps` refuses it.

Other meta lines travel as comments ``# verify: meta <text>`` and are restored on import.

Export
------
:func:`dumps` writes the header ``targets, factors`` and one line per head. A program whose
meaning ``.bnet`` cannot hold (a terminal clause, print predicates other than all heads in
order, an attention condition, an assumption) is refused with a :class:`ModelError` that says
why, instead of silently writing a different network.

>>> program = loads("targets, factors\\nA, !B & C\\nB, A | B\\n")
>>> program.names
('A', 'B', 'C')
>>> print(dumps(program), end="")
targets, factors
A, !B & C
B, A | B
C, C
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier import formula as fm
from verifier.errors import ModelError, ParseError, SourcePos
from verifier.formats._infix import InfixLocation, parse_infix
from verifier.formats.formula_text import format_formula
from verifier.formula import Formula, Var
from verifier.models import AttentionAll, BnlProgram, Head

__all__ = ["BnetImport", "dumps", "loads", "loads_import"]

BNET_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.]*"
_BNET_NAME_RE = re.compile(BNET_NAME)
_BNL_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_CONSTANT_WORDS = frozenset({"0", "1", "true", "false"})
_HEADER_RE = re.compile(r"\s*targets\s*,\s*factors\s*", re.IGNORECASE)
_PROBABILISTIC_HEADER_RE = re.compile(r"\s*targets\s*,\s*factors\s*,", re.IGNORECASE)
_META_COMMENT = "# verify: meta "
_RENAME_KEY = "bnet.name="
_RENAME_RE = re.compile(r"bnet\.name=(\S+) head=(\S+)")


@dataclass(frozen=True, slots=True)
class _Rule:
    """One ``target, rule`` line as read."""

    target: str
    line: int
    parsed_names: tuple[str, ...]
    body: Formula


@dataclass(frozen=True)
class BnetImport:
    """A ``.bnet`` file as imported: the program and where its identity rules come from.

    ``free_inputs``: the heads added for names used in a rule but given no rule of their own
    (DESIGN.md 3.2: identity rule ``x :- x``, after the defined heads, in order of first use);
    ``identity_rules``: the heads whose own line in the file is the identity (``x, x``). Both
    list head names (after any renaming, see the module docstring) in head order; together
    they are the constant inputs of the network.
    """

    program: BnlProgram
    free_inputs: tuple[str, ...]
    identity_rules: tuple[str, ...]


def loads(text: str, filename: str = "<string>") -> BnlProgram:
    """Parse ``.bnet`` text into a BNL program (DESIGN.md 3.2; see the module docstring).

    Raises :class:`ParseError` (file, line, column, what was expected) for a malformed line,
    a target defined twice, or a file without rules.
    """
    return loads_import(text, filename).program


def loads_import(text: str, filename: str = "<string>") -> BnetImport:
    """Like :func:`loads`, and also say which heads are free inputs and which have an
    identity rule in the file (:class:`BnetImport`).

    >>> imported = loads_import("A, !B & A\\nC, C\\n")
    >>> imported.program.names, imported.free_inputs, imported.identity_rules
    (('A', 'C', 'B'), ('B',), ('C',))
    """
    rules, metas = _read_rules(text.removeprefix("\ufeff"), filename)
    defined = {rule.target for rule in rules}
    free: dict[str, None] = {}
    for rule in rules:
        for name in rule.parsed_names:
            if name not in defined:
                free.setdefault(name)
    order = [rule.target for rule in rules] + list(free)
    renames = _bnl_names(order)
    heads = [Head(rule.target, rule.body) for rule in rules]
    heads += [Head(name, Var(name)) for name in free]
    if renames:
        heads = [Head(renames.get(h.name, h.name), fm.rename(h.body, renames)) for h in heads]
        metas += [f"{_RENAME_KEY}{old} head={new}" for old, new in renames.items()]
    names = tuple(h.name for h in heads)
    program = BnlProgram(heads=tuple(heads), print_=names, meta=tuple(metas))
    return BnetImport(
        program=program,
        free_inputs=names[len(rules) :],
        identity_rules=tuple(
            name
            for name, rule in zip(names[: len(rules)], rules, strict=True)
            if rule.body == Var(rule.target)
        ),
    )


def _read_rules(text: str, filename: str) -> tuple[list[_Rule], list[str]]:
    """The rules and the ``# verify: meta`` comments of the file, in order."""
    rules: list[_Rule] = []
    metas: list[str] = []
    first_line: dict[str, int] = {}
    lines = text.split("\n")
    for lineno, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")

        def error(message: str, col: int, line: str = line, lineno: int = lineno) -> ParseError:
            return ParseError(message, SourcePos(filename, lineno, col), line)

        code = line.partition("#")[0]
        if not code.strip():
            if line.lstrip().startswith(_META_COMMENT):
                meta = line.lstrip()[len(_META_COMMENT) :].strip()
                if meta.startswith(_RENAME_KEY):
                    raise error(
                        "expected a meta comment other than bnet.name=...: name mappings are"
                        " derived from the names in the file, not read from comments",
                        line.index("#") + 1,
                    )
                metas.append(meta)
            continue
        if _HEADER_RE.fullmatch(code):
            if rules:
                raise error(
                    "expected a `target, rule` line: the header `targets, factors` must come"
                    f" before the first rule (line {rules[0].line})",
                    len(code) - len(code.lstrip()) + 1,
                )
            continue
        if _PROBABILISTIC_HEADER_RE.match(code):
            raise error(
                "expected the header `targets, factors`: probabilistic BoolNet networks (a third"
                " column) have no BNL counterpart",
                code.index(",", code.index(",") + 1) + 1,
            )
        target_text, comma, rule_text = code.partition(",")
        target = target_text.strip()
        col = len(target_text) - len(target_text.lstrip()) + 1
        if not comma:
            raise error("expected `,` between the target and its rule", len(code.rstrip()) + 1)
        if not _BNET_NAME_RE.fullmatch(target) or target in _CONSTANT_WORDS:
            found = repr(target) if target else "nothing"
            raise error(
                f"expected a target name (letters, digits, `_`, `.`) before the comma,"
                f" found {found}",
                col,
            )
        if target in first_line:
            raise error(
                f"expected a new target: {target} already has a rule on line"
                f" {first_line[target]} (each target has exactly one rule)",
                col,
            )
        first_line[target] = lineno
        where = InfixLocation(filename, lineno, line, len(target_text) + 1)
        parsed = parse_infix(rule_text, BNET_NAME, where, "rule")
        rules.append(_Rule(target, lineno, parsed.names, parsed.formula))
    if not rules:
        last = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
        raise ParseError(
            "expected at least one `target, rule` line, found none",
            SourcePos(filename, max(last, 1), 1),
            None,
        )
    return rules, metas


def _bnl_names(names: list[str]) -> dict[str, str]:
    """A map from each name that is not a valid BNL name to a fresh one (``_`` prefixed)."""
    taken = set(names)
    renames: dict[str, str] = {}
    for name in names:
        if _BNL_NAME_RE.fullmatch(name):
            continue
        new = "_" + name
        while new in taken:
            new = "_" + new
        taken.add(new)
        renames[name] = new
    return renames


def dumps(program: BnlProgram) -> str:
    """The ``.bnet`` text of ``program``: the header and one ``target, rule`` line per head.

    Raises :class:`ModelError` if the program has semantics ``.bnet`` cannot express
    (terminal clauses, non-default print or attention, assumptions) or a name ``.bnet``
    cannot hold. ``loads(dumps(p)) == p`` for every program ``p`` read by :func:`loads`, and
    for every accepted program without ``bnet.name`` meta lines (:func:`loads` puts those
    after the other meta lines).
    """
    _check_exportable(program)
    names = _bnet_names(program)
    lines = [f"{_META_COMMENT}{m}" for m in program.meta if not m.startswith(_RENAME_KEY)]
    lines.append("targets, factors")
    for head in program.heads:
        body = fm.rename(head.body, names) if names else head.body
        lines.append(f"{names.get(head.name, head.name)}, {format_formula(body)}")
    return "\n".join(lines) + "\n"


def _check_exportable(program: BnlProgram) -> None:
    """Raise unless ``.bnet`` can hold ``program`` without changing its meaning."""
    why = (
        "a .bnet network has no {}, so the program cannot be written as .bnet without"
        " changing its meaning"
    )
    for head in program.heads:
        if not head.is_input:
            raise ModelError(
                f"head {head.name} has the terminal clause {head.name}(0) :- {int(head.init)};"
                f" {why.format('initial values (every variable is an input, DESIGN.md 3.2)')}",
                ("head", head.name),
            )
    if program.print_ != program.names:
        raise ModelError(
            f"the print predicates are not all heads in order; {why.format('print list')}",
            ("print", program.print_[0] if program.print_ else ""),
        )
    if not isinstance(program.attention, AttentionAll):
        raise ModelError(f"the program has an attention condition; {why.format('attention')}")
    if program.assumptions:
        raise ModelError(
            f"the program has assumptions; {why.format('assumptions')}", ("assume", 0, "")
        )
    for meta in program.meta:
        if "\n" in meta:
            raise ModelError(f"meta line {meta!r} contains a line break")


def _bnet_names(program: BnlProgram) -> dict[str, str]:
    """The ``.bnet`` name of each head whose name differs (from ``bnet.name`` meta lines),
    after checking that every written name is a valid, distinct ``.bnet`` name."""
    heads = set(program.names)
    names: dict[str, str] = {}
    for meta in program.meta:
        if not meta.startswith(_RENAME_KEY):
            continue
        match = _RENAME_RE.fullmatch(meta)
        if match is None or match.group(2) not in heads or match.group(2) in names:
            raise ModelError(
                f"meta line {meta!r}: expected `bnet.name=<name> head=<head>` for a head"
                " not mapped before"
            )
        names[match.group(2)] = match.group(1)
    written: dict[str, str] = {}
    for head in program.names:
        name = names.get(head, head)
        if not _BNET_NAME_RE.fullmatch(name) or name in _CONSTANT_WORDS:
            raise ModelError(
                f"head {head!r} cannot be written as .bnet: names there are letters, digits,"
                " `_` and `.` (no index like [i,j]); rename the head",
                ("head", head),
            )
        if name in written:
            raise ModelError(
                f"heads {written[name]!r} and {head!r} would both be written as {name!r}",
                ("head", head),
            )
        written[name] = head
    return names
