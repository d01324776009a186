"""Pages of what an institution publishes: its page for the manager, regulators and its families."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu import clock, inputs
from tuoyu.domains.disclosure import selectors
from tuoyu.domains.disclosure.actions import PUBLISH
from tuoyu.domains.disclosure.forms import FeeItemForm, MealAccountForm, MenuForm, NoticeForm
from tuoyu.domains.disclosure.models import WEEKDAYS, FeeItem, Meal, Notice
from tuoyu.domains.disclosure.services import (
    fee_item_save,
    fee_item_withdraw,
    meal_account_publish,
    menu_publish,
    notice_send,
    week_of,
)
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import AccessDenied, can, can_list, get_for, permits, require_page, scoped
from tuoyu.kernel.people.models import Child
from tuoyu.kernel.registry.models import Institution
from tuoyu.kernel.registry.own_institution import to_own_institution


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return to_own_institution(request, PUBLISH, "disclosure:institution", "信息公示由机构负责人发布。")


def _readable(request: HttpRequest, pk: int) -> Institution:
    """The institution, for a post that reads it or a family with a child in its care; else 404."""
    place = Institution.objects.select_related("subdistrict").filter(pk=pk).first()
    if place is None:
        raise Http404
    if can(request.user, place) or scoped(request.user, Child.objects.filter(institution=place)).exists():
        require_page(request.user, can_list(request.user, FeeItem), "本账号不查看机构的收费、食谱和通知。")
        return place
    raise Http404


def _publishing(request: HttpRequest, pk: int) -> Institution:
    place = _readable(request, pk)
    if not permits(request.user, PUBLISH, place):
        raise PermissionDenied
    return place


def _page(request: HttpRequest, place: Institution, status: int = 200, **forms) -> HttpResponse:
    today_ = clock.today()
    week = week_of(inputs.query_date(request, "week", default=today_))
    publishes = permits(request.user, PUBLISH, place)
    week_menu = selectors.menu(request.user, place, week)  # "menu" is the site's navigation
    context = {
        "institution": place,
        "publishes": publishes,
        "fees": selectors.fees(request.user, place, today_),
        "week": week,
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "menu_rows": _menu_rows(week_menu),
        "week_menu": week_menu,
        "accounts": selectors.accounts(request.user, place),
        "notices": selectors.notices(request.user, place),
        "reads_notices": can_list(request.user, Notice),
    }
    if publishes:
        context |= {
            "fee_form": forms.get("fee_form") or FeeItemForm(),
            "account_form": forms.get("account_form") or MealAccountForm(),
            "notice_form": forms.get("notice_form") or NoticeForm(institution=place),
        }
    return render(request, "disclosure/institution.html", context, status=status)


def _menu_rows(menu) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each day served, with its meals served, in order: read on a phone as a list, not a grid."""
    if menu is None:
        return []
    return [
        (
            WEEKDAYS[int(day)],
            [(label, menu.dishes[day][meal]) for meal, label in Meal.choices if menu.dishes[day].get(meal)],
        )
        for day in sorted(menu.dishes, key=int)
    ]


@login_required
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _readable(request, pk))


def _done(request: HttpRequest, place: Institution, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('disclosure:institution', args=[place.pk])}#{anchor}")


@login_required
@require_POST
def fee_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _publishing(request, pk)
    form = FeeItemForm(request.POST)
    if form.is_valid():
        try:
            item = fee_item_save(actor=request.actor, institution=place, values=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            return _done(request, place, f"已公示收费项目“{item.name}”。", "fees")
    return _page(request, place, status=400, fee_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def fee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for(request.user, FeeItem.objects.select_related("institution__subdistrict"), pk)
    place = item.institution
    if not permits(request.user, PUBLISH, place) or item.withdrawn_on is not None:
        raise PermissionDenied
    form = FeeItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            fee_item_save(actor=request.actor, institution=place, values=form.cleaned_data, item=item)
        except DomainError as error:
            form.add_error(None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            return _done(request, place, "收费项目已保存。", "fees")
    context = {"institution": place, "item": item, "form": form}
    return render(request, "disclosure/fee_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def fee_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for(request.user, FeeItem.objects.select_related("institution__subdistrict"), pk)
    try:
        fee_item_withdraw(actor=request.actor, item=item)
    except AccessDenied:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("disclosure:institution", item.institution_id)
    return _done(request, item.institution, f"“{item.name}”已停止收取。", "fees")


@login_required
@require_http_methods(["GET", "POST"])
def menu(request: HttpRequest, pk: int) -> HttpResponse:
    place = _publishing(request, pk)
    week = week_of(inputs.query_date(request, "week", default=clock.today()))
    stored = selectors.menu(request.user, place, week)
    weekend = bool(inputs.query_flag(request, "weekend"))
    form = MenuForm(request.POST or None, menu=stored, weekend=weekend, initial={"week": week})
    if request.method == "POST" and form.is_valid():
        try:
            published = menu_publish(
                actor=request.actor,
                institution=place,
                week=week_of(form.cleaned_data["week"]),
                dishes=form.dishes(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            posted = week_of(form.cleaned_data["week"])
            messages.success(
                request, f"已公布 {posted:%Y-%m-%d} 起一周的食谱。" if published else "本周食谱已撤回。"
            )
            return redirect(
                f"{reverse('disclosure:institution', args=[place.pk])}?week={posted:%Y-%m-%d}#menu"
            )
    context = {
        "institution": place,
        "week": week,
        "form": form,
        "meals": Meal.choices,
        "weekend": form.days == 7,
    }
    return render(request, "disclosure/menu_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def account_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _publishing(request, pk)
    form = MealAccountForm(request.POST)
    if form.is_valid():
        try:
            account = meal_account_publish(
                actor=request.actor,
                institution=place,
                month=form.cleaned_data["month"],
                values=form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            return _done(request, place, f"已公布{account.month:%Y年%m月}伙食账目。", "accounts")
    return _page(request, place, status=400, account_form=form)


@login_required
@require_POST
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _publishing(request, pk)
    form = NoticeForm(request.POST, institution=place)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sent = notice_send(
                actor=request.actor,
                institution=place,
                title=data["title"],
                body=data["body"],
                care_class=data["care_class"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except AccessDenied:
            raise PermissionDenied from None
        else:
            return _done(request, place, f"通知已发送给{sent.recipients.count()}位家长。", "notices")
    return _page(request, place, status=400, notice_form=form)


@login_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_for(request.user, Notice.objects.select_related("institution", "care_class"), pk)
    return render(request, "disclosure/notice.html", {"notice": row})
