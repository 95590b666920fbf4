"""The syntax of XLSForm expressions: tokens, the tree, the parser, its errors."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues; the caller translates it."""
    return message


class ExpressionError(ValueError):
    """An expression that does not parse or cannot be evaluated."""

    def __init__(self, message: str, params: Mapping[str, Any] | None = None, position: int = 0):
        self.message = message
        self.params = dict(params or {})
        self.position = position
        super().__init__(self.render())

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(self.message) % self.params if self.params else gettext(self.message)


# --- Syntax tree ---------------------------------------------------------------


class Node(ABC):
    """Base of the syntax tree; every node prints back to source with ``source()``."""

    @abstractmethod
    def source(self) -> str: ...

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True)
class Literal(Node):
    value: str | float

    def source(self) -> str:
        if isinstance(self.value, str):
            quote = "'" if "'" not in self.value else '"'
            return f"{quote}{self.value}{quote}"
        value = float(self.value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        if "e" in text:  # the grammar has no exponent notation
            text = format(value, ".20f").rstrip("0").rstrip(".")
        return text


@dataclass(frozen=True)
class Ref(Node):
    """``${name}``: the answer to another question."""

    name: str

    def source(self) -> str:
        return f"${{{self.name}}}"


@dataclass(frozen=True)
class Current(Node):
    """``.``: the answer being checked (in a constraint)."""

    def source(self) -> str:
        return "."


@dataclass(frozen=True)
class Negate(Node):
    operand: Node

    def source(self) -> str:
        return f"-{_wrap(self.operand, PRECEDENCE['unary'])}"

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node

    def source(self) -> str:
        level = PRECEDENCE[self.op]
        # Left-associative: the right operand needs brackets at the same level.
        return f"{_wrap(self.left, level)} {self.op} {_wrap(self.right, level + 1)}"

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...] = field(default=())

    def source(self) -> str:
        return f"{self.name}({', '.join(arg.source() for arg in self.args)})"

    def children(self) -> tuple[Node, ...]:
        return self.args


PRECEDENCE = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
    "unary": 7,
}


def _level(node: Node) -> int:
    if isinstance(node, Binary):
        return PRECEDENCE[node.op]
    if isinstance(node, Negate):
        return PRECEDENCE["unary"]
    return 100


def _wrap(node: Node, level: int) -> str:
    text = node.source()
    return f"({text})" if _level(node) < level else text


# --- Functions -----------------------------------------------------------------

# name -> (minimum arguments, maximum arguments or None for any)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "number": (1, 1),
    "int": (1, 1),
    "string": (1, 1),
    "string-length": (1, 1),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "today": (0, 0),
    "round": (1, 2),
    "abs": (1, 1),
    "min": (1, None),
    "max": (1, None),
}

# --- Tokens --------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
    """,
    re.VERBOSE,
)

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
KEYWORDS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class Token:
    kind: str  # ref, number, string, op, name, end
    text: str
    position: int


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(
                gettext_noop("Unexpected character “%(char)s” at position %(position)d."),
                {"char": text[position], "position": position + 1},
                position,
            )
        kind = match.lastgroup
        if kind == "refname":  # pragma: no cover - the outer group matches first
            kind = "ref"
        if kind == "ref":
            name = match.group("refname").strip()
            if not NAME_PATTERN.match(name):
                raise ExpressionError(
                    gettext_noop("“${%(name)s}” is not a valid question name."),
                    {"name": name},
                    position,
                )
            tokens.append(Token("ref", name, position))
        elif kind != "space":
            tokens.append(Token(kind or "", match.group(0), position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- Parser (precedence climbing) ----------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenise(text)
        self.at = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def binary_op(self) -> str | None:
        token = self.token
        if token.kind == "op" and token.text in PRECEDENCE:
            return token.text
        if token.kind == "name" and token.text in KEYWORDS:
            return token.text
        return None

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError(gettext_noop("The expression is empty."))
        node = self.expression(1)
        if self.token.kind != "end":
            raise self.unexpected()
        return node

    def unexpected(self) -> ExpressionError:
        token = self.token
        if token.kind == "end":
            return ExpressionError(
                gettext_noop("The expression ends too early."), position=token.position
            )
        return ExpressionError(
            gettext_noop("Unexpected “%(token)s” at position %(position)d."),
            {"token": token.text, "position": token.position + 1},
            token.position,
        )

    def expression(self, minimum: int) -> Node:
        left = self.unary()
        while True:
            op = self.binary_op()
            if op is None or PRECEDENCE[op] < minimum:
                return left
            self.advance()
            right = self.expression(PRECEDENCE[op] + 1)
            left = Binary(op, left, right)

    def unary(self) -> Node:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self.advance()
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text)
        if token.kind == "op" and token.text == ".":
            return Current()
        if token.kind == "op" and token.text == "(":
            node = self.expression(1)
            if not (self.token.kind == "op" and self.token.text == ")"):
                raise self.unexpected()
            self.advance()
            return node
        if token.kind == "name" and token.text not in KEYWORDS:
            return self.call(token)
        self.at -= 1
        raise self.unexpected()

    def call(self, token: Token) -> Node:
        name = token.text
        if not (self.token.kind == "op" and self.token.text == "("):
            raise ExpressionError(
                gettext_noop(
                    "“%(name)s” at position %(position)d is not a function call; "
                    "refer to questions as ${name} and quote text as 'text'."
                ),
                {"name": name, "position": token.position + 1},
                token.position,
            )
        if name not in FUNCTIONS:
            raise ExpressionError(
                gettext_noop("Unknown function “%(name)s()”."), {"name": name}, token.position
            )
        self.advance()
        args: list[Node] = []
        if not (self.token.kind == "op" and self.token.text == ")"):
            while True:
                args.append(self.expression(1))
                if self.token.kind == "op" and self.token.text == ",":
                    self.advance()
                    continue
                break
        if not (self.token.kind == "op" and self.token.text == ")"):
            raise self.unexpected()
        self.advance()
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                expected = f"{low}+"
            elif low == high:
                expected = str(low)
            else:
                expected = f"{low}-{high}"
            raise ExpressionError(
                gettext_noop("%(name)s() takes %(expected)s arguments, not %(count)d."),
                {"name": name, "expected": expected, "count": len(args)},
                token.position,
            )
        return Call(name, tuple(args))


def parse(text: str) -> Node:
    """Parse an expression; raises :class:`ExpressionError` saying where it fails."""
    return _Parser(text or "").parse()


def references(node: Node) -> set[str]:
    """The question names an expression refers to."""
    return {item.name for item in node.walk() if isinstance(item, Ref)}


def uses_current(node: Node) -> bool:
    return any(isinstance(item, Current) for item in node.walk())
