"""Reading a page's form as a browser would send it (the load test and the drills)."""

from __future__ import annotations

import re
from html import unescape

FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
INPUT = re.compile(r"<input\b[^>]*>", re.S)
TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", re.S)
SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>")
ATTR = re.compile(r"(\w[\w-]*)=\"([^\"]*)\"")


def form_fields(html: str, action_suffix: str) -> tuple[str, dict[str, str]] | None:
    """The action and the fields (as the browser would send them) of the form whose action
    ends with `action_suffix`."""
    for match in FORM.finditer(html):
        action = unescape(dict(ATTR.findall(match.group("attrs"))).get("action", ""))
        if not action and action_suffix == "/login/":
            action = "/login/"  # the sign-in form posts to its own page
        if not action.endswith(action_suffix):
            continue
        body = match.group("body")
        fields: dict[str, str] = {}
        for tag in INPUT.findall(body):
            attrs = dict(ATTR.findall(tag))
            name, kind = attrs.get("name"), attrs.get("type", "text")
            if not name or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in tag:
                continue
            fields[name] = unescape(attrs.get("value", ""))
        for name, text in TEXTAREA.findall(body):
            fields[name] = unescape(text.strip())
        for name, options in SELECT.findall(body):
            tags = OPTION.findall(options)
            chosen = next(
                (t for t in tags if re.search(r"\bselected\b", t)), tags[0] if tags else ""
            )
            fields[name] = unescape(dict(ATTR.findall(chosen)).get("value", ""))
        return action, fields
    return None
