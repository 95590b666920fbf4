"""XLSForm expressions (``relevant``, ``constraint``): a parser and an evaluator.

No Django imports: the CLI and the tabulation engine use this without a
database. The language is the XPath 1.0 subset that XLSForms use::

    ${age} >= 18 and selected(${topics}, 'trade')
    not(${consent} = 'no') or . > 3

Values follow XPath 1.0: an answer is a string (a select_multiple answer is
its choice names separated by spaces, an unanswered question is ``''``);
``=`` and ``!=`` compare as booleans if either side is one, else as numbers
if either side is one, else as strings; ``<``, ``<=``, ``>``, ``>=`` compare
numbers (a ``YYYY-MM-DD`` date counts as days since 1970-01-01, as in ODK).

Errors are :class:`ExpressionError` with an English message template (marked
for translation), its parameters and the character position.
"""

from .evaluate import (
    Context,
    Value,
    evaluate,
    is_true,
    to_boolean,
    to_number,
    to_string,
)
from .syntax import (
    FUNCTIONS,
    NAME_PATTERN,
    Binary,
    Call,
    Current,
    ExpressionError,
    Literal,
    Negate,
    Node,
    Ref,
    Token,
    gettext_noop,
    parse,
    references,
    tokenise,
    uses_current,
)

__all__ = [
    "FUNCTIONS",
    "NAME_PATTERN",
    "Binary",
    "Call",
    "Context",
    "Current",
    "ExpressionError",
    "Literal",
    "Negate",
    "Node",
    "Ref",
    "Token",
    "Value",
    "evaluate",
    "gettext_noop",
    "is_true",
    "parse",
    "references",
    "to_boolean",
    "to_number",
    "to_string",
    "tokenise",
    "uses_current",
]
