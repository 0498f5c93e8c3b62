from __future__ import annotations

from django.urls import path

from one_on_ones.views import meeting, pages

app_name = "one_on_ones"

urlpatterns = [
    path("", pages.one_on_one_list, name="list"),
    path("people/<int:engineer_id>/", pages.pair_detail, name="pair"),
    path("people/<int:engineer_id>/log/", pages.log_one_on_one, name="log"),
    path("people/<int:engineer_id>/cadence/", pages.set_cadence, name="cadence"),
    path("people/<int:engineer_id>/consent/", pages.set_history_consent, name="consent"),
    path("<int:one_on_one_id>/", meeting.one_on_one_detail, name="detail"),
    path("<int:one_on_one_id>/shared-notes/", meeting.save_shared_notes, name="shared_notes"),
    path("<int:one_on_one_id>/private-note/", meeting.save_private_note, name="private_note"),
    path("<int:one_on_one_id>/agenda/", meeting.add_agenda_item, name="agenda_add"),
    path("agenda/<int:item_id>/discussed/", meeting.set_agenda_discussed, name="agenda_discussed"),
    path("<int:one_on_one_id>/actions/", meeting.add_action_item, name="action_add"),
    path("actions/<int:item_id>/done/", meeting.set_action_done, name="action_done"),
    path("<int:one_on_one_id>/pulse/", meeting.answer_pulse, name="pulse"),
]
