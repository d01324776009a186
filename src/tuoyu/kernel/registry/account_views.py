from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import Action, authorize, get_for, scoped
from tuoyu.kernel.accounts.actions import MANAGE_ACCOUNTS, creatable_roles
from tuoyu.kernel.accounts.fields import IdentifierValidator
from tuoyu.kernel.accounts.models import Department, Role, User
from tuoyu.kernel.forms import Form
from tuoyu.kernel.regions.models import Region
from tuoyu.kernel.registry.account_services import account_create, account_set_active, password_reset
from tuoyu.kernel.registry.models import Institution


class AccountForm(Form):
    username = forms.RegexField(
        label="账号",
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        error_messages={"invalid": "账号只能用3–40个字母、数字、下划线、点或连字符。"},
        widget=forms.TextInput(attrs={"data-qa": "account-username"}),
    )
    display_name = forms.CharField(
        label="姓名", max_length=40, widget=forms.TextInput(attrs={"data-qa": "account-name"})
    )
    role = forms.ChoiceField(label="岗位", widget=forms.Select(attrs={"data-qa": "account-role"}))
    region = forms.ModelChoiceField(label="辖区", queryset=Region.objects.none(), required=False)
    department = forms.ChoiceField(
        label="部门（相关职能部门账号）", choices=[("", "—"), *Department.choices], required=False
    )
    institution = forms.ModelChoiceField(
        label="所在机构（机构账号）",
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-qa": "account-institution"}),
    )
    phone = forms.CharField(
        label="手机号码", max_length=20, required=False, validators=[IdentifierValidator("mobile")]
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in creatable_roles(user)]
        self.fields["region"].queryset = scoped(user, Region.objects.exclude(level="community")).order_by(
            "path"
        )
        self.fields["institution"].queryset = scoped(user, Institution.objects.exclude(status="closed"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("region") and not cleaned.get("institution"):
            self.add_error("region", "请选择辖区（机构账号选择所在机构即可）。")
        return cleaned


@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    authorize(request.user, MANAGE_ACCOUNTS)
    form = AccountForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = account_create(
                actor=request.actor,
                username=data["username"],
                display_name=data["display_name"],
                role=Role(data["role"]),
                region=data["region"] or (data["institution"].subdistrict if data["institution"] else None),
                department=data["department"],
                phone=data["phone"],
                institution=data["institution"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            created = {"user": user, "password": password}
            form = AccountForm(user=request.user)
    rows = (
        scoped(request.user, User.objects.select_related("region"))
        .prefetch_related("memberships__institution")
        .order_by("region__path", "role", "username")
    )
    context = {"form": form, "rows": rows, "created": created}
    return render(request, "registry/accounts.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def account_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    target = get_for(request.user, User.objects.all(), pk, Action.CHANGE)
    try:
        if action == "reset":
            password = password_reset(actor=request.actor, user=target)
            messages.success(
                request,
                f"已为 {target.username} 重置密码，临时密码：{password}（只显示这一次，请当面或电话告知本人）",
            )
        elif action in ("disable", "enable"):
            account_set_active(actor=request.actor, user=target, active=action == "enable")
            messages.success(request, f"已{'启用' if action == 'enable' else '停用'}账号 {target.username}。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("registry:accounts")
