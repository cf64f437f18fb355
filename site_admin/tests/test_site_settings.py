import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts import services as account_services
from accounts.selectors import wallet_for
from accounts.tests.factories import UserFactory
from core import conf
from core.conf import CACHE_KEY, forget_local_copy, setting, site_settings
from core.models import SiteSettings, SiteSettingsChange

pytestmark = pytest.mark.django_db


def test_first_read_takes_the_env_defaults(settings):
    SiteSettings.objects.all().delete()
    cache.clear()
    forget_local_copy()
    settings.SIGNUP_BONUS_POINTS = 33
    assert setting("SIGNUP_BONUS_POINTS") == 33
    assert SiteSettings.objects.get().signup_bonus_points == 33


def test_a_change_takes_effect_at_once_and_is_recorded(site_config):
    staff_change = site_config(signup_bonus_points=5)
    assert staff_change.signup_bonus_points == 5
    user = UserFactory()

    account_services.user_email_verified(user=user)

    assert wallet_for(user=user).points_balance == 5
    change = SiteSettingsChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == ("signup_bonus_points", "20", "5")


def test_other_workers_see_the_change_through_the_shared_cache(site_config):
    site_settings()  # this "worker" has the old row cached
    site_config(price_cv_analysis=12)
    assert cache.get(CACHE_KEY) is None or cache.get(CACHE_KEY).price_cv_analysis == 12
    assert setting("AI_PRICE_CV_ANALYSIS") == 12


def test_another_worker_keeps_its_copy_for_at_most_local_seconds(site_config, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(conf.time, "monotonic", lambda: clock[0])
    forget_local_copy()  # the copy warmed before the test expires on the real clock
    old = site_settings()
    # Another worker saves a change: it reaches the shared cache and the database, not our copy.
    SiteSettings.objects.filter(pk=1).update(price_cv_analysis=old.price_cv_analysis + 7)
    cache.delete(CACHE_KEY)

    clock[0] += conf.LOCAL_SECONDS - 0.1
    assert setting("AI_PRICE_CV_ANALYSIS") == old.price_cv_analysis
    clock[0] += 0.2
    assert setting("AI_PRICE_CV_ANALYSIS") == old.price_cv_analysis + 7


def test_admin_edits_go_through_the_service_and_banner_appears(admin_client, admin_user, client):
    assert admin_client.get("/admin/core/sitesettings/").headers["Location"].endswith("/1/change/")
    form = admin_client.get("/admin/core/sitesettings/1/change/").context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["maintenance_banner"] = "Payments are paused for maintenance until 14:00."

    response = admin_client.post("/admin/core/sitesettings/1/change/", data)

    assert response.status_code == 302
    change = SiteSettingsChange.objects.get()
    assert change.field == "maintenance_banner" and change.actor == admin_user
    assert "Payments are paused for maintenance" in client.get("/").content.decode()


def test_percent_over_100_is_refused(site_config):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        site_config(booking_partial_refund_percent=150)
    assert setting("BOOKING_PARTIAL_REFUND_PERCENT") == 50


def _admin_form_data(admin_client):
    form = admin_client.get("/admin/core/sitesettings/1/change/").context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"booking_hold_minutes": 0}, "booking_hold_minutes"),
        ({"booking_hold_minutes": 100000}, "booking_hold_minutes"),
        ({"booking_full_refund_hours": 12, "booking_partial_refund_hours": 24}, "booking_full_refund_hours"),
        ({"booking_late_cancel_expert_percent": 101}, "booking_late_cancel_expert_percent"),
        ({"platform_default_commission_bps": 10001}, "platform_default_commission_bps"),
        ({"dispute_window_hours": 0}, "dispute_window_hours"),
    ],
)
def test_nonsense_settings_are_refused_by_the_admin_and_the_service(admin_client, changes, field):
    data = {**_admin_form_data(admin_client), **changes}
    response = admin_client.post("/admin/core/sitesettings/1/change/", data)
    assert response.status_code == 200  # the form again, with the error
    assert field in response.context["adminform"].form.errors
    with pytest.raises(ValidationError):
        conf.site_settings_update(actor=None, changes=changes)
    assert not SiteSettingsChange.objects.exists()
    assert SiteSettings.objects.get().booking_hold_minutes == 15


def test_sensible_edges_are_accepted(admin_client):
    data = {**_admin_form_data(admin_client), "booking_hold_minutes": 5, "booking_full_refund_hours": 24}
    assert admin_client.post("/admin/core/sitesettings/1/change/", data).status_code == 302
    assert (setting("BOOKING_HOLD_MINUTES"), setting("BOOKING_FULL_REFUND_HOURS")) == (5, 24)
