"""The standing office's prose, as typed in the composer: simple rich text in a plain textarea,
made into the report's paragraphs.

- Each line is a paragraph. "- " starts an item, "+ " a sub-item; "(#) " a numbered point
  (1), (2)… in a numbered section, numbered together with the computed points.
- **bold**, *italic*; [^text] a footnote at that place.
- {{key:name}} a figure of the data: the figure `name` of the computed statement `key`
  (“{{communes.KH02-GD1:complete}}” → 130), replaced by the current figure whenever the report is
  made, so the prose never states a stale number; {{element.CODE:value}} a data element's figure
  summed over the province.
- [[block]] alone on a line: the section's computed block there (“[[tasks.year_backlog]]”).

A paragraph holding a figure is a computed statement (key prose.<section>.<n>): it links to what
its figures link to and is compared like any other when the report is checked for changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from documents.content import Link, Paragraph, Span, Style

TOKEN = re.compile(r"\{\{\s*([\w.\-]+)\s*:\s*([\w.\-]+)\s*\}\}")
BLOCK = re.compile(r"^\[\[\s*([\w.\-]+)\s*\]\]$")
# A figure, a footnote, a bold or an italic mark, in the order they come.
INLINE = re.compile(r"(\{\{[^{}]*\}\})|\[\^([^\]]*)\]|(\*\*)|(\*)")
NUMBERED = "(#) "
MISSING = "(chưa có số liệu)"

Lookup = Callable[[str, str], "Figure | None"]


@dataclass(frozen=True)
class Figure:
    """A figure a token stands for, and what stands behind it."""

    text: str
    links: tuple[Link, ...] = ()
    tasks: frozenset[str] = frozenset()
    indicators: frozenset[str] = frozenset()
    elements: frozenset[str] = frozenset()


def tokens(text: str) -> list[tuple[str, str]]:
    """The (key, name) of every figure the text names, in order."""
    return [(m.group(1), m.group(2)) for m in TOKEN.finditer(text)]


def block_codes(text: str) -> list[str]:
    """The blocks placed by the text, in order."""
    return [m.group(1) for line in text.splitlines() if (m := BLOCK.match(line.strip()))]


@dataclass
class _Line:
    """One line being read: its spans, and what its figures stand on."""

    lookup: Lookup
    missing: list[str]
    spans: list[Span] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    tasks: set[str] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)
    elements: set[str] = field(default_factory=set)
    bold: bool = False
    italic: bool = False
    pending: str = ""

    def figure(self, token: str) -> str:
        match = TOKEN.fullmatch(token)
        found = self.lookup(match.group(1), match.group(2)) if match else None
        if found is None:
            self.missing.append(token)
            return MISSING
        assert match is not None
        self.figures[f"{match.group(1)}:{match.group(2)}"] = found.text
        self.links.update((link.url, link) for link in found.links)
        self.tasks |= found.tasks
        self.indicators |= found.indicators
        self.elements |= found.elements
        return found.text

    def close(self, note: str = "") -> None:
        if self.pending or note:
            self.spans.append(Span(self.pending, self.bold, self.italic, note))
        self.pending = ""

    def read(self, text: str) -> None:
        at = 0
        for match in INLINE.finditer(text):
            self.pending += text[at : match.start()]
            at = match.end()
            token, note, bold, italic = match.groups()
            if token is not None:
                self.pending += self.figure(token)
            elif note is not None:
                self.close(TOKEN.sub(lambda m: self.figure(m.group(0)), note.strip()))
            else:
                self.close()
                if bold:
                    self.bold = not self.bold
                if italic:
                    self.italic = not self.italic
        self.pending += text[at:]
        self.close()


def _style(line: str) -> tuple[Style, str]:
    if line.startswith("- "):
        return "item", line
    if line.startswith("+ "):
        return "subitem", line
    return "body", line


def render(
    text: str,
    *,
    section: str,
    lookup: Lookup,
    block: Callable[[str], list[Paragraph]],
    missing: list[str],
) -> list[Paragraph]:
    """The paragraphs of a section's prose: figures looked up (`lookup(key, name)`), blocks
    placed (`block(code)`), every figure not found named in `missing`."""
    body: list[Paragraph] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if placed := BLOCK.match(line):
            body += block(placed.group(1))
            continue
        style, line = _style(line)
        read = _Line(lookup, missing)
        read.read(line)
        spans = tuple(read.spans)
        plain = "".join(s.text for s in spans)
        computed = bool(read.figures)
        body.append(
            Paragraph(
                plain,
                style,
                footnotes=(),
                key=f"prose.{section}.{number}" if computed else "",
                links=tuple(read.links.values()),
                figures=tuple(read.figures.items()),
                tasks=frozenset(read.tasks),
                indicators=frozenset(read.indicators),
                spans=spans,
                elements=frozenset(read.elements),
            )
        )
    return body


def numbered(paragraphs: Iterable[Paragraph], *, items: bool) -> list[Paragraph]:
    """Points numbered as the province writes them, (1), (2)…: the prose's "(#) " lines and, in
    a numbered section (`items`), the computed items ("- …", not bold lead-ins), counted
    together."""
    out: list[Paragraph] = []
    number = 0
    for item in paragraphs:
        lead = _lead(item, items)
        if lead is None:
            out.append(item)
            continue
        number += 1
        out.append(_renumbered(item, lead, f"({number}) "))
    return out


def _lead(item: Paragraph, items: bool) -> str | None:
    if item.text.startswith(NUMBERED):
        return NUMBERED
    if items and item.style == "item" and not item.bold and item.text.startswith("- "):
        return "- "
    return None


def _renumbered(item: Paragraph, lead: str, mark: str) -> Paragraph:
    spans = item.spans
    if spans and spans[0].text.startswith(lead):
        first = spans[0]
        spans = (Span(mark + first.text[len(lead) :], first.bold, first.italic, first.note),)
        spans += item.spans[1:]
    return replace(item, text=mark + item.text[len(lead) :], style="body", spans=spans)


def figure_lookup(statements: Mapping[str, Paragraph], elements: Mapping[str, str]) -> Lookup:
    """Figures from the report's computed statements by key, and data elements' totals."""

    def lookup(key: str, name: str) -> Figure | None:
        if key.startswith("element.") and name == "value":
            code = key.removeprefix("element.")
            return Figure(elements[code], elements=frozenset({code})) if code in elements else None
        statement = statements.get(key)
        value = statement.figure(name) if statement is not None else None
        if statement is None or value is None:
            return None
        return Figure(value, statement.links, statement.tasks, statement.indicators)

    return lookup


def element_codes(texts: Iterable[str]) -> set[str]:
    """The data elements whose totals the texts name."""
    return {
        key.removeprefix("element.")
        for text in texts
        for key, _name in tokens(text)
        if key.startswith("element.")
    }
