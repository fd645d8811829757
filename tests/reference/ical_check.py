#!/usr/bin/python3
# Parse a calendar with Python's icalendar (Debian's python3-icalendar) and
# print what a calendar program would read from it, as JSON; exit non-zero
# when it cannot be parsed. Used by tests/integration/calendar.test.mjs.
import json
import sys

from icalendar import Calendar

with open(sys.argv[1], "rb") as f:
    cal = Calendar.from_ical(f.read())
events = [c for c in cal.walk() if c.name == "VEVENT"]
zones = [c for c in cal.walk() if c.name == "VTIMEZONE"]
e = events[0]
print(json.dumps({
    "method": str(cal.get("method")),
    "version": str(cal.get("version")),
    "events": len(events),
    "timezones": [str(z.get("tzid")) for z in zones],
    "uid": str(e.get("uid")),
    "sequence": int(e.get("sequence")),
    "status": str(e.get("status")),
    "summary": str(e.get("summary")),
    "location": str(e.get("location")),
    "description": str(e.get("description")),
    "dtstart": e.decoded("dtstart").isoformat(),
    "dtend": e.decoded("dtend").isoformat(),
    "dtstamp": e.decoded("dtstamp").isoformat(),
    "attendee": str(e.get("attendee")),
    "organizer": str(e.get("organizer")),
}))
