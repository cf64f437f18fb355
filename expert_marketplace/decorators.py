"""Expert pages: the view gets the signed-in user's ExpertProfile as its second argument."""

from django.shortcuts import redirect

from core.decorators import profile_required

from . import selectors


def _expert_of(user):
    return selectors.expert_for_user(user=user)


def _to_application(request):
    # An expert-role user without a profile yet belongs on the application form.
    return redirect("experts:apply") if request.user.is_expert else None


expert_only = profile_required(_expert_of, message="This page is for experts.")
"""Signed in with an expert profile; anyone else gets 403."""

expert_required = profile_required(_expert_of, message="This page is for experts.", fallback=_to_application)
"""Signed in and owning an expert profile (any status); an expert-role user without one is sent to apply."""
