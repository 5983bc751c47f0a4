"""The indicator formula language: a tokenizer and a recursive-descent parser into dataclasses.

Nothing here calls eval, exec or compile. Grammar::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | CODE | "(" expr ")" | call
    call    := "sum" "(" expr ("," expr)* ")"
             | "ratio" "(" expr "," expr ")"          -- num / den x 100; None when den is 0
             | "latest" "(" CODE ")"                  -- the unit's most recent value
             | "count_units" "(" CODE CMP ["-"] NUMBER ")"   -- CMP: > >= < <= == !=

CODE is a data element code: a letter, then letters, digits or underscores. Comparisons exist only
inside count_units. `evaluate` takes the figures already rolled up (sums over the subtree, latest
values, unit counts), so the formula is applied to totals: percentages are never averaged.

None (no data) propagates through arithmetic; `sum` skips missing parts and is None only when all
are missing; a division by zero gives None.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

MAX_LENGTH = 2000
MAX_DEPTH = 60

FUNCTIONS = ("sum", "ratio", "latest", "count_units")
COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}
CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*", re.ASCII)


class ExpressionError(ValueError):
    """A formula outside the grammar; `message` is Vietnamese, `position` 0-based."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# --- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Sum:
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Ratio:
    numerator: Expr
    denominator: Expr


@dataclass(frozen=True)
class Latest:
    code: str


@dataclass(frozen=True)
class CountUnits:
    code: str
    op: str  # one of COMPARISONS
    value: Decimal


Expr = Num | Ref | Neg | BinOp | Sum | Ratio | Latest | CountUnits


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # num, name, op, cmp, end
    text: str
    pos: int


_TOKEN_RE = re.compile(
    r"(?P<space>\s+)|(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<cmp>>=|<=|==|!=|>|<)|(?P<op>[-+*/(),])",
    re.ASCII,
)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise ExpressionError(
                _("Ký tự không hợp lệ “%(char)s” tại vị trí %(pos)d.")
                % {"char": text[pos], "pos": pos + 1},
                pos,
            )
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- parser ----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def unexpected(self) -> ExpressionError:
        tok = self.tok
        if tok.kind == "end":
            return ExpressionError(_("Công thức kết thúc khi chưa đủ."), tok.pos)
        if tok.kind == "cmp":
            return ExpressionError(
                _("Phép so sánh “%(op)s” (vị trí %(pos)d) chỉ dùng bên trong count_units(…).")
                % {"op": tok.text, "pos": tok.pos + 1},
                tok.pos,
            )
        if tok.text == ")":
            return ExpressionError(
                _("Dấu “)” thừa tại vị trí %(pos)d.") % {"pos": tok.pos + 1}, tok.pos
            )
        return ExpressionError(
            _("Không mong đợi “%(text)s” tại vị trí %(pos)d.")
            % {"text": tok.text, "pos": tok.pos + 1},
            tok.pos,
        )

    def expect_close(self, opened: Token) -> None:
        if self.tok.text == ")":
            self.advance()
            return
        if self.tok.kind == "end":
            raise ExpressionError(
                _("Thiếu dấu “)” cho dấu “(” tại vị trí %(pos)d.") % {"pos": opened.pos + 1},
                opened.pos,
            )
        raise self.unexpected()

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise ExpressionError(_("Công thức trống."), 0)
        expr = self.expr()
        if self.tok.kind != "end":
            raise self.unexpected()
        return expr

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("Công thức lồng nhau quá sâu."), self.tok.pos)
        left = self.term()
        while self.tok.text in ("+", "-") and self.tok.kind == "op":
            op = self.advance().text
            left = BinOp(op, left, self.term())
        self.depth -= 1
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.tok.text in ("*", "/") and self.tok.kind == "op":
            op = self.advance().text
            left = BinOp(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.tok.text == "-" and self.tok.kind == "op":
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError(_("Công thức lồng nhau quá sâu."), self.tok.pos)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand)
        return self.primary()

    def primary(self) -> Expr:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return Num(Decimal(tok.text))
        if tok.kind == "name":
            self.advance()
            if self.tok.text == "(":
                return self.call(tok)
            return Ref(tok.text)
        if tok.text == "(":
            self.advance()
            inner = self.expr()
            self.expect_close(tok)
            return inner
        raise self.unexpected()

    def call(self, name: Token) -> Expr:
        opened = self.advance()  # "("
        fn = name.text
        if fn not in FUNCTIONS:
            raise ExpressionError(
                _("Hàm không xác định “%(name)s” tại vị trí %(pos)d; chỉ có: %(known)s.")
                % {"name": fn, "pos": name.pos + 1, "known": ", ".join(FUNCTIONS)},
                name.pos,
            )
        if fn == "latest":
            code = self.code_argument(fn)
            self.expect_close(opened)
            return Latest(code)
        if fn == "count_units":
            code = self.code_argument(fn)
            if self.tok.kind != "cmp":
                raise ExpressionError(
                    _("count_units cần một phép so sánh, ví dụ count_units(%(code)s > 0).")
                    % {"code": code},
                    self.tok.pos,
                )
            op = self.advance().text
            negative = False
            if self.tok.text == "-" and self.tok.kind == "op":
                self.advance()
                negative = True
            if self.tok.kind != "num":
                raise ExpressionError(
                    _("count_units so sánh với một số, tại vị trí %(pos)d.")
                    % {"pos": self.tok.pos + 1},
                    self.tok.pos,
                )
            value = Decimal(self.advance().text)
            self.expect_close(opened)
            return CountUnits(code, op, -value if negative else value)
        args = [self.expr()]
        while self.tok.text == ",":
            self.advance()
            args.append(self.expr())
        self.expect_close(opened)
        if fn == "ratio":
            if len(args) != 2:
                raise ExpressionError(
                    _("Hàm ratio cần đúng 2 đối số (tử số, mẫu số), nhận %(n)d.")
                    % {"n": len(args)},
                    name.pos,
                )
            return Ratio(args[0], args[1])
        return Sum(tuple(args))

    def code_argument(self, fn: str) -> str:
        if self.tok.kind != "name" or self.tokens[self.i + 1].text == "(":
            raise ExpressionError(
                _("Hàm %(fn)s cần đúng một mã số liệu, tại vị trí %(pos)d.")
                % {"fn": fn, "pos": self.tok.pos + 1},
                self.tok.pos,
            )
        return self.advance().text


