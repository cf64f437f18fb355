"""core.fragments: generations, bumps on commit, and HTML refreshed by one request."""

import threading

import pytest
from django.core.cache import cache
from django.db import transaction

from core import fragments


@pytest.mark.django_db
def test_generation_is_stable_until_a_bump_commits(django_capture_on_commit_callbacks):
    first = fragments.generation("user:1", "expert:2")
    assert fragments.generation("user:1", "expert:2") == first
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fragments.bump("user:1")
    assert fragments.generation("user:1", "expert:2") == first  # not before the commit
    for callback in callbacks:
        callback()
    after = fragments.generation("user:1", "expert:2")
    assert after != first
    assert after.split(".")[1] == first.split(".")[1]  # the other scope is untouched


@pytest.mark.django_db
def test_a_rolled_back_write_does_not_bump():
    before = fragments.generation("user:7")
    with pytest.raises(RuntimeError), transaction.atomic():
        fragments.bump("user:7")
        raise RuntimeError
    assert fragments.generation("user:7") == before


def test_html_is_rendered_once_while_fresh():
    calls = []

    def render():
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    assert fragments.html_refreshed_by_one("k", render, fresh_seconds=60) == "<p>1</p>"
    assert fragments.html_refreshed_by_one("k", render, fresh_seconds=60) == "<p>1</p>"
    assert len(calls) == 1


def test_stale_html_is_served_while_another_request_renders():
    fragments.html_refreshed_by_one("k", lambda: "old", fresh_seconds=60)
    cache.delete("k:fresh")  # the minute is up
    cache.add("k:lock", 1)  # ...and another request is already rendering

    assert fragments.html_refreshed_by_one("k", lambda: "new", fresh_seconds=60) == "old"

    cache.delete("k:lock")  # that request finished without storing (it failed): the next one renders
    assert fragments.html_refreshed_by_one("k", lambda: "new", fresh_seconds=60) == "new"
    assert fragments.html_refreshed_by_one("k", lambda: "newer", fresh_seconds=60) == "new"


def test_concurrent_requests_on_a_stale_copy_render_it_once():
    fragments.html_refreshed_by_one("k", lambda: "old", fresh_seconds=60)
    cache.delete("k:fresh")
    rendering, release, renders, results = threading.Event(), threading.Event(), [], []

    def slow_render():
        renders.append(1)
        rendering.set()
        release.wait(5)
        return "new"

    first = threading.Thread(
        target=lambda: results.append(fragments.html_refreshed_by_one("k", slow_render, fresh_seconds=60))
    )
    first.start()
    assert rendering.wait(5)
    # While the first request renders, three more arrive: each gets the previous copy at once.
    others = [fragments.html_refreshed_by_one("k", slow_render, fresh_seconds=60) for _ in range(3)]
    release.set()
    first.join(5)

    assert others == ["old", "old", "old"]
    assert results == ["new"] and len(renders) == 1
    assert fragments.html_refreshed_by_one("k", slow_render, fresh_seconds=60) == "new"
