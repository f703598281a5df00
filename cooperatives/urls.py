from django.urls import path, re_path

from . import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    re_path(r"^export/(?P<file_format>xlsx|csv)/$", views.OrganisationExportView.as_view(), name="export"),
    path("new/", views.OrganisationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.OrganisationDeleteView.as_view(), name="delete"),
]
