"""Booking and change-of-plan fields of an event: when booking opens and closes, places, earlier starts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from reThink_site.core import timeparse
from reThink_site.core.localdates import N_

BookingState = Literal["open", "waiting list", "fully booked"]
CHANGED_STATUSES = frozenset({"cancelled", "postponed", "moved online"})  # each tells calendars to update
# Templates show `_(status|capitalize)`: each changed status is marked here for the catalog.
STATUS_LABELS = (N_("Cancelled"), N_("Postponed"), N_("Rescheduled"), N_("Moved online"))


class Booking(BaseModel):
    """Fields an Event takes for booking and for changed plans (a base class, to keep models.py short)."""

    booking: Optional[BookingState] = None
    places: Optional[int] = Field(default=None, ge=0, le=1_000_000)
    booking_opens: Optional[datetime] = None
    booking_closes: Optional[datetime] = None
    previous_start: tuple[Union[datetime, date], ...] = ()  # earlier starts of a rescheduled event, oldest first

    @model_validator(mode="before")
    @classmethod
    def _parse_booking_times(cls, data: Any, info: ValidationInfo) -> Any:
        """Read the date-times in the event's own zone (a field validator could not see `timezone` yet)."""
        if not isinstance(data, dict):
            return data
        tz = info.context["tz"]
        if isinstance(data.get("timezone"), str):
            try:
                tz = timeparse.zone(data["timezone"])
            except ValueError:
                pass  # the timezone field reports its own error
        data = dict(data)
        for name in ("booking_opens", "booking_closes"):
            if data.get(name) is not None:
                try:
                    data[name] = timeparse.parse_datetime(data[name], tz)
                except ValueError as err:
                    raise ValueError(f"{name}: {err}") from None
        earlier = data.get("previous_start")
        if earlier is not None:
            values = earlier if isinstance(earlier, (list, tuple)) else [earlier]
            try:
                data["previous_start"] = tuple(timeparse.parse_date_or_datetime(v, tz) for v in values)
            except ValueError as err:
                raise ValueError(f"previous_start: {err}") from None
        return data

    @model_validator(mode="after")
    def _check_plans(self) -> "Booking":
        status = getattr(self, "status", "scheduled")
        if status == "rescheduled" and not self.previous_start:
            raise ValueError("previous_start: expected the start the event had before it moved "
                             "(status is rescheduled)")
        if self.booking_opens and self.booking_closes and self.booking_opens > self.booking_closes:
            raise ValueError(f"booking_closes: expected a time after booking_opens ({self.booking_opens}), "
                             f"found {self.booking_closes}")
        return self

    @property
    def sequence(self) -> int:
        """iCalendar SEQUENCE from the content alone: two per earlier start, one more for a changed status."""
        return 2 * len(self.previous_start) + (getattr(self, "status", "") in CHANGED_STATUSES)


def booking_state(event: Booking, now: Optional[datetime]) -> Optional[str]:
    """What booking looks like at *now*: open, waiting list, fully booked, not open yet, closed (None: not said).

    *now* is needed only when the event gives booking times (None otherwise), so that only those pages
    depend on the build's clock.
    """
    if event.booking_closes is not None and now is not None and now >= event.booking_closes:
        return "closed"
    if event.booking in ("waiting list", "fully booked"):
        return event.booking
    if event.booking_opens is not None and now is not None and now < event.booking_opens:
        return "not open yet"
    if event.booking == "open" or event.booking_closes is not None or event.booking_opens is not None:
        return "open"
    return None


def needs_clock(event: Booking) -> bool:
    """Whether the booking state can change as time passes."""
    return event.booking_opens is not None or event.booking_closes is not None
