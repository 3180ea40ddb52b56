"""JSON bodies with exact decimals: ``123456.50`` arrives as a ``Decimal``, not a float."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DecimalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            # NaN and Infinity are refused (strict), as DRF does.
            return json.load(decoded, parse_float=Decimal, parse_constant=json_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError() from exc


def json_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")
