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
