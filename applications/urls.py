from django.urls import include, path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("portfolio/<int:pk>/criterion/", views.evidence_criterion, name="evidence_criterion"),
    path("portfolio/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("portfolio/<int:pk>/move/<str:direction>/", views.evidence_move, name="evidence_move"),
    path("portfolio/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("export/pack.pdf", views.export_pdf, name="export_pdf"),
    path("export/originals.zip", views.export_zip, name="export_zip"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:position>/", views.letter_edit, name="letter_edit"),
    path("letters/<int:position>/delete/", views.letter_delete, name="letter_delete"),
    path("letters/check/", views.letters_check_start, name="letters_check_start"),
    path("letters/checks/<int:pk>/", views.letters_check, name="letters_check"),
    path("share/", views.share, name="share"),
    path("share/<int:pk>/delete/", views.unshare, name="unshare"),
    path("shared/<int:booking_id>/", views.shared_plan, name="shared_plan"),
    path("refusal/", include("applications.refusals.urls")),
]
