"""The org tree loads from its data file, idempotently, and refuses bad trees."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from organization.models import OrgUnit, UnitKind

TREE = Path(__file__).resolve().parents[2] / "organization/data/mvvnl_lesa.csv"


def run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command(*args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


@pytest.mark.django_db
def test_load_twice_is_idempotent():
    code, first = run("load_org_tree", str(TREE))
    assert code == 0 and first["created"] == 60
    code, second = run("load_org_tree", str(TREE))
    assert second == {"created": 0, "updated": 0, "unchanged": 60}
    assert OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION).count() == 32
    victoria = OrgUnit.objects.get(code="victoria")
    assert victoria.path == "mvvnl/lko-central/chowk-circle/chowk/victoria/"
    assert [u.code for u in victoria.ancestors()] == ["mvvnl", "lko-central", "chowk-circle",
                                                       "chowk"]


@pytest.mark.django_db
def test_bad_tree_changes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,code,parent_code,name_en,name_hi\n"
        "discom,mvvnl,,MVVNL,मवविनि\n"
        "division,orphan,nowhere,Orphan,अनाथ\n",
        encoding="utf-8",
    )
    code, out = run("load_org_tree", str(bad))
    assert code == 2
    assert "nowhere" in out["error"]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_renamed_unit_updates(tmp_path):
    run("load_org_tree", str(TREE))
    changed = tmp_path / "t.csv"
    text = TREE.read_text(encoding="utf-8").replace("Aminabad Division", "Aminabad Khand")
    changed.write_text(text, encoding="utf-8")
    code, out = run("load_org_tree", str(changed))
    assert code == 0 and out["updated"] == 1
    assert OrgUnit.objects.get(code="aminabad").name_en == "Aminabad Khand"


@pytest.mark.django_db
def test_office_contacts_load_and_a_file_without_them_keeps_admin_edits(tmp_path, client):
    run("load_org_tree", str(TREE))
    office = OrgUnit.objects.get(code="aminabad-1")
    assert office.phone.startswith("0522-") and office.address_hi and office.hours_en
    office.phone = "0522-2999999"  # corrected in the admin
    office.save()
    bare = tmp_path / "bare.csv"
    lines = TREE.read_text(encoding="utf-8").splitlines()
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["kind", "code", "parent_code", "name_en",
                                             "name_hi"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    bare.write_text(out.getvalue(), encoding="utf-8")
    code, result = run("load_org_tree", str(bare))
    assert code == 0 and result["updated"] == 0
    assert OrgUnit.objects.get(code="aminabad-1").phone == "0522-2999999"
    code, result = run("load_org_tree", str(TREE))  # the file's contacts win again
    assert result["updated"] == 1


@pytest.mark.django_db
def test_office_contacts_are_editable_in_the_admin(admin_client):
    run("load_org_tree", str(TREE))
    office = OrgUnit.objects.get(code="aminabad-1")
    page = admin_client.get(f"/admin/organization/orgunit/{office.pk}/change/")
    text = page.content.decode()
    for field in ("address_hi", "address_en", "phone", "hours_hi", "hours_en"):
        assert f'name="{field}"' in text
