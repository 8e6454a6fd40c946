"""JSON request bodies bounded in size and depth.

DRF's own JSONParser reads a body of any size, and Python's json module recurses once per level:
a body nested 100,000 deep raises RecursionError (a 500). The API's JSON inputs (the eligibility
check, a review's reason) are small and flat, so anything bigger or deeper is refused with 400.
"""

import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def json_depth(value):
    """How deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSONParser that refuses bodies over `max_bytes` and nesting deeper than `max_depth` (400)."""

    max_bytes = 256 * 1024
    max_depth = 32

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        raw = stream.read(self.max_bytes + 1) if stream is not None else b""
        if len(raw) > self.max_bytes:
            raise ParseError(_("The request body is too large: at most %(limit)s bytes.") % {"limit": self.max_bytes})
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=self._refuse_constant if self.strict else None)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON parse error: %(problem)s") % {"problem": error}) from None
        if json_depth(data) > self.max_depth:
            raise ParseError(self._too_deep())
        return data

    def _too_deep(self):
        return _("The JSON body is nested too deeply: at most %(depth)s levels.") % {"depth": self.max_depth}

    @staticmethod
    def _refuse_constant(name):
        raise ValueError(f"{name} is not a JSON value")
