"""Reading a rendered DOCX back, for the tests: the footnotes python-docx does not expose."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn


def footnote_texts(document: DocxDocument) -> list[str]:
    """The footnotes' texts in the order of their references in the body."""
    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return []
    # A reopened document loads the part as plain bytes (python-docx has no class for it).
    root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    texts = {
        note.get(qn("w:id")): "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
        for note in root.iterchildren(qn("w:footnote"))
    }
    references = document.element.body.iter(qn("w:footnoteReference"))
    return [texts[reference.get(qn("w:id"))] for reference in references]
