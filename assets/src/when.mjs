// Dates as people in the partnership read them (Europe/London), in the
// GOV.UK style: "Saturday 19 December 2026, 9:30am".
export function when(iso, withTime = true) {
  const p = londonParts(new Date(iso), { weekday: 'long', month: 'long' });
  const date = `${p.weekday} ${Number(p.day)} ${p.month} ${p.year}`;
  return withTime ? `${date}, ${clock(p)}` : date;
}

// "Saturday 19 December 2026, 9:30am to 4pm".
export function span(startIso, endIso) {
  return `${when(startIso)} to ${clock(londonParts(new Date(endIso)))}`;
}

// 9:30am, 4pm, midday, midnight.
function clock({ hour, minute }) {
  const h = Number(hour);
  if (minute === '00' && (h === 0 || h === 12)) return h ? 'midday' : 'midnight';
  return `${h % 12 || 12}${minute === '00' ? '' : `:${minute}`}${h < 12 ? 'am' : 'pm'}`;
}

export const STATUS = {
  confirmed: 'Confirmed', waitlisted: 'On the waitlist', cancelled: 'Cancelled',
  late_cancelled: 'Cancelled late', board_cancelled: 'Cancelled by the board',
  attended: 'Attended', partial: 'Attended in part', no_show: 'Did not attend',
};

// Parts of a moment on the clocks in London.
function londonParts(date, options = {}) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZone: 'Europe/London', ...options,
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
