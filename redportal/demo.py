"""Demo data for `seed_demo`: users, schemes and plausible synthetic cases.

Everything is deterministic (a fixed random seed and case numbers derived
from a counter) so that running the seed twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.dates import IST, today_ist
from organization.models import OrgUnit, Role, UnitKind
from organization.services import role_groups_ensure, staff_user_ensure
from ots_scheme import catalogue
from ots_scheme.models import Phase, Scheme
from theft_cases.compounding import suggest_compounding_fee
from theft_cases.models import Category, Consumer, TheftCase, TheftType

DEMO_USERS = [
    ("director", Role.DIRECTOR, "mvvnl", "Director", "Commercial"),
    ("xen_aminabad", Role.XEN, "aminabad", "Executive Engineer", "Aminabad"),
    ("sdo_aminabad", Role.SDO, "aminabad-1", "SDO", "Aminabad I"),
    ("je_aminabad", Role.JE, "aminabad-1", "JE", "Aminabad I"),
    ("je_chowk", Role.JE, "victoria", "JE", "Victoria"),
    ("itsupport", Role.IT_SUPPORT, "mvvnl", "IT", "Support"),
]

OTS_THEFT_23 = {
    "code": "OTS-THEFT-23",
    "name_en": "OTS Theft-23: one-time settlement of 2023 theft cases",
    "name_hi": "ओटीएस थेफ्ट-23: वर्ष 2023 के बिजली चोरी मामलों का एकमुश्त समाधान",
    "eligible_from": dt.date(2023, 1, 1),
    "eligible_to": dt.date(2023, 12, 31),
    "phases": [
        (1, dt.date(2025, 12, 1), dt.date(2026, 1, 3), Decimal("50")),
        (2, dt.date(2026, 1, 4), dt.date(2026, 1, 31), Decimal("55")),
        (3, dt.date(2026, 2, 1), dt.date(2026, 2, 28), Decimal("60")),
    ],
}
DEMO_CODE = "DEMO-OTS-THEFT"


def ensure_users() -> int:
    role_groups_ensure()
    created = 0
    for username, role, unit, first, last in DEMO_USERS:
        created += staff_user_ensure(
            username=username, role=role, unit_code=unit,
            password=settings.DEMO_PASSWORD, first_name=first, last_name=last,
        )
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "", settings.DEMO_PASSWORD)
        created += 1
    return created


def _ensure_scheme(*, code, name_en, name_hi, eligible_from, eligible_to, phases,
                   is_demo=False) -> bool:
    scheme, created = Scheme.objects.get_or_create(
        code=code,
        defaults={
            "name_en": name_en, "name_hi": name_hi, "eligible_from": eligible_from,
            "eligible_to": eligible_to, "is_demo": is_demo,
        },
    )
    if created:
        for number, starts, ends, percent in phases:
            Phase.objects.create(
                scheme=scheme, number=number, starts_on=starts, ends_on=ends,
                payable_percent=percent,
            )
    return created


def demo_phases(start: dt.date):
    """Phases of the demo scheme: the real rules, phase 1 opening on ``start``."""
    p1_end = start + dt.timedelta(days=33)
    p2_end = p1_end + dt.timedelta(days=28)
    p3_end = p2_end + dt.timedelta(days=28)
    return [
        (1, start, p1_end, Decimal("50")),
        (2, p1_end + dt.timedelta(days=1), p2_end, Decimal("55")),
        (3, p2_end + dt.timedelta(days=1), p3_end, Decimal("60")),
    ]


@transaction.atomic
def ensure_schemes(today: dt.date | None = None) -> int:
    today = today or today_ist()
    created = _ensure_scheme(**OTS_THEFT_23)
    created += _ensure_scheme(
        code=DEMO_CODE,
        name_en="DEMO: OTS Theft-23 rules, open today (for trying the portal)",
        name_hi="डेमो: ओटीएस थेफ्ट-23 के नियम, आज से खुली (पोर्टल आज़माने के लिए)",
        eligible_from=dt.date(2023, 1, 1), eligible_to=dt.date(2023, 12, 31),
        phases=demo_phases(today), is_demo=True,
    )
    demo = Scheme.objects.get(code=DEMO_CODE)
    last = demo.phases.order_by("-ends_on").first()
    if last is not None and last.ends_on < today:
        # A demo left over from an earlier season: reopen it from today.
        for number, starts, ends, percent in demo_phases(today):
            demo.phases.filter(number=number).update(
                starts_on=starts, ends_on=ends, payable_percent=percent
            )
        # update() sends no signal: tell the scheme catalogue (ots_scheme.catalogue).
        catalogue.forget()
        transaction.on_commit(catalogue.forget)
    return created


HINDI_FIRST = ["राम", "श्याम", "मोहन", "सुरेश", "रमेश", "अनिल", "सुनीता", "गीता",
               "मोहम्मद", "अब्दुल", "राजेश", "पूजा", "विनोद", "कमला", "इरफ़ान", "सलमा"]
HINDI_LAST = ["कुमार", "यादव", "वर्मा", "शुक्ला", "त्रिपाठी", "सिंह", "खान", "गुप्ता",
              "मिश्रा", "श्रीवास्तव", "अंसारी", "रावत"]
LATIN_FIRST = ["Ram", "Shyam", "Mohan", "Suresh", "Ramesh", "Anil", "Sunita", "Geeta",
               "Mohammad", "Abdul", "Rajesh", "Pooja", "Vinod", "Kamla", "Irfan", "Salma"]
LATIN_LAST = ["Kumar", "Yadav", "Verma", "Shukla", "Tripathi", "Singh", "Khan", "Gupta",
              "Mishra", "Srivastava", "Ansari", "Rawat"]
LOCALITIES = ["Aminabad", "Chowk", "Thakurganj", "Aishbagh", "Daliganj", "Hasanganj",
              "Alambagh", "Indiranagar", "Chinhat", "Mahanagar", "Khadra", "BKT"]
# category: (share, load range kW, tariff ₹/unit, hours a day)
CATEGORY_MIX = {
    Category.LMV1: (60, (1, 5), Decimal("6.5"), 18),
    Category.LMV2: (18, (1, 10), Decimal("9.0"), 20),
    Category.LMV5: (4, (3, 10), Decimal("2.0"), 10),
    Category.LMV6: (6, (5, 50), Decimal("8.0"), 10),
    Category.NC: (12, (1, 3), Decimal("6.5"), 18),
}
THEFT_TYPES = [TheftType.DIRECT, TheftType.BYPASS, TheftType.TAMPERING,
               TheftType.UNAUTHORISED_USE, TheftType.OTHER]


def synthetic_case(rng: random.Random, serial: int, sub_divisions: list[OrgUnit],
                   today: dt.date) -> tuple[dict, dict]:
    """Return (consumer fields, case fields) for one plausible theft case."""
    categories = list(CATEGORY_MIX)
    category = rng.choices(categories, weights=[CATEGORY_MIX[c][0] for c in categories])[0]
    _, (lo, hi), tariff, hours = CATEGORY_MIX[category]
    load = Decimal(rng.randint(lo * 2, hi * 2)) / 2
    detected = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    days_billed = rng.randint(90, 365)
    # Assessment: units at twice the tariff (domain.md), factor 0.5 for use.
    units = load * hours * days_billed * Decimal("0.5")
    assessment = (units * tariff * 2).quantize(Decimal("1"))
    fee = suggest_compounding_fee(category, load) or Decimal("4000") * max(1, int(load))
    sub_division = sub_divisions[serial % len(sub_divisions)]
    hindi = rng.random() < 0.6
    first = rng.choice(HINDI_FIRST if hindi else LATIN_FIRST)
    last = rng.choice(HINDI_LAST if hindi else LATIN_LAST)
    father = rng.choice(HINDI_FIRST if hindi else LATIN_FIRST) + " " + last
    house = rng.randint(1, 700)
    locality = rng.choice(LOCALITIES)
    consumer = {
        "name": f"{first} {last}",
        "father_or_husband_name": father,
        "address": f"{house}/{rng.randint(1, 99)}, {locality}, Lucknow",
        "mobile": f"{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
        if rng.random() < 0.75 else "",
        "account_number": "" if category == Category.NC else f"{rng.randint(0, 10**10 - 1):010d}",
    }
    latest_feed = min(today, detected + dt.timedelta(days=700))
    earliest_feed = detected + dt.timedelta(days=35)
    span = max(0, (latest_feed - earliest_feed).days)
    fed_on = earliest_feed + dt.timedelta(days=rng.randint(0, span))
    division_code = sub_division.path.strip("/").split("/")[-2][:3].upper()
    case = {
        "case_number": f"LKO/{division_code}/2023/{serial:05d}",
        "detection_date": detected,
        "sub_division": sub_division,
        "category": category,
        "theft_type": rng.choice(THEFT_TYPES if category != Category.NC else THEFT_TYPES[:1]),
        "load_kw": load,
        "fir_number": f"{rng.randint(1, 999)}/2023" if rng.random() < 0.6 else "",
        "police_station": "Anti Power Theft PS, Lucknow" if rng.random() < 0.6 else "",
        "assessment_amount": assessment,
        "compounding_fee": fee,
        "deposited_amount": Decimal(rng.choice([0, 0, 0, 1000, 2500, 5000])),
        "fed_at": dt.datetime.combine(fed_on, dt.time(11, 0), tzinfo=IST),
    }
    return consumer, case


@transaction.atomic
def ensure_cases(count: int, today: dt.date | None = None) -> int:
    """Make sure synthetic cases 1..count exist; return how many were created."""
    today = today or today_ist()
    sub_divisions = list(OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION).order_by("path"))
    if not sub_divisions or count <= 0:
        return 0
    rng = random.Random(2023)  # noqa: S311  # nosec B311 - demo data, not security
    wanted = []
    for serial in range(1, count + 1):
        wanted.append(synthetic_case(rng, serial, sub_divisions, today))
    existing = set(
        TheftCase.objects.filter(
            case_number__in=[c["case_number"] for _, c in wanted]
        ).values_list("case_number", flat=True)
    )
    missing = [(p, c) for p, c in wanted if c["case_number"] not in existing]
    if not missing:
        return 0
    consumers = Consumer.objects.bulk_create([Consumer(**p) for p, _ in missing])
    if not consumers[0].pk:  # backends that do not return ids (none we use)
        raise RuntimeError("bulk_create did not return primary keys")
    cases = [TheftCase(consumer=person, **fields)
             for person, (_, fields) in zip(consumers, missing, strict=True)]
    bulk_create_with_history(cases, TheftCase, batch_size=1000)
    return len(cases)
