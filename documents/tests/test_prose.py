"""The composer's markup, apart from the data: paragraphs and lists, bold and italic, footnotes
where they stand, figures from the computed statements, blocks placed, points numbered."""

from __future__ import annotations

from documents.composer.paragraphs import paragraph
from documents.composer.prose import MISSING, figure_lookup, numbered, render, tokens
from documents.content import Link, Paragraph, Span

STATEMENT = paragraph(
    "- 130/130 xã, phường hoàn thành 16/16 nhiệm vụ (đạt 100%).",
    "item",
    key="communes.KH02-GD1",
    links=(Link("KH02", "/tasks/?source=KH02-GD1"),),
    figures={"complete": "130", "assigned": "130"},
    tasks=("KH02-GD1-001",),
)
BACKLOG = paragraph("- Trong năm 2025 có tổng số 82 nhiệm vụ.", "item", key="tasks.year.backlog")
LOOKUP = figure_lookup({STATEMENT.key: STATEMENT}, {"TC_KHCN_CL": "28"})


def _render(text: str, missing: list[str] | None = None) -> list[Paragraph]:
    return render(
        text,
        section="muc",
        lookup=LOOKUP,
        block=lambda code: [BACKLOG] if code == "tasks.year_backlog" else [],
        missing=[] if missing is None else missing,
    )


def test_lines_are_paragraphs_lists_and_spans() -> None:
    body = _render("Mở **đậm** và *nghiêng*.\n\n- Một ý\n+ Ý nhỏ")
    assert [(p.text, p.style) for p in body] == [
        ("Mở đậm và nghiêng.", "body"),
        ("- Một ý", "item"),
        ("+ Ý nhỏ", "subitem"),
    ]
    assert body[0].spans == (
        Span("Mở "),
        Span("đậm", bold=True),
        Span(" và "),
        Span("nghiêng", italic=True),
        Span("."),
    )
    assert not any(p.computed for p in body)  # no figure: plain prose


def test_a_footnote_stands_where_it_is_written_and_may_hold_a_figure() -> None:
    (line,) = _render(
        "Chương trình 2026 - 2030[^Theo Quyết định {{element.TC_KHCN_CL:value}}.]. Hết."
    )
    assert line.text == "Chương trình 2026 - 2030. Hết."
    assert line.spans[0] == Span("Chương trình 2026 - 2030", note="Theo Quyết định 28.")
    assert line.all_footnotes == ("Theo Quyết định 28.",)


def test_figures_are_the_statements_and_link_to_their_data() -> None:
    text = "Kết quả {{communes.KH02-GD1:complete}}/{{communes.KH02-GD1:assigned}} xã."
    (line,) = _render(text)
    assert line.text == "Kết quả 130/130 xã."
    assert line.key == "prose.muc.1" and line.computed
    assert dict(line.figures) == {
        "communes.KH02-GD1:complete": "130",
        "communes.KH02-GD1:assigned": "130",
    }
    assert line.links == STATEMENT.links and line.tasks == {"KH02-GD1-001"}
    assert tokens(text) == [("communes.KH02-GD1", "complete"), ("communes.KH02-GD1", "assigned")]


def test_a_figure_the_data_does_not_give_is_named_not_hidden() -> None:
    missing: list[str] = []
    (line,) = _render("Đạt {{communes.KH02-GD1:nothing}} và {{indicator.X:value}}.", missing)
    assert line.text == f"Đạt {MISSING} và {MISSING}."
    assert missing == ["{{communes.KH02-GD1:nothing}}", "{{indicator.X:value}}"]


def test_blocks_are_placed_and_points_numbered_with_them() -> None:
    body = _render("(#) Thứ nhất.\n[[tasks.year_backlog]]\n(#) Thứ ba.")
    assert [p.text for p in numbered(body, items=True)] == [
        "(1) Thứ nhất.",
        "(2) Trong năm 2025 có tổng số 82 nhiệm vụ.",
        "(3) Thứ ba.",
    ]
    # outside a numbered section the computed items keep their dash; "(#)" is still numbered
    assert [p.text for p in numbered(body, items=False)] == [
        "(1) Thứ nhất.",
        "- Trong năm 2025 có tổng số 82 nhiệm vụ.",
        "(2) Thứ ba.",
    ]
    first = numbered(_render("(#) **Đậm** đầu."), items=False)[0]
    assert first.spans[0] == Span("(1) ") and first.spans[1] == Span("Đậm", bold=True)
