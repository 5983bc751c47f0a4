"""The one way the composer writes a paragraph (keyword arguments, the rest defaulted)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from documents.content import Link, Paragraph, Style


def paragraph(
    text: str,
    style: Style = "body",
    *,
    bold: bool = False,
    italic: bool = False,
    key: str = "",
    links: tuple[Link, ...] = (),
    footnotes: tuple[str, ...] = (),
    figures: Mapping[str, str] | None = None,
    tasks: Iterable[str] = (),
    indicators: Iterable[str] = (),
) -> Paragraph:
    """`figures`: the statement's figures by name, as written ("count": "09"); `tasks` and
    `indicators`: the codes of what it counts and reads (see documents.content.Paragraph)."""
    return Paragraph(
        text, style, bold, italic, footnotes, key, links,
        figures=tuple((figures or {}).items()), tasks=frozenset(tasks),
        indicators=frozenset(indicators),
    )  # fmt: skip
