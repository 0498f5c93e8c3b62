from __future__ import annotations

from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("bench/floor/", views.floor, name="floor"),
]
