"""Pages of the AI tools. Thin: forms validate, services write, selectors read, templates render."""

from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HTMX_STOP_POLLING

from accounts.selectors import wallet_for
from core import fragments
from core.media_storage import signed_download_url

from . import rules, selectors, services
from .documents import DocumentRejected
from .forms import CVAnalysisForm, CVRunOptionsForm, RoleFormSet
from .models import AIRun
from .private_storage import private_storage
from .reports import cv_analysis_report
from .results import CVAnalysis, StatementDraft, StatementReview

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RESULT_MODELS = {
    AIRun.Tool.CV_ANALYSIS: CVAnalysis,
    AIRun.Tool.STATEMENT_GENERATE: StatementDraft,
    AIRun.Tool.STATEMENT_ENHANCE: StatementReview,
}


def _tool_context(request, tool: str) -> dict:
    prices = selectors.tool_prices()
    return {
        "wallet": wallet_for(user=request.user),
        "price": prices[tool],
        "tool": tool,
        "AI_CONTENT_WARNING": rules.AI_CONTENT_WARNING,
        "LEGAL_DISCLAIMER": rules.LEGAL_DISCLAIMER,
    }


def consent_redirect(request, *, back: str | None = None) -> HttpResponseRedirect:
    """To the one-time OpenAI notice, coming back to ``back`` (default: this page) after agreeing."""
    back = back or request.get_full_path()
    return redirect(f"{reverse('ai_tools:ai_consent')}?{urlencode({'next': back})}")


@login_required
@require_http_methods(["GET", "POST"])
def ai_consent(request):
    """Before the first run with OpenAI: what is sent, to whom, and the user's agreement (recorded once)."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("ai_tools:index")
    if request.method == "POST" and request.POST.get("agree") == "yes":
        services.ai_consent_give(user=request.user)
        messages.success(request, "Thank you. You can start your analysis now.")
        return HttpResponseRedirect(back)
    return render(
        request,
        "ai_tools/ai_consent.html",
        {"next": back, "needed": services.ai_consent_needed(user=request.user)},
    )


def _start(request, form, start, template: str, tool: str):
    """Run a service that creates a run; show its refusal in the form, or go to the run page."""
    context = {"form": form, **_tool_context(request, tool)}
    try:
        run = start()
    except DocumentRejected as exc:
        form.add_error("upload", exc.message)
    except services.ConsentRequired:
        return consent_redirect(request)
    except services.RunRejected as exc:
        form.add_error(None, exc.message)
    except services.NotEnoughCredit as exc:
        context["not_enough"] = exc
    else:
        return redirect("ai_tools:run_detail", pk=run.pk)
    return render(request, template, context, status=200)


@login_required
@require_GET
def index(request):
    prices = selectors.tool_prices()
    return render(
        request,
        "ai_tools/index.html",
        {
            "wallet": wallet_for(user=request.user),
            "prices": prices,
            "runs": selectors.runs_for_user(user=request.user, limit=5),
            "consent_needed": services.ai_consent_needed(user=request.user),
        },
    )


def _reading_url(document_pk: int, *, route: str, category_hint: str | None) -> str:
    query = urlencode({"route": route, "category_hint": category_hint or ""})
    return f"{reverse('ai_tools:cv_reading', args=[document_pk])}?{query}"


@login_required
@require_http_methods(["GET", "POST"])
def cv_analysis(request):
    """Step 1: upload (or choose) a CV. Nothing is charged here: the next step shows what we read."""
    form = CVAnalysisForm(request.POST or None, request.FILES or None, user=request.user)
    template = "ai_tools/cv_analysis_form.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = data["document"]
        if data["upload"] is not None:
            try:
                document = services.document_create(owner=request.user, upload=data["upload"])
            except DocumentRejected as exc:
                form.add_error("upload", exc.message)
        if document is not None:
            return redirect(_reading_url(document.pk, route=data["route"], category_hint=data["category_hint"]))
    return render(request, template, {"form": form, **_tool_context(request, AIRun.Tool.CV_ANALYSIS)})


def _role_initial(role) -> dict:
    return {
        "title": role.title,
        "organisation": role.organisation,
        "start": role.start or "",
        "end": role.end or "",
        "is_current": role.is_current,
        "is_tech": role.is_tech,
        "org_kind": role.org_kind,
        "line_no": role.line_no,
    }


def _role_key(role: dict) -> tuple:
    fields = ("title", "organisation", "start", "end", "is_current", "is_tech", "org_kind", "line_no")
    return tuple(role.get(f) or None for f in fields)


@login_required
@require_http_methods(["GET", "POST"])
def cv_reading(request, pk: int):
    """Step 2, "What we read": the parse of the CV, correctable, then the run (charged only then)."""
    document = selectors.document_for_reading(user=request.user, pk=pk)
    parsed = selectors.parsed_cv_for(document=document)
    initial = [_role_initial(r) for r in parsed.roles]
    options = CVRunOptionsForm(request.POST if request.method == "POST" else request.GET or None)
    formset = RoleFormSet(request.POST or None, initial=initial, prefix="roles")
    context = {"document": document, "parsed": parsed, "formset": formset, "options": options}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        route = options.data.get("route") or rules.DIGITAL_TECHNOLOGY
        here = _reading_url(document.pk, route=route, category_hint=options.data.get("category_hint"))
        if action == "reset":
            services.cv_correction_reset(user=request.user, document=document)
            messages.success(request, "Your corrections were removed: the roles are shown as we read them.")
            return redirect(here)
        if formset.is_valid() and options.is_valid():
            roles = formset.roles()
            if [_role_key(r) for r in roles] != [_role_key(r) for r in initial]:
                services.cv_correction_save(user=request.user, document=document, roles=roles)
            if action != "run":
                messages.success(request, "Saved. The analysis will use these roles, now and on later runs.")
                return redirect(here)
            try:
                run = services.cv_analysis_start(
                    user=request.user,
                    route=options.cleaned_data["route"],
                    category_hint=options.cleaned_data["category_hint"] or None,
                    document=document,
                )
            except services.ConsentRequired:
                return consent_redirect(request, back=here)
            except services.RunRejected as exc:
                context["run_error"] = exc.message
            except services.NotEnoughCredit as exc:
                context["not_enough"] = exc
            else:
                return redirect("ai_tools:run_detail", pk=run.pk)
    for form, role in zip(formset.forms, parsed.roles, strict=False):
        form.source_text = role.source if role.source != role.label else ""
    context.update(_tool_context(request, AIRun.Tool.CV_ANALYSIS))
    context["unreadable"] = selectors.cv_is_unreadable(document)
    context["section_labels"] = [key.replace("_", " ").capitalize() for key in parsed.sections]
    return render(request, "ai_tools/cv_reading.html", context)


@login_required
@require_GET
def run_detail(request, pk: int):
    if request.htmx:
        # The status poll: a light query; nothing to swap while the status the page shows holds
        # (204), the new status when it moves, and the end with 286 (htmx stops polling).
        run = selectors.run_status_for_user(user=request.user, pk=pk)
        if not run.is_active:
            return render(request, "ai_tools/run_detail.html#finished", {"run": run}, status=HTMX_STOP_POLLING)
        if request.GET.get("seen") == run.status:
            return HttpResponse(status=HTTPStatus.NO_CONTENT)
        return render(request, "ai_tools/run_detail.html#status", {"run": run})
    run = selectors.run_for_user(user=request.user, pk=pk)
    if external_url := services.external_detail_url(run):
        return redirect(external_url)  # a tool another app renders (the letters check)
    result = None
    if run.status == AIRun.Status.SUCCEEDED and run.result is not None:
        result = RESULT_MODELS[run.tool].model_validate(run.result)
    return render(
        request,
        "ai_tools/run_detail.html",
        {
            "run": run,
            "result": result,
            "AI_CONTENT_WARNING": rules.AI_CONTENT_WARNING,
            "LEGAL_DISCLAIMER": rules.LEGAL_DISCLAIMER,
            "DRAFT_NOTICE": rules.DRAFT_NOTICE,
            "STATEMENT_MAX_WORDS": rules.STATEMENT_MAX_WORDS,
        },
    )


HISTORY_PAGE_SIZE = 20
HISTORY_DOCUMENTS = 20


@login_required
@require_GET
def history(request):
    user, number = request.user, fragments.page_number(request.GET.get("page"))
    # Lazy: read only when the cached lists (keyed by the user's generation) are missing.
    documents = SimpleLazyObject(lambda: selectors.recent_documents(user=user, limit=HISTORY_DOCUMENTS))
    return render(
        request,
        "ai_tools/history.html",
        {
            "page": SimpleLazyObject(lambda: selectors.runs_page(user=user, number=number, per_page=HISTORY_PAGE_SIZE)),
            "documents": SimpleLazyObject(lambda: documents[0]),
            "more_documents": SimpleLazyObject(lambda: documents[1]),
            "documents_shown": HISTORY_DOCUMENTS,
            "page_number": number,
            "viewer_tz": timezone.get_current_timezone_name(),
            **fragments.fragment_context(fragments.user_scope(user)),
        },
    )


# --- downloads (owner only; 404 for anyone else) ---------------------------------------------------


def _attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(content))
    return response


def _safe_filename(name: str, *, ext: str) -> str:
    """ASCII-only, no quotes or paths; the extension always comes from what we know the file is."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{slugify(stem)[:80] or 'document'}.{ext}"


