"""URL converter for unit, task and period codes: anything but "/" and control characters (a NUL
would reach PostgreSQL as an error instead of a 404)."""


class CodeConverter:
    regex = r"[^/\x00-\x1f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
