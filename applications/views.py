"""Pages of the application pack. Thin: forms check shape, services write, selectors read, plan/portfolio judge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import wallet_for
from ai_tools.documents import DocumentRejected
from ai_tools.models import AIRun
from ai_tools.pricing import tool_price
from ai_tools.private_storage import private_storage
from ai_tools.results import CVAnalysis
from ai_tools.services import ConsentRequired, NotEnoughCredit, RunRejected
from ai_tools.views import _attachment, consent_redirect
from bookings.selectors import bookings_shareable_by_client
from core.polling import poll_answer

from . import rules, selectors, services
from .ai.results import LettersReport
from .export import build_pack_pdf, build_pack_zip, pack_order
from .forms import EvidenceAddForm, EvidenceFieldsForm, LetterForm, PlanChoicesForm, ShareForm
from .plan import build_plan, build_portfolio, result_of
from .refusals.selectors import plan_feed as refusal_plan_feed
from .similarity import MIN_PASSAGE_WORDS


def _read(document) -> bytes:
    try:
        with private_storage().open(document.storage_name, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise Http404("The file is no longer available.") from exc


def _plan_for(user, application):
    return build_plan(
        application,
        documents=selectors.documents_of(application=application),
        letters=selectors.letters_of(application=application),
        runs=selectors.latest_runs(user=user),
        today=timezone.localdate(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request):
    application = services.application_ensure(user=request.user)
    form = PlanChoicesForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        services.application_update(application=application, **form.cleaned_data)
        messages.success(request, "Your choices are saved.")
        return redirect("applications:plan")
    bookings = list(bookings_shareable_by_client(client=request.user))
    shares = selectors.shares_of(application=application)
    shared_ids = {s.booking_id for s in shares}
    return render(
        request,
        "applications/plan.html",
        {
            "plan": _plan_for(request.user, application),
            "form": form,
            "shares": shares,
            "share_form": ShareForm(bookings=[b for b in bookings if b.pk not in shared_ids]),
            "RULES_REVIEWED_ON": rules.RULES_REVIEWED_ON,
            "read_only": False,
            "refusal": refusal_plan_feed(user=request.user),  # the gaps of the latest reviewed refusal
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def portfolio(request):
    application = services.application_ensure(user=request.user)
    form = EvidenceAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.evidence_add(
                application=application,
                upload=data["upload"],
                title=data["title"],
                proves=data["proves"],
                evidence_date=data["evidence_date"],
                source=data["source"],
                is_web_printout=data["is_web_printout"],
                criterion=data["criterion"],
            )
        except DocumentRejected as exc:
            form.add_error("upload", exc.message)
        except services.PackError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added #{document.position}: {document.title}.")
            return redirect(reverse("applications:portfolio") + f"#doc-{document.pk}")
    documents = selectors.documents_of(application=application)
    runs = selectors.latest_runs(user=request.user)
    analysis = result_of(runs["cv"], CVAnalysis)  # the next actions quote it
    state = build_portfolio(application, documents, analysis=analysis, today=timezone.localdate())
    return render(
        request,
        "applications/portfolio.html",
        {
            "application": application,
            "portfolio": state,
            "form": form,
            "max_documents": rules.EVIDENCE_MAX_DOCUMENTS,
            "max_pages": rules.EVIDENCE_DOCUMENT_MAX_PAGES,
            "full": len(documents) >= rules.EVIDENCE_MAX_DOCUMENTS,
            "pack": pack_order(application, documents),
            "RULES_REVIEWED_ON": rules.RULES_REVIEWED_ON,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request, pk: int):
    document = selectors.document_for_owner(user=request.user, pk=pk)
    form = EvidenceFieldsForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(document=document, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        except services.PackError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Saved #{document.position}.")
            return redirect(reverse("applications:portfolio") + f"#doc-{document.pk}")
    return render(request, "applications/evidence_edit.html", {"form": form, "document": document})


@login_required
@require_POST
def evidence_criterion(request, pk: int):
    """One click: put the document on a criterion (usually the engine's suggestion)."""
    document = selectors.document_for_owner(user=request.user, pk=pk)
    try:
        services.evidence_update(document=document, criterion=request.POST.get("criterion", ""))
    except services.PackError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("applications:portfolio") + f"#doc-{document.pk}")


@login_required
@require_POST
def evidence_delete(request, pk: int):
    document = selectors.document_for_owner(user=request.user, pk=pk)
    services.evidence_delete(document=document)
    messages.success(request, f"Removed “{document.title}”.")
    return redirect("applications:portfolio")


@login_required
@require_POST
def evidence_move(request, pk: int, direction: str):
    document = selectors.document_for_owner(user=request.user, pk=pk)
    services.evidence_move(document=document, offset=-1 if direction == "up" else 1)
    return redirect(reverse("applications:portfolio") + f"#doc-{document.pk}")


@login_required
@require_GET
def evidence_download(request, pk: int):
    document = selectors.document_for_owner(user=request.user, pk=pk)
    entry = next(e for e in pack_order(document.application, [document]))
    return _attachment(_read(document), filename=entry.filename.split("-", 1)[1], content_type=document.content_type)


def _pack(request):
    """The viewer's application and documents, or 404 when there is nothing to export."""
    application = services.application_ensure(user=request.user)
    documents = selectors.documents_of(application=application)
    if not documents:
        raise Http404("Add documents first.")
    return application, documents


@login_required
@require_GET
def export_pdf(request):
    application, documents = _pack(request)
    today = timezone.localdate()
    owner = request.user.full_name or request.user.email
    pdf, _pages = build_pack_pdf(application, documents, read=_read, owner=owner, today=today)
    return _attachment(pdf, filename=f"evidence-pack-{today:%Y-%m-%d}.pdf", content_type="application/pdf")


