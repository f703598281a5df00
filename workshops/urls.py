from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.WorkshopListView.as_view(), name="list"),
    path("new/", views.WorkshopCreateView.as_view(), name="create"),
    path("<int:pk>/", views.WorkshopDetailView.as_view(), name="detail"),
    path("<int:workshop_pk>/edit/", views.WorkshopUpdateView.as_view(), name="update"),
    path("<int:pk>/report.pdf", views.WorkshopReportPdfView.as_view(), name="report_pdf"),
    path("<int:workshop_pk>/participants/add/", views.ParticipantFormView.as_view(), name="participant_add"),
    path("<int:workshop_pk>/participants/sheet/", views.SignInSheetView.as_view(), name="sign_in_sheet"),
    path("<int:workshop_pk>/participants/<int:pk>/", views.ParticipantFormView.as_view(), name="participant_update"),
    path(
        "<int:workshop_pk>/participants/<int:pk>/remove/",
        views.ParticipantDeleteView.as_view(),
        name="participant_remove",
    ),
    path("<int:workshop_pk>/presentations/add/", views.PresentationFormView.as_view(), name="presentation_add"),
    path("<int:workshop_pk>/presentations/<int:pk>/", views.PresentationFormView.as_view(), name="presentation_update"),
    path("<int:workshop_pk>/solutions/add/", views.SolutionFormView.as_view(), name="solution_add"),
    path("<int:workshop_pk>/solutions/<int:pk>/edit/", views.SolutionFormView.as_view(), name="solution_update"),
    path("<int:workshop_pk>/solutions/<int:pk>/move/", views.SolutionMoveView.as_view(), name="solution_move"),
    path("solutions/", views.SolutionListView.as_view(), name="solution_list"),
    path("solutions/<int:pk>/", views.SolutionDetailView.as_view(), name="solution_detail"),
    path("lookup/people/", views.PersonLookupView.as_view(), name="person_lookup"),
    path("lookup/organisations/", views.OrganisationLookupView.as_view(), name="organisation_lookup"),
]
