"""Reading scenario, calibration, targets and experiment files: bounded, strict, as people write YAML.

Bounded: only a regular file is opened (never a device, a named pipe, a folder or a socket; a
symbolic link only to a file in the link's own folder or below it), checked with ``os.stat``
before it is opened and again on the open file, and it is read only up to `MAX_BYTES`. The
parsed document may have at most `MAX_NODES` nodes, counting every use of an anchor (so an
alias "bomb" of a few hundred bytes is refused at once), and lists and mappings nested at most
`MAX_DEPTH` deep. Numbers have at most `MAX_NUMBER_CHARS` characters.

Strict: a safe loader (no Python tags: only the YAML core tags), no duplicate keys (``2025``
and ``'2025'`` are the same key), keys are names or numbers (never lists or mappings), strings
without control characters.

As people write it (the YAML 1.2 core schema): ``5e6`` and ``1.5e3`` are numbers, ``0700`` is
700 (``0o700`` is octal), ``11:40`` is text (not the base-60 number 700), ``yes``/``no``/``on``/
``off`` are text (only ``true`` and ``false`` are booleans), dates are text, ``.inf`` and
``.nan`` are numbers (which every numeric field refuses). Merge keys (``<<: *anchor``) work;
keys written beside a merge override the merged ones. Digits may be grouped with ``_``
(``100_000``).

Every problem is a (file, key, found, allowed) of a `ScenarioError`; parse errors give the
line and column as the key.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from model.problems import ScenarioError

MAX_BYTES = 1_000_000  # 1 MB: the largest shipped file (baseline.yaml) is 47 KB
MAX_NODES = 50_000  # baseline.yaml has 2,877 values; a self-contained app download 3,499
MAX_DEPTH = 32  # a scenario file nests 7 deep (parameters.<name>.values.<year>.source.quote)
MAX_NUMBER_CHARS = 100  # far beyond any parameter; Python refuses integers of 4,300 digits
MAX_PATH = 4096  # PATH_MAX on Linux
MAX_NAME = 255  # NAME_MAX: the longest file name most file systems allow

TAG = "tag:yaml.org,2002:"
CORE_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge")}
MERGE_TAG = TAG + "merge"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Refused(Exception):
    """A node the reader refuses: where, what was found and what is allowed."""

    def __init__(self, node: Any, found: str, allowed: str):
        super().__init__(found)
        self.mark = getattr(node, "start_mark", None)
        self.found = found
        self.allowed = allowed


# ---------------------------------------------------------------- files


def _kind(mode: int) -> str:
    """What a file system object is, in words."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def regular_file(path: str | os.PathLike, kind: str = "scenario file") -> Path:
    """The resolved path of `path` if it is a regular file within the limits; else ScenarioError.

    Nothing is opened: devices and named pipes are recognised from ``os.stat`` (which never
    blocks), links from ``os.lstat``.
    """
    text = os.fspath(path)
    shown = text.replace("\0", "\\0")

    def refuse(found: str, allowed: str) -> ScenarioError:
        return ScenarioError([(shown, "-", found, allowed)])

    if "\0" in text:
        raise refuse("a path with a NUL byte", f"the path of a {kind}")
    if len(text) > MAX_PATH or any(len(part) > MAX_NAME for part in Path(text).parts):
        longest = max((len(part) for part in Path(text).parts), default=0)
        raise refuse(
            f"a path of {len(text):,} characters (its longest name {longest:,})",
            f"paths of at most {MAX_PATH:,} characters, {MAX_NAME} per file or folder name",
        )
    p = Path(text)
    try:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError):
                raise refuse(
                    "a symbolic link that loops or leads nowhere", f"a {kind} or a link to one"
                )
            home = p.parent.resolve()
            if not target.is_relative_to(home):
                raise refuse(
                    f"a symbolic link to {target}",
                    f"a link to a {kind} in the link's own folder ({home}) or below it",
                )
            st = os.stat(target)
    except FileNotFoundError:
        raise refuse("no such file", f"an existing {kind}")
    except NotADirectoryError:
        raise refuse("no such file (a part of the path is not a folder)", f"an existing {kind}")
    except OSError as exc:
        raise refuse(f"a path that cannot be read ({exc.strerror})", f"a readable {kind}")
    if not stat.S_ISREG(st.st_mode):
        raise refuse(f"{_kind(st.st_mode)}, not a file", f"a {kind} (a regular file)")
    if st.st_size > MAX_BYTES:
        raise refuse(f"a file of {st.st_size:,} bytes", _size_allowed(kind))
    try:
        return p.resolve()
    except (OSError, RuntimeError) as exc:
        raise refuse(f"a path that cannot be resolved ({exc})", f"the path of a {kind}")


