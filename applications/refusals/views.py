"""Pages of the refusal review. Thin: forms check shape, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.selectors import wallet_for
from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun
from ai_tools.pricing import tool_price
from ai_tools.services import ConsentRequired, NotEnoughCredit
from ai_tools.views import consent_redirect
from core.polling import poll_answer

from . import rules, selectors, services
from .forms import HandoffForm, RefusalIntakeForm


def _common(request) -> dict:
    return {
        "RULES": rules,
        "REVIEWED_ON": rules.REVIEW_RULES_REVIEWED_ON,
        "CRITERIA": rules.CRITERIA,
        "CLASSIFICATIONS": rules.CLASSIFICATIONS,
        "CLASSIFICATION_HELP": rules.CLASSIFICATION_HELP,
        "RECOMMENDATIONS": rules.RECOMMENDATIONS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def refusals(request):
    form = RefusalIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.refusal_case_create(
                user=request.user,
                decision_date=data["decision_date"],
                letter_text=data["letter_text"],
                upload=data.get("upload"),
            )
        except DocumentRejected as exc:
            form.add_error("upload", exc.message)
        except services.RefusalError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Refusal saved. Your review deadline is shown below.")
            return redirect("applications:refusal_detail", pk=case.pk)
    cases = [(case, selectors.deadline_for(case, user=request.user)) for case in selectors.cases_of(user=request.user)]
    return render(
        request,
        "applications/refusal/index.html",
        {**_common(request), "form": form, "cases": cases, "price": tool_price(AIRun.Tool.REFUSAL_REVIEW)},
        status=400 if form.errors else 200,
    )


def _detail_context(request, case) -> dict:
    return {
        **_common(request),
        "case": case,
        "run": case.run,
        "deadline": selectors.deadline_for(case, user=request.user),
        "review": selectors.review_of(case),
        "shares": selectors.shares_of(case=case),
        "wallet": wallet_for(user=request.user),
        "price": tool_price(AIRun.Tool.REFUSAL_REVIEW),
    }


@login_required
@require_GET
def refusal_detail(request, pk: int):
    case = selectors.case_for_owner(user=request.user, pk=pk)
    if request.htmx and case.run is None:
        return HttpResponseClientRefresh()
    if request.htmx:
        return poll_answer(request, run=case.run, url=request.path, label="Show the findings")
    return render(request, "applications/refusal/detail.html", _detail_context(request, case))


@login_required
@require_POST
def refusal_start(request, pk: int):
    case = selectors.case_for_owner(user=request.user, pk=pk)
    try:
        services.refusal_review_start(user=request.user, case=case)
    except NotEnoughCredit as exc:
        context = _detail_context(request, case)
        context["not_enough"] = exc
        return render(request, "applications/refusal/detail.html", context, status=402)
    except ConsentRequired:
        return consent_redirect(request, back=reverse("applications:refusal_detail", args=[case.pk]))
    return redirect("applications:refusal_detail", pk=case.pk)


@login_required
@require_POST
def refusal_delete(request, pk: int):
    case = selectors.case_for_owner(user=request.user, pk=pk)
    services.refusal_case_delete(case=case)
    messages.success(request, "Refusal deleted.")
    return redirect("applications:refusals")


@login_required
@require_POST
def refusal_unshare(request, pk: int, share_id: int):
    case = selectors.case_for_owner(user=request.user, pk=pk)
    if not services.refusal_unshare(case=case, share_id=share_id):
        raise Http404("No such share.")
    messages.success(request, "Sharing stopped.")
    return redirect(reverse("applications:refusal_detail", args=[case.pk]) + "#handoff")


@login_required
@require_GET
def refusal_experts(request, pk: int):
    case = selectors.case_for_owner(user=request.user, pk=pk)
    if selectors.review_of(case) is None:
        raise Http404("Review the refusal first.")
    return render(
        request,
        "applications/refusal/experts.html",
        {
            **_common(request),
            "case": case,
            "deadline": selectors.deadline_for(case, user=request.user),
            "experts": selectors.handoff_experts(),
        },
    )


@login_required
@require_POST
def refusal_handoff(request, pk: int):
    """One click: consent to share the findings with the expert booked next, then open the booking wizard."""
    case = selectors.case_for_owner(user=request.user, pk=pk)
    form = HandoffForm(request.POST)
    experts = {e.pk: e for e in selectors.handoff_experts()} if form.is_valid() else {}
    expert = experts.get(form.cleaned_data["expert"]) if experts else None
    if expert is None or form.cleaned_data["session"] not in {s.pk for s in expert.bookable_sessions}:
        messages.error(request, "Choose one of the listed experts and sessions.")
        return redirect("applications:refusal_experts", pk=case.pk)
    services.refusal_handoff(case=case)
    return redirect(reverse("experts:book", args=[expert.slug]) + f"?session={form.cleaned_data['session']}")


@login_required
@require_GET
def refusal_shared(request, booking_id: int):
    """The expert's read-only view of the findings (no files)."""
    case = selectors.shared_case_for_expert(user=request.user, booking_id=booking_id)
    return render(
        request,
        "applications/refusal/shared.html",
        {
            **_common(request),
            "case": case,
            "owner": case.owner,
            "read_only": True,
            "deadline": selectors.deadline_for(case, user=request.user),
            "review": selectors.review_of(case),
        },
    )
