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

from tuoyu.accounts import throttle
from tuoyu.accounts.actor import client_ip


class LoginForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "data-qa": "username"}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(attrs={"data-qa": "password"}))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)
        if throttle.is_locked(username, ip):
            form.add_error(None, "登录失败次数过多，请15分钟后再试；如忘记密码请联系平台管理员。")
            status = 429
        else:
            user = auth.authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(username, ip)
                form.add_error(None, "账号或密码不正确。")
            else:
                throttle.clear(username, ip)
                auth.login(request, user)
                return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


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
        user = form.save()
        auth.update_session_auth_hash(request, user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200)
