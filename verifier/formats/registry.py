"""Reading and writing model files, chosen by the file's suffix (DESIGN.md section 3).

======  =======================================  ==============
suffix  format                                   model
======  =======================================  ==============
.bnl    BNL program text                         BnlProgram
.sc     SC program text                          ScProgram
.circ   self-feeding circuit text                Circuit
.bnet   BoolNet / PyBoolNet ``targets, factors``  BnlProgram
.aag    AIGER 1.9 ASCII                          Circuit
.aig    AIGER 1.9 binary                         Circuit
======  =======================================  ==============

:func:`load`, :func:`save` and :func:`save_content` are the only places that touch the file
system. Writing never overwrites an existing file unless asked, and goes through a temporary
file so that an interrupted write leaves nothing half-written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier.collector import paused_gc
from verifier.errors import InputError, ParseError, SourcePos
from verifier.formats import aiger, bnet, bnl_text, circ_text, sc_text
from verifier.formats.source import read_source
from verifier.models import BnlProgram, Circuit, Model, ScProgram

__all__ = ["FORMATS", "Format", "dumps", "format_for", "load", "loads", "save", "save_content"]


@dataclass(frozen=True)
class Format:
    """A file format: how to read text (or bytes) into a model and write it back."""

    suffix: str
    model: type
    loads: Callable[..., Model]
    dumps: Callable[..., str | bytes]
    binary: bool = False


FORMATS: dict[str, Format] = {
    f.suffix: f
    for f in (
        Format(".bnl", BnlProgram, bnl_text.loads, bnl_text.dumps),
        Format(".sc", ScProgram, sc_text.loads, sc_text.dumps),
        Format(".circ", Circuit, circ_text.loads, circ_text.dumps),
        Format(".bnet", BnlProgram, bnet.loads, bnet.dumps),
        Format(".aag", Circuit, aiger.loads_aag, aiger.dumps_aag),
        Format(".aig", Circuit, aiger.loads_aig, aiger.dumps_aig, binary=True),
    )
}


def format_for(path: str | os.PathLike[str]) -> Format:
    """The format of ``path`` by its suffix; an InputError naming the known suffixes otherwise."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(FORMATS)
        raise InputError(
            f"{path}: unknown file type {suffix or '(no suffix)'!r}; expected one of {known}"
        ) from None


def load(path: str | os.PathLike[str]) -> Model:
    """Read and validate the model in ``path`` (ParseError with file:line:col on bad input)."""
    fmt = format_for(path)
    data: str | bytes
    if fmt.binary:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise ParseError(
                f"cannot read file: {err.strerror}", SourcePos(str(path), 1, 1)
            ) from None
    else:
        data = read_source(path)
    with paused_gc():  # a parse allocates a burst of objects that are not garbage
        return fmt.loads(data, str(path))


def loads(text: str, suffix: str, filename: str = "<string>") -> Model:
    """Parse ``text`` in the format of ``suffix`` (e.g. ``".bnl"``)."""
    with paused_gc():
        return FORMATS[suffix].loads(text, filename)


def dumps(model: Model, suffix: str) -> str | bytes:
    """The text (bytes for ``.aig``) of ``model`` in the format of ``suffix``."""
    fmt = FORMATS[suffix]
    if not isinstance(model, fmt.model):
        raise InputError(
            f"a {type(model).__name__} cannot be written as {suffix}; "
            f"{suffix} holds a {fmt.model.__name__}"
        )
    return fmt.dumps(model)


def save(model: Model, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
    """Write ``model`` to ``path`` in the format of its suffix, atomically.

    Refuses (InputError) to replace an existing file unless ``overwrite``.
    """
    target = Path(path)
    save_content(dumps(model, format_for(target).suffix), target, overwrite=overwrite)


def _umask() -> int:
    """The process's umask (os.umask can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_content(
    content: str | bytes, path: str | os.PathLike[str], *, overwrite: bool = False
) -> None:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` atomically: through a
    temporary file, so that an interrupted write leaves nothing half-written. Refuses
    (InputError) to replace an existing file unless ``overwrite``."""
    target = Path(path)
    if target.exists() and not overwrite:
        raise InputError(f"{target}: file exists; refusing to overwrite it (use --force)")
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as err:
        raise InputError(f"{target}: cannot write: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp creates the file 0600; give it the mode a plain open() would (0666 & ~umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
