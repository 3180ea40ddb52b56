"""Values every template may use."""

from organization.scoping import is_staff_user, user_unit
from redportal import deployment, sessions


def portal(request):
    user = getattr(request, "user", None)
    return {
        "is_staff_user": bool(user and is_staff_user(user)),
        "staff_unit": user_unit(user) if user else None,
        # A staging site with the sandbox bank: every page says so (DESIGN §3).
        "test_site": deployment.test_site(),
        # A consumer's journey in this browser: offer "Finish" (shared computers).
        "consumer_session": sessions.is_consumer_session(request),
    }
