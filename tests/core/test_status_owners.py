"""Every status field has one owner module (STYLE.md; issue 12).

The statuses of a registration, a case and a payment are each assigned in
one owner only: ``ots_scheme/lifecycle/``, ``theft_cases/lifecycle.py``
and ``payments/services/`` (an owner ending in "/" is a package split by
sub-domain: one owner however many files). The check reads the source (``ast``): an
attribute store ``x.status = …``, a ``status=`` keyword to ``update`` /
``create`` / a model constructor, a ``"status"`` key in a set-based insert,
or ``"status"`` in the fields of a bulk update. The value names its model
through its enum (``RegistrationStatus.SETTLED`` is a registration's); a
write whose enum cannot be seen (a variable, a bare string) is allowed only
in a module that owns a status field. Reads (``filter(status=…)``) use the
enums too, never bare strings such as ``"success"``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["consumers", "common", "core", "dashboard", "organization", "ots_scheme", "payments",
            "theft_cases", "redportal", "messaging", "defaulters", "api"]
# Generators of synthetic bench data write rows wholesale; they live in bench/
# (issue 13), outside APP_DIRS.
SKIP: set[str] = set()

OWNERS = {
    "RegistrationStatus": {"ots_scheme/lifecycle/"},
    "CaseStatus": {"theft_cases/lifecycle.py"},
    "PaymentStatus": {"payments/services/"},
    # The other status fields, with their owners today.
    "ActionStatus": {"defaulters/actions.py"},
    "ImportStatus": {"theft_cases/services.py", "theft_cases/importing.py"},
    "SmsStatus": {"messaging/sms.py"},
    "SandboxStatus": {"payments/gateways/sandbox.py"},
    "MobileChangeStatus": {"consumers/mobile_change.py"},
}
MUST_HAVE_ONE_OWNER = ("RegistrationStatus", "CaseStatus", "PaymentStatus")
ANY_OWNER = set().union(*OWNERS.values())


def owned_by(rel: str, owners: set[str]) -> bool:
    """True when ``rel`` is one of ``owners`` or inside an owner package ("pkg/")."""
    return any(rel == owner or (owner.endswith("/") and rel.startswith(owner))
               for owner in owners)
STATUS_WORDS = {"submitted", "fee_paid", "verified", "settled", "lapsed", "rejected",
                "expired", "initiated", "pending", "success", "failed", "fed", "registered",
                "flagged", "action_taken"}
WRITE_CALLS = {"update", "create", "get_or_create", "update_or_create"}
MODELS = {"Registration", "TheftCase", "Payment", "ActionItem", "CaseImport", "SmsMessage",
          "SandboxTransaction"}


def _enums(node: ast.AST) -> set[str]:
    return {n.value.id for n in ast.walk(node)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id in OWNERS}


def status_writes(source: str) -> list[tuple[int, set[str]]]:
    """Return (line, enums named by the written value) for each status write."""
    writes = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    writes.append((node.lineno, _enums(node.value)))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            is_model = isinstance(func, ast.Name) and name in MODELS
            root = func
            while isinstance(root, ast.Attribute | ast.Call):
                root = root.value if isinstance(root, ast.Attribute) else root.func
            # ``ApiRequestLog.objects.create(status=200)``: an HTTP status of
            # a model with no lifecycle, not a status field of ours.
            other_model = (isinstance(root, ast.Name) and root.id[:1].isupper()
                           and root.id not in MODELS)
            if (name in WRITE_CALLS and not other_model) or is_model:
                for kw in node.keywords:
                    if kw.arg == "status":
                        writes.append((node.lineno, _enums(kw.value)))
            if "bulk_update" in name:
                for arg in [*node.args, *[k.value for k in node.keywords]]:
                    if isinstance(arg, ast.List | ast.Tuple) and any(
                            isinstance(e, ast.Constant) and e.value == "status"
                            for e in arg.elts):
                        writes.append((node.lineno, set()))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                # A row for a set-based insert; a JSON body's "status" is not one.
                if isinstance(key, ast.Constant) and key.value == "status" and _enums(value):
                    writes.append((node.lineno, _enums(value)))
    return writes


def bare_status_reads(source: str) -> list[int]:
    """Lines filtering on a status with a bare string instead of its enum."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in ("status", "status__in"):
                    values = (kw.value.elts if isinstance(kw.value, ast.List | ast.Tuple)
                              else [kw.value])
                    if any(isinstance(v, ast.Constant) and v.value in STATUS_WORDS
                           for v in values):
                        found.append(node.lineno)
    return found


def modules():
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).exists() else []:
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in SKIP:
                continue
            yield rel, path.read_text(encoding="utf-8")


def violations() -> list[str]:
    found = []
    for rel, source in modules():
        for line, enums in status_writes(source):
            if not enums:
                if not owned_by(rel, ANY_OWNER):
                    found.append(f"{rel}:{line}: assigns a status outside every owner module")
                continue
            for enum in enums:
                if not owned_by(rel, OWNERS[enum]):
                    found.append(f"{rel}:{line}: assigns {enum} outside "
                                 f"{sorted(OWNERS[enum])}")
        for line in bare_status_reads(source):
            found.append(f"{rel}:{line}: a bare status string; use the model's enum")
    return found


def test_each_status_field_is_assigned_only_by_its_owner():
    assert violations() == []


def test_every_owner_module_exists():
    """An owner left behind by a move would let any module with its name write."""
    assert sorted(p for p in ANY_OWNER if not (ROOT / p).exists()) == []


def test_the_three_money_statuses_have_exactly_one_owner():
    for enum in MUST_HAVE_ONE_OWNER:
        assert len(OWNERS[enum]) == 1


def test_the_check_catches_a_stray_assignment():
    source = (
        "def f(reg, case, qs):\n"
        "    reg.status = RegistrationStatus.SETTLED\n"
        "    qs.update(status=CaseStatus.FLAGGED)\n"
        "    Payment(status=PaymentStatus.SUCCESS)\n"
        "    qs.filter(status='success')\n"
    )
    writes = status_writes(source)
    assert writes == [(2, {"RegistrationStatus"}), (3, {"CaseStatus"}), (4, {"PaymentStatus"})]
    assert bare_status_reads(source) == [5]
