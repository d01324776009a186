"""Cross-cutting answers every page gives: no caching of personal pages, 400 for unusable input."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from tuoyu.inputs import BadInput


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in person is kept by a browser, a proxy or a shared computer's cache:
    their pages carry names, classes and (masked) numbers of children and staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class BadInputMiddleware:
    """A value the request carries that cannot be used, found anywhere below a view: 400, nothing saved
    (the view's transaction, if any, has already rolled back when the exception reaches here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadInput):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": exception.code, "message": exception.message, "fields": exception.fields},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "400.html", {"message": exception.message}, status=400)
