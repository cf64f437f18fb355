"""View decorators shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def profile_required(lookup: Callable, *, message: str, fallback: Callable | None = None):
    """Signed in, and `lookup(user)` finds the profile the page acts for; the view receives it as
    its second argument. Without one, `fallback(request)` may answer (a redirect), else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            profile = lookup(request.user)
            if profile is None:
                response = fallback(request) if fallback is not None else None
                if response is None:
                    raise PermissionDenied(message)
                return response
            return view(request, profile, *args, **kwargs)

        return wrapper

    return decorator