def _size_allowed(kind: str) -> str:
    return f"a {kind} of at most {MAX_BYTES:,} bytes (1 MB)"


def read_bytes(path: Path, kind: str = "scenario file") -> bytes:
    """The bytes of a regular file, read at most up to the size limit (ScenarioError otherwise).

    The file is opened without blocking and checked again once open, so a file swapped for a
    pipe or a device after `regular_file` looked at it is refused too.
    """
    shown = str(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ScenarioError(
            [(shown, "-", f"unreadable file ({exc.strerror})", f"a readable {kind}")]
        )
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ScenarioError(
                [(shown, "-", f"{_kind(mode)}, not a file", f"a {kind} (a regular file)")]
            )
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ScenarioError(
            [(shown, "-", f"unreadable file ({exc.strerror})", f"a readable {kind}")]
        )
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise ScenarioError(
            [(shown, "-", f"a file of more than {MAX_BYTES:,} bytes", _size_allowed(kind))]
        )
    return b"".join(chunks)


def read_yaml(path: str | os.PathLike, kind: str = "scenario file") -> Any:
    """Parse a YAML file within the limits and strictly (see the module docstring)."""
    p = regular_file(path, kind)
    data = read_bytes(p, kind)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [
                (
                    str(path),
                    "-",
                    f"bytes that are not UTF-8 text (at byte {exc.start:,})",
                    f"a {kind} in UTF-8",
                )
            ]
        )
    return parse(text, str(path), kind)


# ---------------------------------------------------------------- YAML as people write it


class _Resolver(yaml.resolver.BaseResolver):
    """Implicit types of the YAML 1.2 core schema (digits may be grouped with `_`)."""