@lru_cache(maxsize=1024)
def parse(text: str) -> Expr:
    """The formula's AST, or ExpressionError with a Vietnamese message and position. Trees are
    immutable and depend on the text alone, so each formula is parsed once per process (a
    page of 69 indicators parsed them on every request); errors are not kept."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("Công thức dài quá %(n)d ký tự.") % {"n": MAX_LENGTH}, MAX_LENGTH)
    return _Parser(tokenize(text)).parse()


def references(expr: Expr) -> set[str]:
    """Every data element code the formula uses."""
    match expr:
        case Ref(code) | Latest(code) | CountUnits(code, _, _):
            return {code}
        case Neg(operand):
            return references(operand)
        case BinOp(_, left, right):
            return references(left) | references(right)
        case Ratio(num, den):
            return references(num) | references(den)
        case Sum(args):
            return set().union(*(references(a) for a in args))
    return set()


def latest_codes(expr: Expr) -> set[str]:
    match expr:
        case Latest(code):
            return {code}
        case Neg(operand):
            return latest_codes(operand)
        case BinOp(_, left, right) | Ratio(left, right):
            return latest_codes(left) | latest_codes(right)
        case Sum(args):
            return set().union(*(latest_codes(a) for a in args))
    return set()


def counts_needed(expr: Expr) -> set[CountUnits]:
    match expr:
        case CountUnits():
            return {expr}
        case Neg(operand):
            return counts_needed(operand)
        case BinOp(_, left, right) | Ratio(left, right):
            return counts_needed(left) | counts_needed(right)
        case Sum(args):
            return set().union(*(counts_needed(a) for a in args))
    return set()


# --- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the roll-up found: per code the subtree total (None: nobody reported it), per code
    the total of the units' latest values, and per count_units node the number of units."""

    totals: Mapping[str, Decimal | None]
    latest: Mapping[str, Decimal | None]
    counts: Mapping[CountUnits, int]


HUNDRED = Decimal(100)


def evaluate(expr: Expr, figures: Figures) -> Decimal | None:
    try:
        return _evaluate(expr, figures)
    except (InvalidOperation, ArithmeticError):
        return None


def _evaluate(expr: Expr, f: Figures) -> Decimal | None:
    match expr:
        case Num(value):
            return value
        case Ref(code):
            return f.totals.get(code)
        case Latest(code):
            return f.latest.get(code)
        case CountUnits():
            return Decimal(f.counts.get(expr, 0))
        case Neg(operand):
            inner = _evaluate(operand, f)
            return None if inner is None else -inner
        case Sum(args):
            parts = [v for v in (_evaluate(a, f) for a in args) if v is not None]
            return sum(parts, Decimal(0)) if parts else None
        case Ratio(num, den):
            n, d = _evaluate(num, f), _evaluate(den, f)
            if n is None or d is None or d == 0:
                return None
            return n * HUNDRED / d
        case BinOp(op, left, right):
            a, b = _evaluate(left, f), _evaluate(right, f)
            if a is None or b is None:
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None if b == 0 else a / b
    raise TypeError(expr)  # pragma: no cover
