"""The staff case page shows the case's registrations and their payments (from payments).

theft_cases sits below ots_scheme and payments (DESIGN §2): the page gets this
part through ``theft_cases.queries.on_case_page``, registered by
``PaymentsConfig.ready``.
"""

import pytest

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.models import PaymentPurpose


@pytest.mark.django_db
def test_case_page_lists_the_registration_and_its_payments(client, consumer_client,
                                                          pay_at_bank, registration,
                                                          as_user):
    consumer_client(registration.registration_number)
    fee = services.payment_start(registration=registration,
                                 purpose=PaymentPurpose.REGISTRATION_FEE)
    pay_at_bank(client, fee)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID

    staff = as_user("director")
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = staff.get(registration.case.get_absolute_url()).content.decode()

    part = page[page.index("Registrations and payments"):page.index("Action items")]
    assert registration.registration_number in part
    assert fee.order_id in part
    assert "₹12,346.00" in part           # the fee paid, Indian grouping
    assert "₹53,382.00" in part           # the balance still owed
    assert "Not registered." not in part
