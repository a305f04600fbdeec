"""The audit administrator's pages: read the log, verify the chains. Nothing here writes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.audit.models import AuditEvent
from kaohe.audit.services import audit_verify
from kaohe.org.access import Permission, permission_required


@permission_required(Permission.AUDIT_VIEW)
def log(request: HttpRequest) -> HttpResponse:
    chain = request.user.county.code  # type: ignore[union-attr]
    events = AuditEvent.objects.filter(chain=chain).order_by("-seq")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    problems = audit_verify(chain=chain) if request.GET.get("verify") else None
    return render(request, "audit/log.html", {"page": page, "problems": problems})
