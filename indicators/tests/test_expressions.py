"""The formula language: generated formulas evaluate like an independent reference, any text is
either parsed or refused with ExpressionError, and each refusal says why in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import expressions
from indicators.expressions import (
    CountUnits,
    ExpressionError,
    Figures,
    Latest,
    Ratio,
    Ref,
    Sum,
    counts_needed,
    evaluate,
    parse,
    references,
)

CODES = ("DVC_ONLINE", "DVC_TOTAL", "A1", "x_2")
OPS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass
class Env:
    totals: dict[str, Fraction | None]
    latest: dict[str, Fraction | None]
    units: dict[str, list[int]]  # each unit's own value, for count_units


Value = Fraction | None
Gen = tuple[str, Callable[[Env], Value]]

space = st.sampled_from(["", " ", "  ", "\t"])


def _num(n: int, frac: int | None) -> Gen:
    if frac is None:
        return str(n), lambda env: Fraction(n)
    return f"{n}.{frac:02d}", lambda env: Fraction(n) + Fraction(frac, 100)


numbers = st.builds(_num, st.integers(0, 500), st.none() | st.integers(0, 99))
codes = st.sampled_from(CODES).map(lambda c: (c, lambda env: env.totals[c]))
latests = st.sampled_from(CODES).map(lambda c: (f"latest({c})", lambda env: env.latest[c]))


def _count(code: str, op: str, n: int) -> Gen:
    def ref(env: Env) -> Value:
        return Fraction(sum(1 for v in env.units[code] if OPS[op](v, n)))

    return f"count_units({code} {op} {n})", ref


counts = st.builds(_count, st.sampled_from(CODES), st.sampled_from(list(OPS)), st.integers(-2, 5))
leaves = st.one_of(numbers, codes)
atoms = st.one_of(numbers, codes, latests, counts)


def _binop(left: Gen, op: str, right: Gen, s: str) -> Gen:
    def ref(env: Env) -> Value:
        a, b = left[1](env), right[1](env)
        if a is None or b is None:
            return None
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b

    return f"({s}{left[0]}{s}{op}{s}{right[0]}{s})", ref


def _neg(inner: Gen) -> Gen:
    def ref(env: Env) -> Value:
        v = inner[1](env)
        return None if v is None else -v

    return f"-({inner[0]})", ref


def _sum(parts: list[Gen], s: str) -> Gen:
    def ref(env: Env) -> Value:
        vals = [v for v in (p[1](env) for p in parts) if v is not None]
        return sum(vals, Fraction(0)) if vals else None

    return f"sum({s}" + f",{s}".join(p[0] for p in parts) + ")", ref


def _ratio(num: Gen, den: Gen, s: str) -> Gen:
    def ref(env: Env) -> Value:
        a, b = num[1](env), den[1](env)
        if a is None or b is None or b == 0:
            return None
        return a * 100 / b

    return f"ratio({num[0]},{s}{den[0]})", ref


def _extend(children: st.SearchStrategy[Gen]) -> st.SearchStrategy[Gen]:
    # Divisors are leaves, so the reference (exact fractions) and Decimal see the same zeros.
    return st.one_of(
        st.builds(_binop, children, st.sampled_from("+-*"), children, space),
        st.builds(_binop, children, st.just("/"), leaves, space),
        st.builds(_neg, children),
        st.builds(_sum, st.lists(children, min_size=1, max_size=4), space),
        st.builds(_ratio, children, leaves, space),
    )


formulas = st.recursive(atoms, _extend, max_leaves=12)
maybe = st.none() | st.integers(0, 300).map(Fraction)
envs = st.builds(
    Env,
    totals=st.fixed_dictionaries(dict.fromkeys(CODES, maybe)),
    latest=st.fixed_dictionaries(dict.fromkeys(CODES, maybe)),
    units=st.fixed_dictionaries({c: st.lists(st.integers(-3, 6), max_size=5) for c in CODES}),
)


def _dec(v: Fraction | None) -> Decimal | None:
    return None if v is None else Decimal(v.numerator) / Decimal(v.denominator)


@settings(max_examples=300)
@given(formulas, envs)
def test_generated_formulas_evaluate_like_the_reference(formula: Gen, env: Env) -> None:
    text, reference = formula
    expr = parse(text)
    counts = {
        node: sum(1 for v in env.units[node.code] if OPS[node.op](Decimal(v), node.value))
        for node in counts_needed(expr)
    }
    figures = Figures(
        totals={c: _dec(v) for c, v in env.totals.items()},
        latest={c: _dec(v) for c, v in env.latest.items()},
        counts=counts,
    )
    got, want = evaluate(expr, figures), reference(env)
    if want is None:
        assert got is None
    else:
        assert got is not None
        assert abs(Fraction(got) - want) <= Fraction(1, 10**9) * max(1, abs(want))
    assert references(expr) <= set(CODES)


grammar_alphabet = "0123456789.,()+-*/<>=! \tABC_xyzsumratiolatestcount_units"


@settings(max_examples=500)
@given(st.text() | st.text(alphabet=grammar_alphabet, max_size=60))
def test_any_text_is_parsed_or_refused_with_expression_error(text: str) -> None:
    try:
        parse(text)
    except ExpressionError as error:
        assert error.message and 0 <= error.position <= len(text)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(ExpressionError, match="lồng nhau quá sâu"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError, match="lồng nhau quá sâu"):
        parse("-" * 500 + "1")


def test_the_module_never_evaluates_python() -> None:
    source = Path(expressions.__file__).read_text()
    assert not re.search(r"(?<![.\w])(eval|exec|compile|__import__)\(", source)
    with pytest.raises(ExpressionError):
        parse("__import__('os').system('true')")


def test_precedence_and_associativity() -> None:
    empty = Figures(totals={}, latest={}, counts={})

    def value(text: str) -> Decimal | None:
        return evaluate(parse(text), empty)

    assert value("1 + 2 * 3") == 7
    assert value("10 - 4 - 3") == 3
    assert value("-2 * 3") == -6
    assert value("(1 + 2) * 3") == 9
    assert value("8 / 4 / 2") == 1
    assert value("ratio(1, 0)") is None
    assert value("5 / 0") is None
    assert value("ratio(91, 110)") == Decimal(9100) / Decimal(110)


def test_ast_shape_and_references() -> None:
    expr = parse("ratio(sum(A, latest(B)), count_units(C >= -1))")
    assert expr == Ratio(Sum((Ref("A"), Latest("B"))), CountUnits("C", ">=", Decimal(-1)))
    assert references(expr) == {"A", "B", "C"}


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "Công thức trống.", 0),
        ("   ", "Công thức trống.", 0),
        ("A + #", "Ký tự không hợp lệ “#” tại vị trí 5.", 4),
        ("A + é", "Ký tự không hợp lệ “é” tại vị trí 5.", 4),
        ("(A + B", "Thiếu dấu “)” cho dấu “(” tại vị trí 1.", 0),
        ("sum(A, B", "Thiếu dấu “)” cho dấu “(” tại vị trí 4.", 3),
        ("A + B)", "Dấu “)” thừa tại vị trí 6.", 5),
        (
            "avg(A, B)",
            "Hàm không xác định “avg” tại vị trí 1; chỉ có: sum, ratio, latest, count_units.",
            0,
        ),
        ("ratio(A)", "Hàm ratio cần đúng 2 đối số (tử số, mẫu số), nhận 1.", 0),
        ("ratio(A, B, C)", "Hàm ratio cần đúng 2 đối số (tử số, mẫu số), nhận 3.", 0),
        ("latest(A + 1)", "Không mong đợi “+” tại vị trí 10.", 9),
        ("latest(1)", "Hàm latest cần đúng một mã số liệu, tại vị trí 8.", 7),
        ("A > 0", "Phép so sánh “>” (vị trí 3) chỉ dùng bên trong count_units(…).", 2),
        ("sum(A == B)", "Phép so sánh “==” (vị trí 7) chỉ dùng bên trong count_units(…).", 6),
        ("count_units(A)", "count_units cần một phép so sánh, ví dụ count_units(A > 0).", 13),
        ("count_units(A > B)", "count_units so sánh với một số, tại vị trí 17.", 16),
        ("A +", "Công thức kết thúc khi chưa đủ.", 3),
        ("A B", "Không mong đợi “B” tại vị trí 3.", 2),
        ("1A", "Không mong đợi “A” tại vị trí 2.", 1),
        ("sum()", "Dấu “)” thừa tại vị trí 5.", 4),
    ],
)
def test_each_refusal_has_a_clear_message(text: str, message: str, position: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.message == message
    assert caught.value.position == position