_Resolver.add_implicit_resolver(
    TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    TAG + "int",
    re.compile(r"^(?:[-+]?[0-9]+(?:_[0-9]+)*|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Resolver.add_implicit_resolver(
    TAG + "float",
    re.compile(
        r"^(?:[-+]?(?:[0-9]+(?:_[0-9]+)*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(TAG + "merge", re.compile(r"^<<$"), ["<"])
_Resolver.add_implicit_resolver(
    TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _key_text(key: Any) -> str:
    """What a key means: ``2025``, ``'2025'``, ``2025.0`` and ``0x7E9`` all mean 2025."""
    if isinstance(key, bool):
        return f"<{key}>"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


class _Constructor(yaml.constructor.SafeConstructor):
    """The safe constructor with strict mappings, strings and YAML 1.2 numbers."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        if not isinstance(node, MappingNode):
            raise _Refused(node, f"a {node.id} where a mapping is expected", "a mapping")
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self._key(key_node)
            text = _key_text(key)
            if text in seen:
                raise _Refused(
                    key_node,
                    f"duplicate key {excerpt_key(key)} (first at line {seen[text] + 1})",
                    "each key once in a mapping",
                )
            seen[text] = key_node.start_mark.line
        self.flatten_mapping(node)  # merge keys: the merged pairs first, so written keys win
        for key_node, _ in node.value:
            self._key(key_node)
        data = super().construct_mapping(node, deep=deep)
        meaning: dict[str, Any] = {}
        for key in data:  # a merged '2025' and a written 2025 would both reach the schema
            text = _key_text(key)
            if text in meaning:
                raise _Refused(
                    node,
                    f"the keys {excerpt_key(meaning[text])} and {excerpt_key(key)}, which mean the same",
                    "each key once in a mapping",
                )
            meaning[text] = key
        return data

    def _key(self, key_node: Any) -> Any:
        if not isinstance(key_node, ScalarNode):
            what = "a list" if isinstance(key_node, SequenceNode) else "a mapping"
            raise _Refused(key_node, f"{what} as a key", "a name or a year as a key")
        return self.construct_object(key_node, deep=True)

    def construct_yaml_str(self, node: Any) -> str:
        value = self.construct_scalar(node)
        bad = _CONTROL.search(value)
        if bad:
            raise _Refused(
                node,
                f"a control character {bad.group()!r} in a string",
                "text without control characters (tabs and line breaks are fine)",
            )
        return value

    def construct_yaml_int(self, node: Any) -> int:
        text = self.construct_scalar(node)
        body = text.replace("_", "")
        sign = -1 if body.startswith("-") else 1
        body = body.lstrip("+-")
        if len(body) > MAX_NUMBER_CHARS:
            raise _Refused(
                node,
                f"a number of {len(body):,} digits",
                f"numbers of at most {MAX_NUMBER_CHARS} digits",
            )
        try:
            if body[:2] in ("0o", "0O"):
                return sign * int(body[2:], 8)
            if body[:2] in ("0x", "0X"):
                return sign * int(body[2:], 16)
            return sign * int(body, 10)
        except ValueError:
            raise _Refused(node, f"{excerpt_key(text)} tagged as an integer", "an integer")

    def construct_yaml_float(self, node: Any) -> float:
        text = self.construct_scalar(node)
        body = text.replace("_", "").lower()
        if len(body) > MAX_NUMBER_CHARS:
            raise _Refused(
                node,
                f"a number of {len(body):,} characters",
                f"numbers of at most {MAX_NUMBER_CHARS} characters",
            )
        special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
        if body in special:
            return special[body]
        try:
            return float(body)
        except ValueError:
            raise _Refused(node, f"{excerpt_key(text)} tagged as a number", "a number")


for _tag, _method in (
    ("map", _Constructor.construct_yaml_map),
    ("str", _Constructor.construct_yaml_str),
    ("int", _Constructor.construct_yaml_int),
    ("float", _Constructor.construct_yaml_float),
):
    _Constructor.add_constructor(TAG + _tag, _method)


def excerpt_key(value: Any) -> str:
    """A key or scalar as written in a message (cut when long)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


if yaml.__with_libyaml__:  # libyaml's parser, as fast as CSafeLoader
    from yaml.cyaml import CParser

    class _Loader(CParser, _Constructor, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Constructor,
        _Resolver,
    ):
        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)


def check_nodes(root: Any) -> None:
    """Refuse a document of more than MAX_NODES nodes (every use of an anchor counted), lists and
    mappings nested more than MAX_DEPTH deep, or tags other than the YAML core ones."""
    count = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _Refused(
                root,
                f"a document of more than {MAX_NODES:,} values (anchors and aliases count each "
                "time they are used)",
                f"at most {MAX_NODES:,} values",
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                node,
                f"lists or mappings nested more than {MAX_DEPTH} deep",
                f"at most {MAX_DEPTH} levels",
            )
        if node.tag not in CORE_TAGS:
            tag = node.tag.replace(TAG, "!!")
            raise _Refused(
                node,
                f"the YAML tag {excerpt_key(tag)[1:-1]}",
                "plain YAML values (text, numbers, true/false, lists, mappings); no tags",
            )
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def parse(text: str, shown: str = "<text>", kind: str = "scenario file") -> Any:
    """Parse one YAML document within the limits; ScenarioError naming `shown` otherwise."""
    if len(text) > MAX_BYTES:
        raise ScenarioError(
            [(shown, "-", f"a text of {len(text):,} characters", _size_allowed(kind))]
        )
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        check_nodes(node)
        return loader.construct_document(node)
    except _Refused as exc:
        raise ScenarioError([(shown, _where(exc.mark), exc.found, exc.allowed)])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        found = f"{context + ' ' if context else ''}{problem}"
        raise ScenarioError(
            [(shown, _where(mark), found, "valid YAML (one document, see the line and column)")]
        )
    except RecursionError:  # libyaml's composer recurses once per level, before check_nodes
        raise ScenarioError(
            [
                (
                    shown,
                    "-",
                    "lists or mappings nested hundreds of levels deep",
                    f"at most {MAX_DEPTH} levels",
                )
            ]
        )
    finally:
        if loader is not None:
            loader.dispose()


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "-"
