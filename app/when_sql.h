/*
 * when_sql: SQL expressions that write a time in London as the pages
 * write it (assets/src/when.mjs): "Tuesday 1 September 2026, 9:30am",
 * "4pm", "midday". For mail and messages, so that pages and mail speak
 * with one voice. Each macro takes an SQL expression of a timestamptz.
 */
#ifndef PORTAL_WHEN_SQL_H
#define PORTAL_WHEN_SQL_H

#define WHEN_SQL_LONDON(x)	"(" x " AT TIME ZONE 'Europe/London')"

/* "9:30am", "4pm", "midday", "midnight". */
#define WHEN_SQL_CLOCK(x) \
	"(CASE to_char(" WHEN_SQL_LONDON(x) ", 'HH24:MI')" \
	" WHEN '12:00' THEN 'midday' WHEN '00:00' THEN 'midnight'" \
	" ELSE to_char(" WHEN_SQL_LONDON(x) ", CASE WHEN to_char(" \
	WHEN_SQL_LONDON(x) ", 'MI') = '00' THEN 'FMHH12am'" \
	" ELSE 'FMHH12:MIam' END) END)"

/* "Tuesday 1 September 2026". */
#define WHEN_SQL_DAY(x) \
	"to_char(" WHEN_SQL_LONDON(x) ", 'FMDay FMDD FMMonth YYYY')"

/* "Tuesday 1 September 2026, 9:30am". */
#define WHEN_SQL(x)	"(" WHEN_SQL_DAY(x) " || ', ' || " WHEN_SQL_CLOCK(x) ")"

#endif /* !PORTAL_WHEN_SQL_H */
