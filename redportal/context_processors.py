"""Values every template may use."""

from functools import cache

from django.contrib.staticfiles import finders

from organization.scoping import is_staff_user, user_unit
from redportal import deployment, sessions

# Bootstrap purged of unused rules for the public pages (tools/purgecss.config.cjs,
# built by `make setup`); staff pages, and a checkout not yet built, get the full file.
PUBLIC_BOOTSTRAP = "build/bootstrap.min.css"
FULL_BOOTSTRAP = "vendor/bootstrap/css/bootstrap.min.css"


@cache
def _public_bootstrap_built() -> bool:
    return finders.find(PUBLIC_BOOTSTRAP) is not None


def portal(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_user(user))
    return {
        "is_staff_user": staff,
        "staff_unit": user_unit(user) if user else None,
        "bootstrap_css": FULL_BOOTSTRAP if staff or not _public_bootstrap_built()
        else PUBLIC_BOOTSTRAP,
        # A staging site with the sandbox bank: every page says so (DESIGN §3).
        "test_site": deployment.test_site(),
        # A consumer's journey in this browser: offer "Finish" (shared computers).
        "consumer_session": sessions.is_consumer_session(request),
    }
