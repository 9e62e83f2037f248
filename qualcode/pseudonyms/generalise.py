"""Generalising the participant table for a share package: years in bands, states in census
regions, dates in years, or a value left out. A :class:`Generalisation` names one rule per
attribute and is applied to the attribute values of the pseudonymised copy."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from qualcode.errors import QualcodeError
from qualcode.pseudonyms.vocabulary import us_states


def _codes(text: str) -> list[str]:
    return text.split()


#: the US Census Bureau's four regions, by postal code
REGIONS: dict[str, str] = {
    **dict.fromkeys(_codes("CT ME MA NH RI VT NJ NY PA"), "Northeast"),
    **dict.fromkeys(_codes("IL IN MI OH WI IA KS MN MO NE ND SD"), "Midwest"),
    **dict.fromkeys(_codes("DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA OK TX"), "South"),
    **dict.fromkeys(_codes("AZ CO ID MT NV NM UT WY AK CA HI OR WA"), "West"),
}
SUPPRESSED = "(withheld)"
RULE = re.compile(r"^(?:band:(?P<width>\d+)|region|year|suppress)$")

Value = str | float | dt.date | None


def region_of(value: str) -> str | None:
    code = us_states().get(value.strip()) or us_states().get(value.strip().upper())
    return REGIONS.get(code) if code else None


def band(value: float, width: int) -> str:
    low = int(math.floor(value / width) * width)
    return f"{low}-{low + width - 1}"


@dataclass(frozen=True)
class Generalisation:
    """attribute -> rule: ``band:N`` (numbers in bands of N), ``region`` (US states in census
    regions), ``year`` (dates), ``suppress`` (left out)."""

    rules: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Generalisation:
        """``years_experience=band:10,state=region``."""
        rules: dict[str, str] = {}
        for part in (p.strip() for p in text.split(",") if p.strip()):
            name, sep, rule = part.partition("=")
            if not sep or not RULE.match(rule.strip()):
                raise QualcodeError(
                    f"{part!r}: write a generalisation as attribute=band:N, region, year or "
                    "suppress"
                )
            rules[name.strip()] = rule.strip()
        return cls(rules)

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.rules.items()) or "none"

    def apply(self, attribute: str, value: Value) -> Value:
        rule = self.rules.get(attribute)
        if rule is None or value is None:
            return value
        if rule == "suppress":
            return SUPPRESSED
        if rule == "region":
            return region_of(str(value)) or SUPPRESSED
        if rule == "year":
            return str(value.year) if isinstance(value, dt.date) else SUPPRESSED
        width = int(rule.partition(":")[2])
        if isinstance(value, int | float):
            return band(float(value), width)
        try:
            return band(float(str(value)), width)
        except ValueError:
            return SUPPRESSED

    def changes_kind(self, attribute: str) -> bool:
        """Whether the attribute's values become text."""
        return attribute in self.rules
