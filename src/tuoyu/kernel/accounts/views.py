from __future__ import annotations

from django import forms
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tuoyu.kernel.accounts import throttle
from tuoyu.kernel.forms import Form


class LoginForm(Form):
    username = forms.CharField(
        label="账号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "data-qa": "username"})
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"data-qa": "password"})
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        refusal = throttle.refusal(request, throttle.username_of(request, {"username": username}))
        if refusal:
            form.add_error(None, refusal)
            status = 429
        else:
            user = auth.authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                # A lockout found here is answered by the axes middleware with ``locked_out`` below.
                throttle.record_failure(request, throttle.username_of(request, {"username": username}))
                form.add_error(None, "账号或密码不正确。")
            else:
                auth.login(request, user)
                if user.must_change_password:
                    messages.info(request, "您正在使用管理员设置的临时密码，请先设置自己的新密码。")
                    return redirect("accounts:password")
                return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return next_url


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """The page for an account locked from this address (django-axes calls it)."""
    from axes.helpers import get_cool_off

    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    form = LoginForm(request.POST or None)
    form.is_valid()
    form.add_error(
        None,
        f"该账号在本地址登录失败次数过多，请 {minutes} 分钟后再试；如忘记密码请联系本单位的账号管理员重置。",
    )
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)}, status=429)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("accounts:login")


@login_required
def password(request: HttpRequest) -> HttpResponse:
    """Everyone changes their own password here (Django's checks, in Chinese)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["autocomplete"] = "new-password"
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        auth.update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200)
