"""Jurisdiction is one gate (STYLE.md): staff views and forms never query a
scoped model except through ``organization.scoping.visible_to``.

A rule enforced by a test rather than by memory, and the staff code is found
by the test, not listed by hand: the URLconf is walked, every view behind
``organization.scoping.staff_required`` is resolved to its function (or
class), and that code — with the helpers of its own module it calls, the
``queries`` functions it calls and the forms it builds — must read every
scoped model through ``visible_to``. A new staff view that reads
``TheftCase.objects…`` directly fails here, in whichever app it lands.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import tomllib
from pathlib import Path

import pytest
from django import forms

from tests.security.urlmap import walk

ROOT = Path(__file__).resolve().parents[2]
SCOPED = ("TheftCase", "Registration", "Payment", "ActionItem", "ActionRecord", "CaseImport",
          "Consumer", "MobileChangeRequest", "LedgerEntry", "MissingPaymentReport")
QUERY = re.compile(r"\b(" + "|".join(SCOPED) + r")\.objects\b")
GATE = "visible_to"
# Reads that must look across the whole discom, each with its reason.
ALLOWED = {
    # Case numbers are unique across the discom (DESIGN §5): the check must
    # see every unit; it answers only "taken", never the case itself.
    ("theft_cases/forms.py", "TheftCase.objects.filter(case_number__iexact=number).exists()"),
    # The duplicate warning of the case form looks discom-wide and shows a
    # case of another unit only as "a case in another unit" (the view sorts
    # them through visible_to).
    ("theft_cases/queries.py", "TheftCase.objects.filter(match)"),
}
# A read narrowed to one row already held (``registration=…``, ``case=…``
# given as an argument or fetched just before) sees no more than that row:
# the row itself came through the gate, checked here or in the staff view
# that passes it.
PARENT_KEYS = {"registration", "case", "payment", "report"}
# Staff pages live under these prefixes (DESIGN §3); each must be behind
# staff_required (the admin has its own staff login).
STAFF_PREFIXES = ("staff/", "dashboard/")


def _offences(tree: ast.AST, lines: list[str], path: str, offset: int = 0) -> list[str]:
    """Lines reading a scoped model's manager outside a ``visible_to(...)`` call."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    # Arguments, and locals (whose own read is checked here like any other).
    arguments = {a.arg for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                 for a in [*node.args.args, *node.args.kwonlyargs]}
    arguments |= {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  for t in node.targets if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "objects"
                and isinstance(node.value, ast.Name) and node.value.id in SCOPED):
            continue
        gated, up = False, parents.get(node)
        while up is not None:
            if isinstance(up, ast.Call):
                func = up.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name == GATE:
                    gated = True
                    break
            up = parents.get(up)
        line = lines[node.lineno - 1]
        if _narrowed_to_a_held_row(node, parents, arguments):
            continue
        if gated or any(path == p and snippet in line for p, snippet in ALLOWED):
            continue
        entry = f"{path}:{node.lineno + offset}: {line.strip()}"
        if entry not in found:
            found.append(entry)
    return found


def _narrowed_to_a_held_row(node: ast.AST, parents: dict, arguments: set[str]) -> bool:
    """``Model.objects.filter(registration=registration)`` with ``registration`` held."""
    method, call = parents.get(node), None
    if isinstance(method, ast.Attribute) and method.attr in ("filter", "get"):
        call = parents.get(method)
    if not isinstance(call, ast.Call):
        return False
    return any(kw.arg in PARENT_KEYS and isinstance(kw.value, ast.Name)
               and kw.value.id in arguments for kw in call.keywords)


def offending_lines(path: str, *, root: Path = ROOT) -> list[str]:
    """Check a whole module (the self-test, and every staff_views/staff_forms module)."""
    text = (root / path).read_text(encoding="utf-8")
    return _offences(ast.parse(text), text.splitlines(), path)


# --- Finding the staff code ----------------------------------------------------------


def _unwrap(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    while hasattr(callback, "__wrapped__"):
        callback = callback.__wrapped__
    return callback


def is_staff_view(callback) -> bool:
    """True when the view is behind ``staff_required`` (its mark) or a staff mixin."""
    if getattr(callback, "staff_required", False):
        return True
    view_class = getattr(callback, "view_class", None)
    return bool(view_class is not None and getattr(view_class, "staff_required", False))


def _ours(obj) -> bool:
    module = inspect.getmodule(obj)
    if module is None or not getattr(module, "__file__", None):
        return False
    path = Path(module.__file__).resolve()
    return ROOT in path.parents and ".venv" not in path.parts and "tests" not in \
        path.relative_to(ROOT).parts


def _rel(obj) -> str:
    return Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT).as_posix()


