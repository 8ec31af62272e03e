"""What an event says besides its body, in words every output shares: joining, booking, access, organiser."""

from __future__ import annotations

from typing import Optional

from reThink_site.content import eventtime
from reThink_site.content.booking import booking_state, needs_clock
from reThink_site.content.index import Site
from reThink_site.content.models import Event
from reThink_site.core.localdates import N_
from reThink_site.render import catalogs


def booking_now(event: Event, site: Site) -> Optional[str]:
    """The booking state at the build's time; the clock is read only when the event gives booking times."""
    return booking_state(event, site.now if needs_clock(event) else None)


def join_link(event: Event) -> Optional[str]:
    """The online join link of an online, hybrid or moved-online event."""
    return event.location.join_link if event.location is not None else None


def notes(event: Event, site: Site) -> list[str]:
    """Plain lines for calendars and e-mail: the join link, registration, booking deadline and access.

    In the site's language (a Welsh site's calendars say `Cofrestru:`), through the default theme's catalog.
    """
    config = site.config
    words = catalogs.theme_words(config.language)
    lines = []
    if join_link(event):
        lines.append(words(N_("Join online")) + f": {join_link(event)}")
    if event.registration and event.status != "cancelled":
        lines.append(words(N_("Register")) + f": {event.registration}")
    if event.booking_closes is not None:
        when = eventtime.moment_text(event.booking_closes, event, config.tz, config.events.clock, config.language,
                                     words)
        lines.append(words(N_("Booking closes at %(when)s")) % {"when": when})
    access = event.access_details
    if access is not None:
        lines.append(words(N_("Access")) + ":\n" + "\n".join(f"- {line}" for line in access.lines(words)))
    return lines


def organizer(event: Event, site: Site) -> tuple[str, str]:
    """Who organises an event, for ORGANIZER: the host's name (else the site's) and the site's contact address.

    Without a `contact_email` in site.yaml the address is the site's own URL, a URI as iCalendar allows.
    """
    config = site.config
    name = event.host or (config.author.organisation if config.author and config.author.organisation
                          else config.title)
    address = f"mailto:{config.contact_email}" if config.contact_email else config.base_url
    return name, address
