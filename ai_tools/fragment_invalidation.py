"""Cached page fragments that show AI runs or documents get a new generation when those change.

The AI history and the dashboard's AI cards are cached under the user's scope (core.fragments).
Runs change status, headline and refund flag through save() (services and the Celery task),
documents are created and deleted as rows: following both covers every path, the admin included.
A deleted document also covers the runs that pointed at it (SET_NULL is an UPDATE without
signals): a run's document always belongs to the run's user. Connected from AiToolsConfig.ready().
"""

from __future__ import annotations

from core import fragments

from .models import AIRun, Document


def connect() -> None:
    fragments.follow(AIRun, lambda run: [fragments.user_scope(run.user_id)])
    fragments.follow(Document, lambda document: [fragments.user_scope(document.owner_id)])
