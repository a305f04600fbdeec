"""The organisation: counties, categories, units, cadres and the users bound to roles and scopes.

Every county-owned row carries its county (DESIGN.md rule 9), so one server can host a whole
prefecture and the tables can later be distributed by county.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A county-level division; the tenant. Its prefecture and province rank it among peers."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    prefecture = models.CharField(_("prefecture"), max_length=64)
    prefecture_code = models.CharField(_("prefecture code"), max_length=12)
    province = models.CharField(_("province"), max_length=64)
    # A peer is a county we rank against but do not host (no units, no users).
    is_hosted = models.BooleanField(_("hosted"), default=True)
    # Short prefix for official document numbers, e.g. 保 in 保绩提〔2022〕12号.
    short_name = models.CharField(_("short name"), max_length=8, blank=True)
    # Synthetic data is labelled as such wherever it is shown.
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("Township")
    DEPARTMENT = "department", _("County department")


class Category(models.Model):
    """A group of units appraised with the same indicators and weights (分类考核)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="categories")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="category_code_per_county")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A township or county department: assessed, assessing, a supervision office, or several."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    # The unit it belongs to (a township's station, a bureau's affiliated centre); counties whose
    # organisation chart has levels keep them, and a flat county leaves it empty.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    is_assessed = models.BooleanField(_("assessed"), default=True)
    is_assessing = models.BooleanField(_("assessing"), default=False)
    is_supervision = models.BooleanField(_("supervision office"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="unit_code_per_county")
        ]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    """An official whose record the results feed (干部)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="cadres")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=32)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cadres"
    )
    post = models.CharField(_("post"), max_length=64)
    rank = models.CharField(_("rank"), max_length=32)
    is_county_leader = models.BooleanField(_("county leader"), default=False)
    portfolio = models.CharField(_("portfolio"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="cadre_code_per_county")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("Performance office")
    ASSESSOR = "assessor", _("Assessing department")
    UNIT = "unit", _("Assessed unit")
    LEADER = "leader", _("County leader")
    SUPERVISOR = "supervisor", _("Supervision office")
    ORGANISATION = "organisation", _("Organisation department")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITADMIN = "auditadmin", _("Audit administrator")


class Scope(models.TextChoices):
    OWN_UNIT = "own_unit", _("Own unit")
    OWN_INDICATORS = "own_indicators", _("Own indicators")
    COUNTY = "county", _("Whole county")
    NONE = "none", _("No business data")


class User(AbstractUser):
    """An account of one county, bound to one role and the data scope that role implies.

    A platform administrator (system or security administrator of the server, i.e. of the
    prefecture or province hosting the counties) has no county: it creates counties and their
    accounts and never sees business data (docs/access.md).
    """

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    failed_logins = models.PositiveIntegerField(_("failed logins"), default=0)
    # Set when an administrator issued the password (an initial one); the login sends the user
    # to change it, so nobody but the user knows the password they work with.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username


class Notification(models.Model):
    """A message in a user's in-app inbox (also sent by e-mail when the user has an address)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32)
    # The same reminder is sent once: (user, key) is unique, so re-running a job repeats nothing.
    key = models.CharField(max_length=128)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]

    def __str__(self) -> str:
        return self.title
