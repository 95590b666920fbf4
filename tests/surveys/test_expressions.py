"""The relevant/constraint language: parsing, errors and evaluation (hypothesis included)."""

from __future__ import annotations

import datetime as dt
import math
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.surveys.expressions import (
    Binary,
    Call,
    Context,
    Current,
    ExpressionError,
    Literal,
    Negate,
    Ref,
    evaluate,
    is_true,
    parse,
    references,
    to_boolean,
)


def run(text: str, current: str = "", **answers: str):
    return evaluate(
        parse(text), Context(answers=answers, current=current, today=dt.date(2025, 6, 1))
    )


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {"a": "no"}, False),
        ("${a} != 'yes'", {}, True),  # unanswered is the empty string
        ("${n} > 3", {"n": "4"}, True),
        ("${n} > 3", {"n": ""}, False),  # NaN compares false, as in XPath
        ("${n} <= 3", {"n": ""}, False),
        ("${n} = 4", {"n": "4.0"}, True),  # a number on one side: numeric comparison
        ("${n} = '4'", {"n": "4.0"}, False),  # two strings: string comparison
        ("selected(${m}, 'b')", {"m": "a b c"}, True),
        ("selected(${m}, 'd')", {"m": "a b c"}, False),
        ("selected(${m}, 'b')", {}, False),
        ("count-selected(${m}) >= 2", {"m": "a c"}, True),
        ("not(${a} = 'x') and (${b} = 'y' or ${c} = 'z')", {"a": "w", "c": "z"}, True),
        ("not(${a} = 'x') and (${b} = 'y' or ${c} = 'z')", {"a": "x", "c": "z"}, False),
        ("${a} = 'x' or ${b} = 'y' and ${c} = 'z'", {"a": "x"}, True),  # and binds tighter
        ("${d} > today()", {"d": "2025-06-02"}, True),
        ("${d} < '2025-01-01'", {"d": "2024-12-31"}, True),  # dates compare as days
        ("string-length(${t}) < 5", {"t": "abcd"}, True),
        ("if(${a} = 'x', 1, 2) = 1", {"a": "x"}, True),
        ("regex(${t}, '^[0-9]+$')", {"t": "123"}, True),
        ("coalesce(${a}, 'z') = 'z'", {}, True),
        ("${a}", {"a": "x"}, "x"),
        ("true() and not(false())", {}, True),
    ],
)
def test_evaluation(text, answers, expected):
    assert run(text, **answers) == expected


def test_current_value_in_constraints():
    assert run(". >= 18 and . < 120", current="30") is True
    assert run(". >= 18 and . < 120", current="12") is False
    assert run("string-length(.) <= 3", current="abcd") is False


def test_arithmetic_follows_xpath():
    assert run("7 div 2") == 3.5
    assert run("7 mod 3") == 1.0
    assert run("-7 mod 3") == -1.0  # sign of the dividend
    assert math.isnan(run("0 div 0"))
    assert run("1 div 0") == math.inf
    assert run("2 + 3 * 4") == 14.0
    assert run("(2 + 3) * 4") == 20.0
    assert run("round(2.5)") == 3.0
    assert run("int(-2.7)") == -2.0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("${a} =", "ends too early"),
        ("${a} = = 1", "Unexpected “=”"),
        ("${a} == 'x'", "Unexpected “=”"),
        ("(${a} = 1", "ends too early"),
        ("${a} = 1)", "Unexpected “)”"),
        ("bogus(1)", "Unknown function “bogus()”"),
        ("selected(${a})", "selected() takes 2 arguments, not 1"),
        ("yes", "is not a function call"),
        ("${a} & 1", "Unexpected character “&”"),
        ("${bad name} = 1", "not a valid question name"),
        ("'unterminated", "Unexpected character"),
    ],
)
def test_errors_say_what_and_where(text, fragment):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert fragment in str(caught.value)


def test_error_messages_translate_with_parameters():
    with pytest.raises(ExpressionError) as caught:
        parse("1 @ 2")
    error = caught.value
    assert error.position == 2
    assert error.render(lambda s: s.replace("Unexpected character", "Caractère inattendu")) == (
        "Caractère inattendu “@” at position 3."
    )


def test_references():
    assert references(parse("${a} = 1 and selected(${b}, 'x') or not(${a} > ${c})")) == {
        "a",
        "b",
        "c",
    }


# --- Properties --------------------------------------------------------------------

names = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
strings = st.text(alphabet=string.ascii_letters + " éü中-", max_size=8)
numbers = st.integers(min_value=0, max_value=10_000).map(float) | st.decimals(
    min_value=0, max_value=1000, places=3, allow_nan=False
).map(float)

leaves = st.one_of(numbers.map(Literal), strings.map(Literal), names.map(Ref), st.just(Current()))


def extend(children):
    binary = st.builds(
        Binary,
        st.sampled_from(
            ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
        ),
        children,
        children,
    )
    calls = st.one_of(
        st.builds(lambda a, b: Call("selected", (a, b)), children, children),
        st.builds(lambda a: Call("not", (a,)), children),
        st.builds(lambda a: Call("count-selected", (a,)), children),
        st.builds(lambda a, b, c: Call("if", (a, b, c)), children, children, children),
        st.builds(lambda *a: Call("concat", a), children, children),
        st.just(Call("today", ())),
    )
    return st.one_of(binary, calls, children.map(Negate))


trees = st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_printed_trees_parse_back_to_the_same_tree(tree):
    assert parse(tree.source()) == tree


@settings(max_examples=300, deadline=None)
@given(trees, st.dictionaries(names, strings | numbers.map(str), max_size=4), strings)
def test_evaluation_never_fails_on_well_formed_trees(tree, answers, current):
    value = evaluate(tree, Context(answers=answers, current=current, today=dt.date(2025, 1, 1)))
    assert isinstance(value, str | float | bool)
    assert isinstance(to_boolean(value), bool)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=string.printable + "${}«»中", max_size=40))
def test_any_text_parses_or_raises_expression_error(text):
    try:
        node = parse(text)
    except ExpressionError as error:
        assert error.render()  # a message, never another exception
    else:
        # Whatever parses prints back to something that parses to the same tree.
        assert parse(node.source()) == node


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
    st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
)
def test_numeric_comparisons_match_python(a, b, op):
    python = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "=": a == b, "!=": a != b}[op]
    assert run(f"${{x}} {op} {b}", x=str(a)) is python


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcdef"), unique=True), st.sampled_from("abcdefg"))
def test_selected_matches_membership(chosen, option):
    answer = " ".join(chosen)
    assert run(f"selected(${{m}}, '{option}')", m=answer) is (option in chosen)
    assert is_true(parse(f"count-selected(${{m}}) = {len(chosen)}"), Context(answers={"m": answer}))
