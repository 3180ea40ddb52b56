"""The discom's organisation tree and the staff who work in it.

UPPCL → discom → zone (Chief Engineer) → circle (Superintending Engineer) →
division (Executive Engineer) → sub-division (SDO, JE). ``path`` is a
materialised path (``mvvnl/lko-central/chowk/aminabad/aminabad-1/``) so that
"this unit and everything below it" is one indexed prefix match.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.language import active_language, in_active_language


class UnitKind(models.TextChoices):
    DISCOM = "discom", _("Discom")
    ZONE = "zone", _("Zone")
    CIRCLE = "circle", _("Circle")
    DIVISION = "division", _("Division")
    SUB_DIVISION = "subdivision", _("Sub-division")


KIND_DEPTH = {
    UnitKind.DISCOM: 0,
    UnitKind.ZONE: 1,
    UnitKind.CIRCLE: 2,
    UnitKind.DIVISION: 3,
    UnitKind.SUB_DIVISION: 4,
}


class OrgUnit(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # The office people are sent to (sub-divisions and divisions): shown on
    # every dead end of the consumer journey, in both languages (issue 16).
    address_hi = models.CharField(_("office address (Hindi)"), max_length=300, blank=True,
                                  db_default="", default="")
    address_en = models.CharField(_("office address (English)"), max_length=300, blank=True,
                                  db_default="", default="")
    phone = models.CharField(_("office phone"), max_length=40, blank=True, db_default="",
                             default="")
    hours_hi = models.CharField(_("office hours (Hindi)"), max_length=200, blank=True,
                                db_default="", default="")
    hours_en = models.CharField(_("office hours (English)"), max_length=200, blank=True,
                                db_default="", default="")

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        indexes = [
            # Prefix LIKE on PostgreSQL needs the pattern operator class.
            models.Index(
                fields=["path"], name="orgunit_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language (Hindi first)."""
        return self.name_en if active_language() == "en" else self.name_hi

    @property
    def address(self) -> str:
        """Return the office address in the active language (the other if blank)."""
        return in_active_language(self.address_hi, self.address_en)

    @property
    def hours(self) -> str:
        return in_active_language(self.hours_hi, self.hours_en)

    @property
    def has_contact(self) -> bool:
        return bool(self.address_hi or self.address_en or self.phone)

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}/"

    def ancestors(self):
        """Return the units above this one, top first."""
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class Role(models.TextChoices):
    JE = "je", _("Junior Engineer")
    SDO = "sdo", _("Sub-divisional Officer")
    XEN = "xen", _("Executive Engineer")
    SE = "se", _("Superintending Engineer")
    CE = "ce", _("Chief Engineer")
    DIRECTOR = "director", _("Director (Commercial)")
    IT_SUPPORT = "itsupport", _("IT support officer")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff")
    mobile = models.CharField(_("mobile"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()}, {self.unit.code})"
