"""YAML ⇄ scorecard model, and the built-in scorecards shipped with the app.

Scorecards come from people's editors and from other teams' bundles, so the YAML reader is strict:
PyYAML's safe loader, but duplicate keys are errors (silently keeping the last one hides a typo),
anchors/aliases are refused (they make a form hard to read and open the door to "billion laughs"
expansion), documents over 1 MB or nested deeper than 32 levels are refused, and only plain
scalars, lists and mappings are accepted. While building the data it records the line of every
field path so that validation can say ``voice.yaml:42 sections[1].questions[3].weight: …``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qa_studio.scorecards._checks import index_path, join_path
from qa_studio.scorecards.schema import Issue, Scorecard, ScorecardInvalid, to_dict, validate

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}


def _tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """A safe loader whose composer refuses anchors and aliases and caps nesting depth.

    Problems are collected in ``problems`` as ``(line, message)`` instead of raised, so every alias
    in a file is reported at once; an alias is replaced by an empty value so composing can go on.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str]] = []
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self.problems.append(
                (
                    event.start_mark.line + 1,
                    f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full",
                )
            )
            return ScalarNode(_TAG + "null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            self.problems.append(
                (
                    event.start_mark.line + 1,
                    f"YAML anchors (&{event.anchor}) are not allowed; write the value out in full",
                )
            )
            event.anchor = None
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Builder:
    """Turns the composed node tree into plain data, recording ``path -> line``."""

    def __init__(self, loader: _StrictLoader, filename: str) -> None:
        self.loader = loader
        self.filename = filename
        self.lines: dict[str, int] = {}
        self.refused: list[Issue] = []  # the YAML itself is unacceptable: stop before validating
        self.duplicates: list[Issue] = []  # reported together with the validation issues

    def build(self, node: Node, path: str) -> object:
        line = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            if node.tag == _TAG + "timestamp":
                return node.value  # a date-like text such as 2024-01-01 stays text
            if node.tag not in _SCALAR_TAGS:
                self._refuse(line, path, f"unsupported YAML tag {_tag(node.tag)}")
                return None
            return self.loader.construct_object(node)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                self._refuse(line, path, f"unsupported YAML tag {_tag(node.tag)}")
                return None
            items = []
            for i, child in enumerate(node.value):
                self.lines[index_path(path, i)] = child.start_mark.line + 1
                items.append(self.build(child, index_path(path, i)))
            return items
        assert isinstance(node, MappingNode)
        if node.tag != _TAG + "map":
            self._refuse(line, path, f"unsupported YAML tag {_tag(node.tag)}")
            return None
        out: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _TAG + "merge":
                self._refuse(key_line, path, "YAML merge keys (<<) are not allowed")
                continue
            if not isinstance(key_node, ScalarNode):
                self._refuse(key_line, path, "field names must be plain text")
                continue
            key = self.build(key_node, path)
            key_path = join_path(path, key)
            if key in first:
                self.duplicates.append(
                    Issue(
                        self.filename,
                        key_line,
                        key_path,
                        f"duplicate key (first given on line {first[key]})",
                    )
                )
                self.build(value_node, key_path + "<duplicate>")
                continue
            first[key] = key_line
            self.lines[key_path] = key_line
            out[key] = self.build(value_node, key_path)
        return out

    def _refuse(self, line: int, path: str, message: str) -> None:
        self.refused.append(Issue(self.filename, line, path, message))


def parse_yaml(
    text: str, filename: str = "<scorecard>"
) -> tuple[object, dict[str, int], list[Issue]]:
    """Strictly parse one YAML document: ``(data, lines, duplicate-key issues)``.

    Raises :class:`ScorecardInvalid` when the text is not acceptable YAML at all.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ScorecardInvalid(
            [
                Issue(
                    filename,
                    None,
                    "",
                    f"the file is {size:,} bytes; a scorecard may be at most 1 MB",
                )
            ]
        )
    try:
        loader = _StrictLoader(text)  # the reader checks every character up front
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ScorecardInvalid(
            [Issue(filename, line, "", f"not valid YAML: character #x{exc.character:04x} is "
                                       "not allowed (control characters cannot appear in YAML)")]
        ) from None  # fmt: skip
    try:
        node = loader.get_single_node()
    except _TooDeep as exc:
        raise ScorecardInvalid(
            [Issue(filename, exc.line, "", f"nested more than {MAX_DEPTH} levels deep")]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = ", ".join(p for p in (exc.context, exc.problem) if p)
        raise ScorecardInvalid(
            [Issue(filename, mark.line + 1 if mark else None, "", f"not valid YAML: {what}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScorecardInvalid([Issue(filename, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise ScorecardInvalid([Issue(filename, line, "", msg) for line, msg in loader.problems])
    if node is None:
        return None, {"": 1}, []
    builder = _Builder(loader, filename)
    builder.lines[""] = node.start_mark.line + 1
    data = builder.build(node, "")
    if builder.refused:
        raise ScorecardInvalid(builder.refused + builder.duplicates)
    return data, builder.lines, builder.duplicates


def load_text(text: str, filename: str = "<scorecard>") -> Scorecard:
    """Parse and validate scorecard YAML, raising :class:`ScorecardInvalid` with every problem."""
    data, lines, duplicates = parse_yaml(text, filename)
    try:
        card = validate(data, filename=filename, lines=lines)
    except ScorecardInvalid as exc:
        raise ScorecardInvalid(duplicates + exc.issues) from None
    if duplicates:
        raise ScorecardInvalid(duplicates)
    return card


def load_file(path: Path, filename: str | None = None) -> Scorecard:
    """Load a scorecard file; messages name it as given (or as ``filename``)."""
    path = Path(path)
    name = filename or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScorecardInvalid(
                [
                    Issue(
                        name,
                        None,
                        "",
                        f"the file is {size:,} bytes; a scorecard may be at most 1 MB",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ScorecardInvalid(
            [Issue(name, None, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScorecardInvalid(
            [Issue(name, line, "", "not UTF-8 text; save the file as UTF-8")]
        ) from None
    return load_text(text, name)


class _Dumper(yaml.SafeDumper):
    """Never writes anchors/aliases, which our own loader would refuse."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_text(card: Scorecard) -> str:
    """The card as YAML text such that ``load_text(dump_text(card)) == card``."""
    return yaml.dump(
        to_dict(card),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def builtin_files() -> list[Path]:
    """The shipped scorecard files, one per key (the file stem is the card's key)."""
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def builtin_keys() -> list[str]:
    return [p.stem for p in builtin_files()]


def load_builtin(key: str) -> Scorecard:
    path = BUILTIN_DIR / f"{key}.yaml"
    if key not in builtin_keys():
        raise KeyError(f"no built-in scorecard '{key}'; built-ins: {', '.join(builtin_keys())}")
    return load_file(path, filename=path.name)


def load_ref(ref: str | Path) -> Scorecard:
    """A scorecard named on the command line: an existing file, else a built-in key."""
    path = Path(ref)
    if path.exists() or str(ref) not in builtin_keys():
        if not path.exists():
            raise ScorecardInvalid(
                [
                    Issue(
                        str(ref),
                        None,
                        "",
                        "no such file, and not a built-in scorecard "
                        f"(built-ins: {', '.join(builtin_keys())})",
                    )
                ]
            )
        return load_file(path)
    return load_builtin(str(ref))
