"""The one way the composer writes a paragraph (keyword arguments, the rest defaulted)."""

from __future__ import annotations

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
) -> Paragraph:
    return Paragraph(text, style, bold, italic, footnotes, key, links)
