from django.urls import path

from . import statement_views, views

app_name = "ai_tools"
urlpatterns = [
    path("", views.index, name="index"),
    path("cv-analysis/", views.cv_analysis, name="cv_analysis"),
    path("cv-analysis/documents/<int:pk>/", views.cv_reading, name="cv_reading"),
    path("personal-statement/draft/", statement_views.statement_generate, name="statement_generate"),
    path("personal-statement/review/", statement_views.statement_enhance, name="statement_enhance"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("runs/<int:pk>/edits/<int:index>/", statement_views.statement_edit_choose, name="statement_edit_choose"),
    path("runs/<int:pk>/statement.<str:fmt>", statement_views.statement_download, name="statement_download"),
    path("history/", views.history, name="history"),
    path("ai-consent/", views.ai_consent, name="ai_consent"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
]
