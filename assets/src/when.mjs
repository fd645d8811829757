// Dates as people in the partnership read them (Europe/London).
export function when(iso, withTime = true) {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    timeZone: 'Europe/London',
  }).format(new Date(iso));
}

export const STATUS = {
  confirmed: 'Confirmed', waitlisted: 'On the waitlist', cancelled: 'Cancelled',
  late_cancelled: 'Cancelled late', board_cancelled: 'Cancelled by the board',
  attended: 'Attended', partial: 'Attended in part', no_show: 'Did not attend',
};

// Parts of a moment on the clocks in London.
function londonParts(date) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZone: 'Europe/London',
  }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

// The date in London, YYYY-MM-DD, `days` from today.
export function londonDate(days = 0) {
  const p = londonParts(new Date(Date.now() + days * 86400e3));
  return `${p.year}-${p.month}-${p.day}`;
}

// An ISO 8601 time as London's wall clock, YYYY-MM-DDTHH:MM, the value
// of a datetime-local input (which the API reads as Europe/London).
export function londonLocal(iso) {
  const p = londonParts(new Date(iso));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export const FORMATS = {
  full_day: 'Full day', half_day: 'Half day', twilight: 'Twilight',
  e_learning: 'E-learning', seminar: 'Seminar', conference: 'Conference',
};
