from django.template import engines

from talentvisa.warmup import project_template_names, warm_up


def test_warm_up_compiles_every_project_template_without_the_database():
    # No django_db mark: any database access here would raise.
    count = warm_up()
    names = project_template_names()
    assert count == len(names) > 50
    assert {"base.html", "home.html", "bookings/list.html", "site_admin/_dashboard_figures.html"} <= set(names)
    loader = engines["django"].engine.template_loaders[0]
    if hasattr(loader, "get_template_cache"):  # the cached loader (production): all kept compiled
        assert {"base.html", "home.html"} <= set(loader.get_template_cache)
