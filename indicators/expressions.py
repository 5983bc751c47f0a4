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
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

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
        self.position = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def unexpected(self) -> ExpressionError:
        token = self.current
        if token.kind == "end":
            return ExpressionError(_("Công thức kết thúc khi chưa đủ."), token.pos)
        if token.kind == "cmp":
            return ExpressionError(
                _("Phép so sánh “%(op)s” (vị trí %(pos)d) chỉ dùng bên trong count_units(…).")
                % {"op": token.text, "pos": token.pos + 1},
                token.pos,
            )
        if token.text == ")":
            return ExpressionError(
                _("Dấu “)” thừa tại vị trí %(pos)d.") % {"pos": token.pos + 1}, token.pos
            )
        return ExpressionError(
            _("Không mong đợi “%(text)s” tại vị trí %(pos)d.")
            % {"text": token.text, "pos": token.pos + 1},
            token.pos,
        )

    def expect_close(self, opened: Token) -> None:
        if self.current.text == ")":
            self.advance()
            return
        if self.current.kind == "end":
            raise ExpressionError(
                _("Thiếu dấu “)” cho dấu “(” tại vị trí %(pos)d.") % {"pos": opened.pos + 1},
                opened.pos,
            )
        raise self.unexpected()

    def parse(self) -> Expr:
        if self.current.kind == "end":
            raise ExpressionError(_("Công thức trống."), 0)
        expr = self.expr()
        if self.current.kind != "end":
            raise self.unexpected()
        return expr

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("Công thức lồng nhau quá sâu."), self.current.pos)
        left = self.term()
        while self.current.text in ("+", "-") and self.current.kind == "op":
            op = self.advance().text
            left = BinOp(op, left, self.term())
        self.depth -= 1
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.current.text in ("*", "/") and self.current.kind == "op":
            op = self.advance().text
            left = BinOp(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.current.text == "-" and self.current.kind == "op":
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError(_("Công thức lồng nhau quá sâu."), self.current.pos)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand)
        return self.primary()

    def primary(self) -> Expr:
        token = self.current
        if token.kind == "num":
            self.advance()
            return Num(Decimal(token.text))
        if token.kind == "name":
            self.advance()
            if self.current.text == "(":
                return self.call(token)
            return Ref(token.text)
        if token.text == "(":
            self.advance()
            inner = self.expr()
            self.expect_close(token)
            return inner
        raise self.unexpected()

    def call(self, name: Token) -> Expr:
        opened = self.advance()  # "("
        function = name.text
        if function not in FUNCTIONS:
            raise ExpressionError(
                _("Hàm không xác định “%(name)s” tại vị trí %(pos)d; chỉ có: %(known)s.")
                % {"name": function, "pos": name.pos + 1, "known": ", ".join(FUNCTIONS)},
                name.pos,
            )
        if function == "latest":
            code = self.code_argument(function)
            self.expect_close(opened)
            return Latest(code)
        if function == "count_units":
            code = self.code_argument(function)
            if self.current.kind != "cmp":
                raise ExpressionError(
                    _("count_units cần một phép so sánh, ví dụ count_units(%(code)s > 0).")
                    % {"code": code},
                    self.current.pos,
                )
            op = self.advance().text
            negative = False
            if self.current.text == "-" and self.current.kind == "op":
                self.advance()
                negative = True
            if self.current.kind != "num":
                raise ExpressionError(
                    _("count_units so sánh với một số, tại vị trí %(pos)d.")
                    % {"pos": self.current.pos + 1},
                    self.current.pos,
                )
            value = Decimal(self.advance().text)
            self.expect_close(opened)
            return CountUnits(code, op, -value if negative else value)
        args = [self.expr()]
        while self.current.text == ",":
            self.advance()
            args.append(self.expr())
        self.expect_close(opened)
        if function == "ratio":
            if len(args) != 2:
                raise ExpressionError(
                    _("Hàm ratio cần đúng 2 đối số (tử số, mẫu số), nhận %(n)d.")
                    % {"n": len(args)},
                    name.pos,
                )
            return Ratio(args[0], args[1])
        return Sum(tuple(args))

    def code_argument(self, function: str) -> str:
        if self.current.kind != "name" or self.tokens[self.position + 1].text == "(":
            raise ExpressionError(
                _("Hàm %(fn)s cần đúng một mã số liệu, tại vị trí %(pos)d.")
                % {"fn": function, "pos": self.current.pos + 1},
                self.current.pos,
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


def _evaluate(expr: Expr, figures: Figures) -> Decimal | None:
    match expr:
        case Num(value):
            return value
        case Ref(code):
            return figures.totals.get(code)
        case Latest(code):
            return figures.latest.get(code)
        case CountUnits():
            return Decimal(figures.counts.get(expr, 0))
        case Neg(operand):
            inner = _evaluate(operand, figures)
            return None if inner is None else -inner
        case Sum(args):
            parts = [v for v in (_evaluate(arg, figures) for arg in args) if v is not None]
            return sum(parts, Decimal(0)) if parts else None
        case Ratio(numerator, denominator):
            top, bottom = _evaluate(numerator, figures), _evaluate(denominator, figures)
            if top is None or bottom is None or bottom == 0:
                return None
            return top * HUNDRED / bottom
        case BinOp(op, left, right):
            lhs, rhs = _evaluate(left, figures), _evaluate(right, figures)
            if lhs is None or rhs is None:
                return None
            if op == "+":
                return lhs + rhs
            if op == "-":
                return lhs - rhs
            if op == "*":
                return lhs * rhs
            return None if rhs == 0 else lhs / rhs
    raise TypeError(expr)  # pragma: no cover


# --- in words --------------------------------------------------------------------------------

# How tightly each node binds when written out: a looser child is put in brackets.
_ADDITIVE, _MULTIPLICATIVE, _ATOM = 1, 2, 3
_OPERATOR_SIGNS = {"+": "+", "-": "−", "*": "×", "/": "/"}


def describe(expr: Expr, names: Mapping[str, str]) -> str:
    """The formula as an officer reads it, with each data element's name for its code (the
    code itself where `names` lacks it): ratio(TT, TT + TIEP) → "Tỷ lệ: Số hồ sơ trực tuyến /
    (Số hồ sơ trực tuyến + Số hồ sơ tiếp nhận)". The codes stay in the setup pages."""
    if isinstance(expr, Ratio):
        return _("Tỷ lệ: %(fraction)s") % {"fraction": _fraction(expr, names)}
    return _words(expr, names)[0]


def _fraction(expr: Ratio, names: Mapping[str, str]) -> str:
    top = _operand(expr.numerator, names, _MULTIPLICATIVE)
    return f"{top} / {_operand(expr.denominator, names, _ATOM)}"


def _operand(expr: Expr, names: Mapping[str, str], tightest: int) -> str:
    """The node's words, bracketed when it binds more loosely than `tightest` asks."""
    text, binding = _words(expr, names)
    return f"({text})" if binding < tightest else text


def _words(expr: Expr, names: Mapping[str, str]) -> tuple[str, int]:
    match expr:
        case Num(value):
            return f"{value:f}".replace(".", ","), _ATOM
        case Ref(code):
            return names.get(code, code), _ATOM
        case Latest(code):
            return _("%(name)s (giá trị mới nhất)") % {"name": names.get(code, code)}, _ATOM
        case CountUnits(code, op, value):
            comparison = str(_COMPARISON_WORDS[op]) % {"value": _words(Num(value), names)[0]}
            text = _("số đơn vị có %(name)s %(comparison)s") % {
                "name": names.get(code, code),
                "comparison": comparison,
            }
            return text, _ATOM
        case Neg(operand):
            return f"−{_operand(operand, names, _ATOM)}", _MULTIPLICATIVE
        case Sum(args):
            return " + ".join(_operand(a, names, _ADDITIVE) for a in args), _ADDITIVE
        case Ratio():
            return _("tỷ lệ %(fraction)s") % {"fraction": f"({_fraction(expr, names)})"}, _ATOM
        case BinOp(op, left, right):
            binding = _ADDITIVE if op in "+-" else _MULTIPLICATIVE
            # a - (b + c) and a / (b × c) need their brackets; a + (b + c) and a × (b × c) not
            right_needs = binding + 1 if op in "-/" else binding
            lhs, rhs = _operand(left, names, binding), _operand(right, names, right_needs)
            return f"{lhs} {_OPERATOR_SIGNS[op]} {rhs}", binding
    raise TypeError(expr)  # pragma: no cover


_COMPARISON_WORDS: dict[str, StrPromise] = {
    ">": gettext_lazy("lớn hơn %(value)s"),
    ">=": gettext_lazy("từ %(value)s trở lên"),
    "<": gettext_lazy("nhỏ hơn %(value)s"),
    "<=": gettext_lazy("không quá %(value)s"),
    "==": gettext_lazy("bằng %(value)s"),
    "!=": gettext_lazy("khác %(value)s"),
}