@login_required
@require_GET
def export_zip(request):
    application, documents = _pack(request)
    data = build_pack_zip(application, documents, read=_read)
    return _attachment(
        data, filename=f"evidence-originals-{timezone.localdate():%Y-%m-%d}.zip", content_type="application/zip"
    )


# --- letters --------------------------------------------------------------------------------------


def _letters_context(request, application) -> dict:
    letters = {letter.position: letter for letter in selectors.letters_of(application=application)}
    latest = selectors.latest_runs(user=request.user)["letters"]
    return {
        "slots": [(n, letters.get(n)) for n in range(1, rules.RECOMMENDATION_LETTERS_REQUIRED + 1)],
        "letter_count": len(letters),
        "latest": latest,
        "stale": latest is not None and any(letter.updated_at > latest.created_at for letter in letters.values()),
        "wallet": wallet_for(user=request.user),
        "price": tool_price(AIRun.Tool.LETTERS_CHECK),
        "required": rules.RECOMMENDATION_LETTERS_REQUIRED,
        "min_months": rules.RECOMMENDER_MIN_MONTHS_KNOWN,
    }


@login_required
@require_GET
def letters(request):
    application = services.application_ensure(user=request.user)
    return render(request, "applications/letters.html", _letters_context(request, application))


@login_required
@require_http_methods(["GET", "POST"])
def letter_edit(request, position: int):
    if not 1 <= position <= rules.RECOMMENDATION_LETTERS_REQUIRED:
        raise Http404("There are three letters.")
    application = services.application_ensure(user=request.user)
    letter = selectors.letter_for_owner(user=request.user, position=position)
    form = LetterForm(request.POST or None, request.FILES or None, instance=letter)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, text, extra = data.pop("upload", None), data.pop("text", ""), {}
        try:
            if upload:
                text, extra["original_filename"] = services.letter_text_from_upload(upload=upload)
            services.letter_save(application=application, position=position, text=text, **data, **extra)
        except DocumentRejected as exc:
            form.add_error("upload", exc.message)
        except services.PackError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Letter {position} saved.")
            return redirect("applications:letters")
    return render(request, "applications/letter_edit.html", {"form": form, "position": position, "letter": letter})


@login_required
@require_POST
def letter_delete(request, position: int):
    letter = selectors.letter_for_owner(user=request.user, position=position)
    if letter is None:
        raise Http404("No such letter.")
    services.letter_delete(letter=letter)
    messages.success(request, f"Letter {position} removed.")
    return redirect("applications:letters")


@login_required
@require_POST
def letters_check_start(request):
    application = services.application_ensure(user=request.user)
    try:
        run = services.letters_check_start(user=request.user, application=application)
    except NotEnoughCredit as exc:
        context = _letters_context(request, application)
        context["not_enough"] = exc
        return render(request, "applications/letters.html", context)
    except ConsentRequired:
        return consent_redirect(request, back=reverse("applications:letters"))
    except RunRejected as exc:
        messages.error(request, exc.message)
        return redirect("applications:letters")
    return redirect("applications:letters_check", pk=run.pk)


@login_required
@require_GET
def letters_check(request, pk: int):
    run = selectors.letters_check_for_owner(user=request.user, pk=pk)
    if request.htmx:
        return poll_answer(request, run=run, url=request.path, label="Show the result")
    report = LettersReport.model_validate(run.result) if run.status == AIRun.Status.SUCCEEDED and run.result else None
    letters_in = {item["position"]: item for item in run.input.get("letters", [])}
    pairs = [
        {"pair": pair, "first": letters_in.get(pair.first, {}), "second": letters_in.get(pair.second, {})}
        for pair in (report.pairs if report else [])
    ]
    # Open the most similar templated pair; the others stay one tap away (three full pairs are long on a phone).
    flagged = [item for item in pairs if item["pair"].templated]
    if flagged:
        max(flagged, key=lambda item: item["pair"].score)["open"] = True
    return render(
        request,
        "applications/letters_check.html",
        {"run": run, "report": report, "pairs": pairs, "min_passage_words": MIN_PASSAGE_WORDS},
    )


# --- sharing ------------------------------------------------------------------------------------------


@login_required
@require_POST
def share(request):
    application = services.application_ensure(user=request.user)
    form = ShareForm(request.POST, bookings=list(bookings_shareable_by_client(client=request.user)))
    if form.is_valid():
        try:
            shared = services.plan_share(application=application, booking_id=form.cleaned_data["booking"])
        except services.PackError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{shared.booking.expert.display_name} can now read your plan.")
    else:
        messages.error(request, "Choose one of your paid consultations.")
    return redirect(reverse("applications:plan") + "#share")


@login_required
@require_POST
def unshare(request, pk: int):
    application = services.application_ensure(user=request.user)
    if not services.plan_unshare(application=application, share_id=pk):
        raise Http404("No such share.")
    messages.success(request, "Sharing stopped.")
    return redirect(reverse("applications:plan") + "#share")


@login_required
@require_GET
def shared_plan(request, booking_id: int):
    """The expert's read-only view: plan, portfolio index and latest analyses; no files."""
    application = selectors.shared_application_for_expert(user=request.user, booking_id=booking_id)
    return render(
        request,
        "applications/plan.html",
        {
            "plan": _plan_for(application.owner, application),
            "read_only": True,
            "owner": application.owner,
            "RULES_REVIEWED_ON": rules.RULES_REVIEWED_ON,
        },
    )
