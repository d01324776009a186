from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.defaults import page_not_found

from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor


class ActorMiddleware:
    """Attach ``request.actor`` for services, and answer AccessDenied as "not found".

    A refusal raised anywhere below a view (a service re-checking access) becomes the same 404
    as a row outside the user's reach, so neither reveals that the record exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = Actor.from_request(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AccessDenied):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"error": "not_found", "message": AccessDenied.message}, status=404)
        return page_not_found(request, Http404(AccessDenied.message))


class TemporaryPasswordMiddleware:
    """Someone signed in with a password another person chose (a new account, a reset) can only
    change it: every other page sends them to the password form first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/")):
                return redirect("accounts:password")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "password_change_required", "message": "请先登录网页修改临时密码。"}, status=403
                )
        return self.get_response(request)
