"""Text helpers shared by every app."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case without diacritics, so "thanh vinh" finds "Phường Thành Vinh" on any database."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())
