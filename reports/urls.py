from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("summary.pdf", views.SummaryPdfView.as_view(), name="summary_pdf"),
    path("stats.json", views.StatsJsonView.as_view(), name="stats_json"),
    path("download/<slug:table>.<slug:file_format>", views.BreakdownDownloadView.as_view(), name="download"),
    path(
        "registers/organisations.<slug:file_format>",
        views.OrganisationsDownloadView.as_view(),
        name="organisations_download",
    ),
    path("registers/members.<slug:file_format>", views.MembersDownloadView.as_view(), name="members_download"),
    path("issued/", views.IssuedReportListView.as_view(), name="issued_list"),
    path("issued/new/", views.IssueReportView.as_view(), name="issue"),
    path("issued/<int:pk>/", views.IssuedReportDetailView.as_view(), name="issued_detail"),
    path("issued/<int:pk>/report.pdf", views.IssuedReportDownloadView.as_view(), name="issued_download"),
]
