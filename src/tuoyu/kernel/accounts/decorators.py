from __future__ import annotations

from functools import wraps

from django.http import JsonResponse


def api_login_required(view):
    """Like login_required, but an API answers 401 with a JSON error instead of redirecting."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "not_authenticated", "message": "请先登录。"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