@login_required
@require_GET
def document_download(request, pk: int):
    document = selectors.document_for_download(user=request.user, pk=pk)
    storage = private_storage()
    signed = signed_download_url(storage, document.storage_name)
    if signed:  # Cloudinary: a short-lived signed URL, handed out only after the permission check above
        response = HttpResponseRedirect(signed)
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        with storage.open(document.storage_name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404("The file is no longer available.") from exc
    return _attachment(
        content,
        filename=_safe_filename(document.original_filename, ext=document.kind),
        content_type=document.content_type,
    )


@login_required
@require_http_methods(["POST"])
def document_delete(request, pk: int):
    """Delete one of the user's files and everything derived from it (404 for anyone else's)."""
    document = selectors.document_for_owner(user=request.user, pk=pk)
    services.document_delete(user=request.user, document_id=document.pk)
    messages.success(request, f"Deleted {document.original_filename} with its extracted text and the analyses' copies.")
    return redirect("ai_tools:history")


def _finished_run(request, pk: int, tool: str) -> AIRun:
    run = selectors.run_for_user(user=request.user, pk=pk)
    if run.tool != tool or run.status != AIRun.Status.SUCCEEDED or run.result is None:
        raise Http404("No result to download.")
    return run


def _stamp(run: AIRun) -> str:
    return timezone.localtime(run.finished_at or run.created_at).strftime("%Y-%m-%d")


@login_required
@require_GET
def report_pdf(request, pk: int):
    pdf, filename = cv_analysis_report(_finished_run(request, pk, AIRun.Tool.CV_ANALYSIS))
    return _attachment(pdf, filename=filename, content_type="application/pdf")
