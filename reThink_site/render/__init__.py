"""Rendering: templates, pages, calendars, feeds, iCalendar, JSON-LD, SEO files, e-mail and assets."""
