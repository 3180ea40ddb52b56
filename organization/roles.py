"""Roles and the model permissions each role's Django group carries."""

from organization.models import Role

_VIEW_ALL = [
    "theft_cases.view_theftcase",
    "theft_cases.view_caseimport",
    "defaulters.view_actionitem",
    "defaulters.view_actionrecord",
    "theft_cases.view_consumer",
    "ots_scheme.view_scheme",
    "ots_scheme.view_phase",
    "ots_scheme.view_registration",
    "payments.view_payment",
]
_FIELD_WORK = [
    "theft_cases.add_theftcase",
    "theft_cases.change_theftcase",
    "theft_cases.add_caseimport",
    "defaulters.add_actionrecord",
    "defaulters.change_actionitem",
    "theft_cases.change_consumer",
    "ots_scheme.add_registration",
    "ots_scheme.change_registration",
    "payments.add_payment",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.JE: _VIEW_ALL + _FIELD_WORK,
    Role.SDO: _VIEW_ALL + _FIELD_WORK,
    Role.XEN: _VIEW_ALL + _FIELD_WORK,
    Role.SE: _VIEW_ALL + _FIELD_WORK,
    Role.CE: _VIEW_ALL + _FIELD_WORK,
    Role.DIRECTOR: _VIEW_ALL + ["theft_cases.add_caseimport", "theft_cases.add_theftcase"],
    Role.IT_SUPPORT: _VIEW_ALL
    + [
        "theft_cases.change_theftcase",
        "theft_cases.change_consumer",
        "messaging.view_otpchallenge",
        "messaging.view_smsmessage",
        "ots_scheme.change_registration",
    ],
}


def group_name(role: str) -> str:
    return Role(role).label
