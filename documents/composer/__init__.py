"""What a report says, computed from stored data as of a date (see documents.content).

`build_content` (documents.composer.report) gathers the figures once (`facts.ReportFacts`) and
each part of the body is a short function of its own module turning them into paragraphs:
`task_statements`, `communes`, `indicator_statements`, `unit_texts` (what the units said),
assembled by `quarterly`, `monthly` and `unit_report`. Every computed sentence carries a stable
key and links to the list behind its figures, as of the report's date (`links`). The codes the
reports speak of are in `programmes`; the issuer's settings (letterhead) in `letterhead`.
"""

from documents.composer.report import build_content

__all__ = ["build_content"]
