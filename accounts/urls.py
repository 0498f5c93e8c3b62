from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.org_chart, name="org_chart"),
    path("org/setup/", views.org_setup, name="org_setup"),
    path("org/import/", views.org_import, name="org_import"),
    path("org/invitations/", views.invitation_list, name="invitations"),
    path("org/invitations/send/", views.invitation_send, name="invitation_send"),
    path("org/invitations/send-all/", views.invitation_send_all, name="invitation_send_all"),
    # Public: the link in the invitation email (the token is the credential).
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
