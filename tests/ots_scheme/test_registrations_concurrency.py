"""Two people registering one case at the same moment end with one registration."""

import threading

import pytest
from django.db import connection, connections

from ots_scheme import registrations
from ots_scheme.models import Registration
from ots_scheme.registrations import RegistrationError
from tests.factories import TheftCaseFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_for_one_case_end_with_exactly_one(org_tree, schemes):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (runs in the PostgreSQL run)")
    case = TheftCaseFactory()
    scheme = schemes["DEMO-OTS-THEFT"]
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt(n):
        try:
            barrier.wait()
            registrations.registration_create(
                case=case, scheme=scheme, applicant_name=f"Person {n}",
                father_or_husband_name="", address="Aminabad", mobile="9876543210",
                declaration_accepted=True,
            )
            outcomes.append("created")
        except RegistrationError as err:
            outcomes.append(err.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["already_registered"] * 3 + ["created"]
    assert Registration.objects.filter(case=case).count() == 1
