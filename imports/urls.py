from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportUploadView.as_view(), name="upload"),
    path("template.xlsx", views.TemplateWorkbookView.as_view(), name="template"),
    path("help/", views.ImportHelpView.as_view(), name="help"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/progress/", views.ImportProgressView.as_view(), name="progress"),
    path("<int:pk>/mapping/", views.ImportRemapView.as_view(), name="remap"),
    path("<int:pk>/save/", views.ImportSaveView.as_view(), name="save"),
    path("<int:pk>/undo/", views.ImportUndoView.as_view(), name="undo"),
    path("<int:pk>/refused-rows.xlsx", views.RefusedRowsView.as_view(), name="refused_rows"),
]