def _referenced(obj) -> list:
    """Our functions and classes that ``obj``'s source names (``f``, ``mod.f``)."""
    source = textwrap.dedent(inspect.getsource(obj))
    namespace = vars(inspect.getmodule(obj))
    found = []
    for node in ast.walk(ast.parse(source)):
        target = None
        if isinstance(node, ast.Name):
            target = namespace.get(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = namespace.get(node.value.id)
            if inspect.ismodule(module):
                target = getattr(module, node.attr, None)
        if (inspect.isfunction(target) or inspect.isclass(target)) and _ours(target):
            found.append(_unwrap(target) if inspect.isfunction(target) else target)
    return found


def _is_form(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, forms.BaseForm)


def _is_query(obj) -> bool:
    return inspect.isfunction(obj) and inspect.getmodule(obj).__name__.endswith("queries")


def staff_code() -> dict[str, object]:
    """Every function and class a staff page runs to read data, by qualified name.

    From each staff view: its own module's helpers (transitively), the
    ``queries`` functions it calls (and their helpers), and the forms it
    builds. Services are not followed: they act on rows the view already
    fetched through the gate.
    """
    found: dict[str, object] = {}
    todo = [_unwrap(r.callback) for r in walk() if is_staff_view(r.callback)]
    while todo:
        obj = todo.pop()
        name = f"{obj.__module__}.{obj.__qualname__}"
        if name in found or not _ours(obj):
            continue
        found[name] = obj
        for ref in _referenced(obj):
            same_module = ref.__module__ == obj.__module__ and inspect.isfunction(ref)
            if same_module or _is_query(ref) or _is_form(ref):
                todo.append(ref)
    return found


def staff_modules() -> list[str]:
    """Modules holding only staff code: by their name (staff_views, staff_forms),
    and the views and forms of an app that has only staff pages (defaulters)."""
    names = ("staff_views.py", "staff_forms.py")
    staff_only_apps = ("defaulters",)
    return sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/*.py")
                  if ".venv" not in p.parts and (
                      p.name in names
                      or (p.parent.name in staff_only_apps and p.name in ("views.py", "forms.py"))))


STAFF_CODE = staff_code()


def code_offences(obj) -> list[str]:
    lines, first = inspect.getsourcelines(obj)
    source = textwrap.dedent("".join(lines))
    return _offences(ast.parse(source), source.splitlines(), _rel(obj), offset=first - 1)


def test_the_walk_finds_the_staff_code():
    """Guard against the discovery silently finding nothing."""
    for name in ("theft_cases.views.case_list", "payments.staff_views.counter_payment",
                 "dashboard.staff_views.dashboard", "payments.queries.staff_registration",
                 "redportal.staff_views.staff_home"):
        assert any(found.endswith(name.rsplit(".", 1)[1]) and name.split(".")[0] in found
                   for found in STAFF_CODE), name
    assert any(_is_form(obj) for obj in STAFF_CODE.values())


def test_every_staff_url_is_behind_staff_required():
    unguarded = [r.route for r in walk()
                 if r.route.startswith(STAFF_PREFIXES) and not is_staff_view(r.callback)]
    assert unguarded == []


@pytest.mark.parametrize("name", sorted(STAFF_CODE))
def test_staff_code_reads_scoped_models_only_through_visible_to(name):
    assert code_offences(STAFF_CODE[name]) == []


@pytest.mark.parametrize("path", staff_modules())
def test_staff_module_reads_scoped_models_only_through_visible_to(path):
    assert offending_lines(path) == []


def test_the_check_catches_a_direct_query(tmp_path):
    (tmp_path / "leaky_views.py").write_text(
        "def v(request):\n    return TheftCase.objects.all()\n"
        "def w(request):\n    return visible_to(request.user, TheftCase.objects.all())\n",
        encoding="utf-8",
    )
    assert offending_lines("leaky_views.py", root=tmp_path) == [
        "leaky_views.py:2: return TheftCase.objects.all()"
    ]


def test_the_walk_catches_an_unscoped_staff_view_and_its_helper():
    """Self-test on the leaky URLconf of the security tests."""
    from django.urls import get_resolver

    routes = {r.name: r for r in walk(get_resolver("tests.security.leaky_urls"))}
    assert is_staff_view(routes["leaky"].callback) and is_staff_view(routes["scoped"].callback)
    assert not is_staff_view(routes["public"].callback)
    assert code_offences(_unwrap(routes["leaky"].callback)) != []
    assert code_offences(_unwrap(routes["scoped"].callback)) == []


APP_DIRS = ["consumers", "dashboard", "defaulters", "organization", "ots_scheme", "payments",
            "theft_cases"]
LOCK_OVER_JOIN = re.compile(r"select_for_update\((?![^)]*\bof=)[^)]*\)[\s\S]{0,80}?select_related|"
                            r"select_related\([^)]*\)[\s\S]{0,80}?select_for_update\((?![^)]*\bof=)")


def test_row_locks_over_joins_name_their_table():
    """``select_for_update`` with ``select_related`` locks every joined row on
    PostgreSQL unless ``of=`` names the tables: the load bench deadlocked on
    the shared sub-division row that way. Name them."""
    found = []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]!r}"
                      for m in LOCK_OVER_JOIN.finditer(text)]
    assert found == []


# --- Function-level imports ------------------------------------------------------------
# An import of a project module inside a function hides a dependency from the
# reader (and a cycle from the import graph): it belongs at the top of its
# module unless a framework needs it there — AppConfig.ready() hooks, the
# Celery bootstrap, a real cycle between two modules of one app — and then it
# says why on the line above (or the same line): ``# function-level: <reason>``.
# One comment covers a block of consecutive imports.

PROJECT_PACKAGES = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ["tool"]["importlinter"]["root_packages"])
REASON = re.compile(r"#\s*function-level:\s*\S")
# Files other branches were editing when this check came in (issue 13): their
# function-level imports are listed, with a reason or "can move", in the
# branch's report. Empty this once they are moved or given their reason.
PENDING_FUNCTION_LEVEL_IMPORTS: set[str] = set()


def _imports_project(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PROJECT_PACKAGES
    return isinstance(node, ast.Import) and any(
        alias.name.split(".")[0] in PROJECT_PACKAGES for alias in node.names)


def unjustified_imports(source: str, path: str) -> list[str]:
    """Function-level imports of project modules without a ``# function-level:`` reason."""
    lines, tree = source.splitlines(), ast.parse(source)
    previous: dict[ast.stmt, ast.stmt] = {}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list):
                previous.update(zip(body[1:], body[:-1], strict=False))

    def justified(node: ast.stmt) -> bool:
        if REASON.search(lines[node.lineno - 1]):
            return True
        if node.lineno > 1 and REASON.search(lines[node.lineno - 2]):
            return True
        before = previous.get(node)
        return (isinstance(before, ast.Import | ast.ImportFrom)
                and before.end_lineno == node.lineno - 1 and justified(before))

    found = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if _imports_project(node) and not justified(node):
                found.add((node.lineno, f"{path}:{node.lineno}: {lines[node.lineno - 1].strip()}"))
    return [entry for _, entry in sorted(found)]


def app_modules() -> list[str]:
    skip = {"migrations", "tests", "bench"}
    return sorted(p.relative_to(ROOT).as_posix() for package in PROJECT_PACKAGES
                  for p in (ROOT / package).rglob("*.py") if not skip & set(p.parts))


def test_function_level_imports_say_why():
    found = []
    for path in app_modules():
        if path not in PENDING_FUNCTION_LEVEL_IMPORTS:
            found += unjustified_imports((ROOT / path).read_text(encoding="utf-8"), path)
    assert found == []


def test_the_pending_list_holds_only_files_still_pending():
    """An entry whose imports moved (or got their reason) comes off the list."""
    done = [path for path in sorted(PENDING_FUNCTION_LEVEL_IMPORTS)
            if not unjustified_imports((ROOT / path).read_text(encoding="utf-8"), path)]
    assert done == []


def test_the_import_check_catches_an_unexplained_import():
    source = textwrap.dedent("""\
        import json
        from payments import models

        def bad():
            import json
            from payments.services import payment_start
            return payment_start

        def relative():
            from . import sibling

        def explained(self):
            # function-level: AppConfig.ready(), models are not loaded yet
            from payments import queries
            from theft_cases.queries import on_case_page
            from core import dates

        def same_line():
            import core.money  # function-level: a cycle, core.money imports this module

        def after_a_gap():
            # function-level: AppConfig.ready()
            from payments import queries
            x = 1
            from payments import audit
        """)
    assert unjustified_imports(source, "bad.py") == [
        "bad.py:6: from payments.services import payment_start",
        "bad.py:10: from . import sibling",
        "bad.py:25: from payments import audit",
    ]
