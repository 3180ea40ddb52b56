"""Values every template may use."""

from organization.scoping import is_staff_user, user_unit


def portal(request):
    user = getattr(request, "user", None)
    return {
        "is_staff_user": bool(user and is_staff_user(user)),
        "staff_unit": user_unit(user) if user else None,
    }
