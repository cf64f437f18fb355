"""Pages of the AI tools. Thin: forms validate, services write, selectors read, templates render."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from accounts.selectors import wallet_for
from talentvisa import fragments
from talentvisa.media_storage import signed_download_url

from . import rules, selectors, services
from .documents import DocumentRejected
from .forms import CVAnalysisForm, StatementEnhanceForm, StatementGenerateForm
from .models import AIRun
from .private_storage import private_storage
from .reports import render_analysis_pdf, render_statement_docx, render_statement_txt
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


def _start(request, form, start, template: str, tool: str):
    """Run a service that creates a run; show its refusal in the form, or go to the run page."""
    context = {"form": form, **_tool_context(request, tool)}
    try:
        run = start()
    except DocumentRejected as exc:
        form.add_error("upload", exc.message)
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cv_analysis(request):
    form = CVAnalysisForm(request.POST or None, request.FILES or None, user=request.user)
    template = "ai_tools/cv_analysis_form.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _start(
            request,
            form,
            lambda: services.cv_analysis_start(
                user=request.user,
                route=data["route"],
                category_hint=data["category_hint"] or None,
                upload=data["upload"],
                document=data["document"],
            ),
            template,
            AIRun.Tool.CV_ANALYSIS,
        )
    return render(request, template, {"form": form, **_tool_context(request, AIRun.Tool.CV_ANALYSIS)})


@login_required
@require_http_methods(["GET", "POST"])
def statement_generate(request):
    form = StatementGenerateForm(request.POST or None, user=request.user)
    template = "ai_tools/statement_generate_form.html"
    if request.method == "POST" and form.is_valid():
        return _start(
            request,
            form,
            lambda: services.statement_generate_start(
                user=request.user,
                facts=form.facts(name=request.user.full_name),
                based_on=form.cleaned_data["cv_analysis"],
            ),
            template,
            AIRun.Tool.STATEMENT_GENERATE,
        )
    return render(request, template, {"form": form, **_tool_context(request, AIRun.Tool.STATEMENT_GENERATE)})


@login_required
@require_http_methods(["GET", "POST"])
def statement_enhance(request):
    form = StatementEnhanceForm(request.POST or None, user=request.user)
    template = "ai_tools/statement_enhance_form.html"
    if request.method == "POST" and form.is_valid():
        return _start(
            request,
            form,
            lambda: services.statement_enhance_start(
                user=request.user, draft=form.cleaned_data["draft"], based_on=form.cleaned_data["cv_analysis"]
            ),
            template,
            AIRun.Tool.STATEMENT_ENHANCE,
        )
    return render(request, template, {"form": form, **_tool_context(request, AIRun.Tool.STATEMENT_ENHANCE)})


@login_required
@require_GET
def run_detail(request, pk: int):
    if request.htmx:
        # The status poll: a light query, and a full refresh once the run has finished.
        run = selectors.run_status_for_user(user=request.user, pk=pk)
        if not run.is_active:
            return HttpResponseClientRefresh()
        return render(request, "ai_tools/run_detail.html#status", {"run": run})
    run = selectors.run_for_user(user=request.user, pk=pk)
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
    run = _finished_run(request, pk, AIRun.Tool.CV_ANALYSIS)
    analysis = CVAnalysis.model_validate(run.result)
    generated_at: datetime = timezone.localtime(run.finished_at or run.created_at)
    pdf = render_analysis_pdf(analysis, title="CV analysis report", generated_at=generated_at)
    return _attachment(pdf, filename=f"cv-analysis-{run.pk}-{_stamp(run)}.pdf", content_type="application/pdf")


@login_required
@require_GET
def statement_download(request, pk: int, fmt: str):
    if fmt not in ("docx", "txt"):
        raise Http404("Unknown format.")
    run = selectors.run_for_user(user=request.user, pk=pk)
    if run.status != AIRun.Status.SUCCEEDED or run.result is None:
        raise Http404("No result to download.")
    if run.tool == AIRun.Tool.STATEMENT_GENERATE:
        text, title, stem = StatementDraft.model_validate(run.result).text, "Personal Statement (draft)", "draft"
    elif run.tool == AIRun.Tool.STATEMENT_ENHANCE:
        text, title, stem = (
            StatementReview.model_validate(run.result).revised_text,
            "Personal Statement (revised)",
            "revised",
        )
    else:
        raise Http404("Not a statement.")
    filename = f"personal-statement-{stem}-{run.pk}-{_stamp(run)}.{fmt}"
    if fmt == "docx":
        return _attachment(render_statement_docx(text, title=title), filename=filename, content_type=DOCX)
    return _attachment(render_statement_txt(text), filename=filename, content_type="text/plain; charset=utf-8")
