"""The back office's email template pages: list, edit with a live preview, reset — staff with the
model permission only, every change audited, a typo a form error."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from core import email_templates
from core.models import EmailTemplateOverride, StaffAction

pytestmark = pytest.mark.django_db

KEY = "bookings.booking_confirmed.client"
EDIT = f"/staff/emails/{KEY}/"


def staff(*codenames):
    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def editor(client):
    user = staff("view_emailtemplateoverride", "change_emailtemplateoverride")
    client.force_login(user)
    return user


def test_the_list_shows_every_kind_with_its_state_in_constant_queries(client, editor):
    email_templates.override_save(actor=editor, kind=email_templates.get(KEY), subject="Hi {{ name }}", opening="")
    # The user, their permissions (user, group) and the overrides with who changed them; plus the session
    # read where sessions live in the database (the embedded default), not in the cache.
    with CaptureQueriesContext(connection) as one:
        page = client.get("/staff/emails/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="email-kind"') == len(email_templates.kinds()) >= 30
    assert html.count("Reworded</span>") == 1 and editor.email in html
    for second in ("bookings.booking_reminder.client", "consultations.notes_shared.client"):
        email_templates.override_save(actor=editor, kind=email_templates.get(second), subject="X", opening="")
    with CaptureQueriesContext(connection) as three:
        assert client.get("/staff/emails/").content.decode().count("Reworded</span>") == 3
    assert len(one) == len(three) <= 5


def test_saving_stores_the_override_records_it_and_the_page_shows_it(client, editor):
    response = client.post(EDIT, {"subject": "Booked: {{ session }}", "opening": "Dear {{ name }},\nthanks."})

    assert response.status_code == 302 and response["Location"] == EDIT
    row = EmailTemplateOverride.objects.get(kind=KEY)
    assert (row.subject, row.opening, row.updated_by) == ("Booked: {{ session }}", "Dear {{ name }},\nthanks.", editor)
    assert StaffAction.objects.get().action == "email_template_edit"
    page = client.get(EDIT).content.decode()
    assert "Booked: CV &amp; evidence review" in page  # the preview of the stored text, from sample data
    assert "Reset to default" in page


def test_a_typo_in_a_placeholder_is_a_form_error_and_nothing_is_stored(client, editor):
    response = client.post(EDIT, {"subject": "Booked {{ sesion }}", "opening": ""})

    assert response.status_code == 200
    assert "Unknown placeholder {{ sesion }}. Did you mean {{ session }}?" in response.content.decode()
    assert not EmailTemplateOverride.objects.exists() and not StaffAction.objects.exists()


def test_the_live_preview_renders_what_is_typed_and_reports_errors(client, editor):
    good = client.post(f"{EDIT}preview/", {"subject": "For {{ name }}", "opening": "Hello <b>{{ name }}</b> & co"})
    html = good.content.decode()
    assert good.status_code == 200
    assert "[TalentVisa] For Seán O&#x27;Connor" in html
    # The HTML part sits escaped in srcdoc (escaped twice: once by the email, once for the attribute).
    assert "&lt;p&gt;Hello &amp;lt;b&amp;gt;Seán O&amp;#x27;Connor&amp;lt;/b&amp;gt; &amp;amp; co&lt;/p&gt;" in html
    assert "Hello &lt;b&gt;Seán O&#x27;Connor&lt;/b&gt; &amp; co" in html  # the text part, escaped once for the page
    assert not EmailTemplateOverride.objects.exists()

    bad = client.post(f"{EDIT}preview/", {"subject": "{% if x %}", "opening": ""})
    assert bad.status_code == 200 and "Template tags" in bad.content.decode() and "srcdoc" not in bad.content.decode()


@pytest.mark.parametrize("key", [k.key for k in email_templates.kinds()])
def test_the_edit_page_and_preview_of_every_kind_render(client, editor, key):
    kind = email_templates.get(key)
    page = client.get(f"/staff/emails/{key}/")
    assert page.status_code == 200 and kind.label in page.content.decode()
    name = sorted(kind.placeholders)[0]
    preview = client.post(f"/staff/emails/{key}/preview/", {"subject": f"Re {{{{ {name} }}}}", "opening": "Hi."})
    assert preview.status_code == 200 and "[TalentVisa] Re " in preview.content.decode()


def test_reset_goes_back_to_the_default_and_is_recorded(client, editor):
    email_templates.override_save(actor=editor, kind=email_templates.get(KEY), subject="Custom", opening="")

    response = client.post(f"{EDIT}reset/")

    assert response.status_code == 302 and not EmailTemplateOverride.objects.exists()
    assert list(StaffAction.objects.order_by("id").values_list("action", flat=True)) == [
        "email_template_edit",
        "email_template_reset",
    ]
    assert "Uses the default text" in client.get(EDIT).content.decode()
    assert client.get(f"{EDIT}reset/").status_code == 405


def test_the_subject_only_kind_has_no_opening_field(client, editor):
    page = client.get("/staff/emails/site_admin.support_reply/").content.decode()
    assert 'name="subject"' in page and 'name="opening"' not in page


def test_who_may_see_and_change_the_templates(client):
    anonymous = client.get("/staff/emails/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")

    client.force_login(UserFactory())  # not staff, even with the permission
    assert client.get("/staff/emails/").status_code == 403

    client.force_login(staff())  # staff without the permission (e.g. Support)
    assert client.get("/staff/emails/").status_code == 403
    assert client.get(EDIT).status_code == 403

    client.force_login(staff("view_emailtemplateoverride"))  # may read the list, not change
    assert client.get("/staff/emails/").status_code == 200
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"subject": "X", "opening": ""}).status_code == 403
    assert client.post(f"{EDIT}reset/").status_code == 403
    assert client.post(f"{EDIT}preview/", {"subject": "X"}).status_code == 403
    assert not EmailTemplateOverride.objects.exists()


def test_an_unknown_kind_is_404(client, editor):
    assert client.get("/staff/emails/bookings.nothing/").status_code == 404
    assert client.post("/staff/emails/bookings.nothing/reset/").status_code == 404


@pytest.mark.parametrize("key", [k.key for k in email_templates.kinds()])
def test_every_link_in_a_kinds_sample_is_a_page_of_the_site(key):
    """The samples are written by hand: a link in a preview must lead where the real email's would."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    from core.mailer import absolute_url, render_email

    kind = email_templates.get(key)
    _, text, _ = render_email(kind.template, kind.sample())
    site = urlsplit(absolute_url("/")).netloc
    links = [urlsplit(u) for u in re.findall(r"https?://[^\s<>\"')]+", text)]
    for link in (link for link in links if link.netloc == site):
        try:
            resolve(link.path or "/")
        except Resolver404:
            pytest.fail(f"{key}: {link.geturl()} is not a page of the site")
