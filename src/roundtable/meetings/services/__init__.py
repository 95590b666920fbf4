"""Every write of the meetings app, one keyword-only function each (see each module)."""

from .agenda import agenda_item_add, agenda_item_move, agenda_item_remove, agenda_item_update
from .attendance import (
    attendance_check_in,
    attendance_record,
    ensure_present,
    registration_cancel,
    registration_create,
)
from .calendars import (
    calendar_feed_active,
    calendar_feed_create,
    calendar_feed_revoke,
    person_for_calendar_token,
)
from .floor import (
    floor_end_turn,
    floor_grant,
    floor_request_create,
    floor_request_withdraw,
    session_close,
    session_open,
    session_set_current_item,
)
from .invitations import invitations_send
from .minutes import (
    action_item_add,
    action_item_remove,
    action_item_set_done,
    agenda_item_set_outcome,
    decode_transcript,
    minutes_publish,
    minutes_withdraw,
    statement_add,
    statement_delete,
    statement_update,
    transcript_import,
)
from .observers import observer_apply, observer_decide
from .sessions import session_cancel, session_create, session_update

__all__ = [
    "action_item_add",
    "action_item_remove",
    "action_item_set_done",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_set_outcome",
    "agenda_item_update",
    "attendance_check_in",
    "attendance_record",
    "calendar_feed_active",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "decode_transcript",
    "ensure_present",
    "floor_end_turn",
    "floor_grant",
    "floor_request_create",
    "floor_request_withdraw",
    "invitations_send",
    "minutes_publish",
    "minutes_withdraw",
    "observer_apply",
    "observer_decide",
    "person_for_calendar_token",
    "registration_cancel",
    "registration_create",
    "session_cancel",
    "session_close",
    "session_create",
    "session_open",
    "session_set_current_item",
    "session_update",
    "statement_add",
    "statement_delete",
    "statement_update",
    "transcript_import",
]
