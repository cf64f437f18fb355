"""Cached page fragments that show AI runs or documents get a new generation when those change.

The AI history and the dashboard's AI cards are cached under the user's scope
(core.fragments). Runs change status, headline and refund flag through save() (services and
the Celery task), documents are created and deleted as rows: model signals cover every path,
including the admin. Connected once from AiToolsConfig.ready().
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from core import fragments

from .models import AIRun, Document


def run_changed(sender, instance: AIRun, **kwargs) -> None:
    fragments.bump(fragments.user_scope(instance.user_id))


def document_changed(sender, instance: Document, **kwargs) -> None:
    # Also covers the runs whose document is deleted (SET_NULL is an UPDATE without signals):
    # a run's document always belongs to the run's user.
    fragments.bump(fragments.user_scope(instance.owner_id))


def connect() -> None:
    uid = "ai_tools.fragment_invalidation."
    post_save.connect(run_changed, sender=AIRun, dispatch_uid=uid + "run-save")
    post_delete.connect(run_changed, sender=AIRun, dispatch_uid=uid + "run-delete")
    post_save.connect(document_changed, sender=Document, dispatch_uid=uid + "document-save")
    post_delete.connect(document_changed, sender=Document, dispatch_uid=uid + "document-delete")
