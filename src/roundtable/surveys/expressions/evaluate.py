"""Evaluating XLSForm expressions with XPath 1.0 semantics."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .syntax import Binary, Call, Current, ExpressionError, Literal, Negate, Node, Ref, gettext_noop

# --- Evaluation ----------------------------------------------------------------

Value = str | float | bool
_EPOCH = dt.date(1970, 1, 1)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    if _DATE.match(text):
        try:
            return float((dt.date.fromisoformat(text) - _EPOCH).days)
        except ValueError:
            return math.nan
    try:
        return float(text) if text and text.lower() not in ("nan", "inf", "-inf") else math.nan
    except ValueError:
        return math.nan


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return value


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _arithmetic(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "div":
        if right == 0:
            if left == 0 or math.isnan(left):
                return math.nan
            return math.copysign(math.inf, left) * math.copysign(1, right)
        return left / right
    # mod: XPath's is the remainder of truncating division (sign of the dividend).
    if right == 0 or math.isnan(left) or math.isnan(right) or math.isinf(left):
        return math.nan
    return math.fmod(left, right)


@dataclass
class Context:
    """What an expression sees: the answers so far, the current value, today's date."""

    answers: Mapping[str, str]
    current: str = ""
    today: dt.date | None = None


def evaluate(node: Node, context: Context) -> Value:
    """Evaluate a parsed expression. Never raises for well-formed trees."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return context.answers.get(node.name, "") or ""
    if isinstance(node, Current):
        return context.current or ""
    if isinstance(node, Negate):
        return -to_number(evaluate(node.operand, context))
    if isinstance(node, Binary):
        op = node.op
        if op == "and":
            return to_boolean(evaluate(node.left, context)) and to_boolean(
                evaluate(node.right, context)
            )
        if op == "or":
            return to_boolean(evaluate(node.left, context)) or to_boolean(
                evaluate(node.right, context)
            )
        left = evaluate(node.left, context)
        right = evaluate(node.right, context)
        if op == "=":
            return _equal(left, right)
        if op == "!=":
            return not _equal(left, right)
        if op in _COMPARE:
            return _COMPARE[op](to_number(left), to_number(right))
        return _arithmetic(op, to_number(left), to_number(right))
    if isinstance(node, Call):
        return _call(node, context)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _call(node: Call, context: Context) -> Value:
    name = node.name
    if name == "if":
        condition = to_boolean(evaluate(node.args[0], context))
        return evaluate(node.args[1] if condition else node.args[2], context)
    args = [evaluate(arg, context) for arg in node.args]
    if name == "selected":
        return to_string(args[1]).strip() in to_string(args[0]).split()
    if name == "count-selected":
        return float(len(to_string(args[0]).split()))
    if name == "not":
        return not to_boolean(args[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "boolean":
        return to_boolean(args[0])
    if name == "number":
        return to_number(args[0])
    if name == "int":
        number = to_number(args[0])
        return float(math.trunc(number)) if math.isfinite(number) else number
    if name == "string":
        return to_string(args[0])
    if name == "string-length":
        return float(len(to_string(args[0])))
    if name == "concat":
        return "".join(to_string(arg) for arg in args)
    if name == "contains":
        return to_string(args[1]) in to_string(args[0])
    if name == "starts-with":
        return to_string(args[0]).startswith(to_string(args[1]))
    if name == "ends-with":
        return to_string(args[0]).endswith(to_string(args[1]))
    if name == "regex":
        try:
            return re.search(to_string(args[1]), to_string(args[0])) is not None
        except re.error:
            return False
    if name == "coalesce":
        first = to_string(args[0])
        return first if first != "" else to_string(args[1])
    if name == "today":
        return (context.today or dt.date.today()).isoformat()
    if name == "round":
        number = to_number(args[0])
        digits = (
            int(to_number(args[1])) if len(args) > 1 and math.isfinite(to_number(args[1])) else 0
        )
        if not math.isfinite(number):
            return number
        scale = 10.0**digits
        # XPath rounds halves up (towards positive infinity).
        return math.floor(number * scale + 0.5) / scale
    if name == "abs":
        return abs(to_number(args[0]))
    if name in ("min", "max"):
        numbers = [to_number(arg) for arg in args]
        if any(math.isnan(n) for n in numbers):
            return math.nan
        return min(numbers) if name == "min" else max(numbers)
    raise ExpressionError(gettext_noop("Unknown function “%(name)s()”."), {"name": name})


def is_true(node: Node | None, context: Context) -> bool:
    """Whether a condition holds; no condition holds trivially."""
    return True if node is None else to_boolean(evaluate(node, context))
