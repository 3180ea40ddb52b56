"""Suggested compounding fee (Section 152, Electricity Act 2003).

Rates per kW (LT) from the Act, with the UP change of 22 Nov 2018 that halves
the rate for loads up to 1 kW except industry and tubewells (domain.md).
Sources conflict for small domestic loads, so the portal only *suggests* the
fee; the SDO confirms it per case.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

# category → (fee for load ≤ 1 kW, rate per kW above 1 kW, kW rounded up)
_RATES: dict[str, tuple[Decimal, Decimal]] = {
    "LMV-1": (Decimal("2000"), Decimal("4000")),
    "LMV-2": (Decimal("5000"), Decimal("10000")),
    "LMV-4": (Decimal("2000"), Decimal("4000")),
    "LMV-6": (Decimal("20000"), Decimal("20000")),
    "HV-2": (Decimal("20000"), Decimal("20000")),
    # Private tubewells: ₹2,000 per HP (load entered in kW; 1 HP ≈ 0.746 kW).
    "LMV-5": (Decimal("2000"), Decimal("2000")),
}
_OTHER = (Decimal("2000"), Decimal("4000"))
KW_PER_HP = Decimal("0.746")


def suggest_compounding_fee(category: str, load_kw: Decimal | None) -> Decimal | None:
    """Return the suggested fee in rupees, or None when it cannot be suggested.

    No suggestion for direct theft without a connection ("by the use found")
    or when the load is unknown.
    """
    if category == "NC" or load_kw is None:
        return None
    load = Decimal(load_kw)
    if load < 0:
        return None
    small, per_unit = _RATES.get(category, _OTHER)
    if category == "LMV-5":
        horsepower = (load / KW_PER_HP).to_integral_value(rounding=ROUND_CEILING)
        return max(Decimal("1"), horsepower) * per_unit
    if load <= 1:
        return small
    return load.to_integral_value(rounding=ROUND_CEILING) * per_unit
