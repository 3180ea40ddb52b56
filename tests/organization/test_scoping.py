"""Jurisdiction: each officer sees their unit and everything below it."""

import pytest

from organization.scoping import visible_to
from tests.factories import TheftCaseFactory
from theft_cases.models import TheftCase


@pytest.fixture
def cases(org_tree):
    made = {}
    for code in ["aminabad-1", "aminabad-2", "victoria", "chowk-sd", "indiranagar-1"]:
        made[code] = TheftCaseFactory(sub_division=org_tree[code])
    return made


def _visible(user):
    return set(visible_to(user, TheftCase.objects.all()).values_list("sub_division__code",
                                                                     flat=True))


@pytest.mark.django_db
def test_je_sees_only_own_sub_division(users, cases):
    assert _visible(users["je_aminabad"]) == {"aminabad-1"}
    assert _visible(users["sdo_aminabad"]) == {"aminabad-1"}


@pytest.mark.django_db
def test_xen_sees_whole_division(users, cases):
    assert _visible(users["xen_aminabad"]) == {"aminabad-1", "aminabad-2"}


@pytest.mark.django_db
def test_je_chowk_sees_none_of_aminabad(users, cases):
    seen = _visible(users["je_chowk"])
    assert seen == {"victoria"}
    assert not seen & {"aminabad-1", "aminabad-2"}


@pytest.mark.django_db
def test_director_and_it_support_see_everything(users, cases):
    everything = set(cases)
    assert _visible(users["director"]) == everything
    assert _visible(users["itsupport"]) == everything
    assert _visible(users["admin"]) == everything


@pytest.mark.django_db
def test_user_without_profile_sees_nothing(org_tree, cases, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-long-password")
    assert _visible(stranger) == set()


@pytest.mark.django_db
def test_similar_code_prefix_does_not_leak(org_tree, users):
    """`aminabad-1/` must not match a sibling whose code merely starts alike."""
    from organization.models import OrgUnit, UnitKind

    odd = OrgUnit(kind=UnitKind.SUB_DIVISION, code="aminabad-10", parent=org_tree["aminabad"],
                  name_en="x", name_hi="x")
    odd.path = odd.compute_path()
    odd.save()
    TheftCaseFactory(sub_division=odd)
    TheftCaseFactory(sub_division=org_tree["aminabad-1"])
    assert _visible(users["je_aminabad"]) == {"aminabad-1"}
    assert _visible(users["xen_aminabad"]) == {"aminabad-1", "aminabad-10"}
