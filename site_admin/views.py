from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.ratelimit import client_ip, hit

from . import support
from .forms import ContactForm, FollowUpForm
from .models import Inquiry

CONTACT_LIMIT_PER_HOUR = 5  # per account, and per IP address for visitors who are not signed in
CONTACT_LIMIT_PER_IP_PER_HOUR = 10  # per IP address for signed-in users (an office may share one)


@require_http_methods(["GET", "POST"])
def contact(request):
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # Look exactly like success so the bot learns nothing; store nothing.
            return redirect("site_admin:contact_sent")
        # Both limits count every attempt: a signed-in user cannot go past theirs from new
        # addresses, nor many accounts past one address's.
        signed_in = request.user.is_authenticated
        ip_limit = CONTACT_LIMIT_PER_IP_PER_HOUR if signed_in else CONTACT_LIMIT_PER_HOUR
        ip_ok = hit(scope="contact-ip", key=client_ip(request), limit=ip_limit, period_seconds=3600)
        user_ok = not request.user.is_authenticated or hit(
            scope="contact", key=f"user-{request.user.pk}", limit=CONTACT_LIMIT_PER_HOUR, period_seconds=3600
        )
        if not (ip_ok and user_ok):
            form.add_error(None, "You've sent several messages in the last hour. Please wait a little and try again.")
            return render(request, "site_admin/contact.html", {"form": form}, status=429)
        data = form.cleaned_data
        inquiry = support.inquiry_create(
            user=request.user,
            name=data["name"],
            email=data.get("email", ""),
            topic=data["topic"],
            subject=data["subject"],
            body=data["body"],
        )
        request.session["last_inquiry_reference"] = inquiry.reference
        return redirect("site_admin:contact_sent")
    return render(request, "site_admin/contact.html", {"form": form})


def contact_sent(request):
    return render(request, "site_admin/contact_sent.html", {"reference": request.session.get("last_inquiry_reference")})


@login_required
def my_inquiries(request):
    inquiries = Inquiry.objects.filter(user=request.user).order_by("-updated_at", "-id")[:100]
    return render(request, "site_admin/my_inquiries.html", {"inquiries": inquiries})


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request, pk: int):
    inquiry = get_object_or_404(Inquiry.objects.filter(user=request.user), pk=pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        support.inquiry_follow_up(inquiry=inquiry, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Your reply has been sent to our team.")
        return redirect("site_admin:inquiry", pk=inquiry.pk)
    thread = list(inquiry.messages.select_related("author"))
    return render(request, "site_admin/inquiry_detail.html", {"inquiry": inquiry, "thread": thread, "form": form})
