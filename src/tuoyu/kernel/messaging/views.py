from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tuoyu.kernel.accounts.access import Action, get_for, scoped
from tuoyu.kernel.messaging.models import Notification
from tuoyu.kernel.messaging.services import notification_read, notifications_read_all, unread_count


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = scoped(request.user, Notification.objects.select_related("message")).order_by(
        "-message__created_at"
    )[:200]
    return render(request, "messaging/inbox.html", {"rows": rows, "unread": unread_count(request.user)})


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice to the page it concerns; opening it is reading it."""
    notification = get_for(request.user, Notification.objects.select_related("message"), pk, Action.CHANGE)
    notification_read(user=request.user, notification=notification)
    link = notification.message.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("messaging:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_for(request.user, Notification.objects.all(), pk, Action.CHANGE)
    notification_read(user=request.user, notification=notification)
    return redirect("messaging:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_read_all(user=request.user)
    return redirect("messaging:inbox")
