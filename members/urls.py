from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("search/", views.PeopleSearchView.as_view(), name="people_search"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="update"),
    path("<int:pk>/withdraw-consent/", views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("<int:pk>/delete/", views.PersonDeleteView.as_view(), name="delete"),
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicates"),
    path("<int:pk>/merge/<int:other>/", views.PersonMergeView.as_view(), name="merge"),
    path("merges/<int:pk>/", views.PersonMergeDetailView.as_view(), name="merge_detail"),
    path("merges/<int:pk>/undo/", views.PersonMergeUndoView.as_view(), name="merge_undo"),
    path("organisation/<int:pk>/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path("organisation/<int:pk>/appoint/", views.PositionAppointView.as_view(), name="position_appoint"),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
    path("positions/<int:pk>/end/", views.PositionEndView.as_view(), name="position_end"),
    path("memberships/<int:pk>/correct/", views.MembershipCorrectView.as_view(), name="membership_correct"),
    path("positions/<int:pk>/correct/", views.PositionCorrectView.as_view(), name="position_correct"),
    path("memberships/<int:pk>/delete/", views.MembershipDeleteView.as_view(), name="membership_delete"),
    path("positions/<int:pk>/delete/", views.PositionDeleteView.as_view(), name="position_delete"),
]
