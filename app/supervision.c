/*
 * supervision: validation of groups, members and meetings.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"
#include "notes.h"
#include "stats.h"
#include "supervision.h"
#include "text.h"

static const char *const supervision_kinds[] = {
	"primary", "secondary", "mixed", NULL
};

/* What a meeting covered: code, and name as people read it. */
static const char *const supervision_topics[][2] = {
	{ "practice_dilemmas", "Practice dilemmas" },
	{ "specific_topic", "A specific topic" },
	{ "child_protection_cases", "Child protection cases" },
	{ "case_review_learning", "Learning from case reviews" },
	{ "wellbeing", "Wellbeing" },
	{ NULL, NULL }
};

static const char *const supervision_statuses[] = {
	"present", "apologies", "absent", NULL
};

static const char *supervision_text(const cJSON *, const char *, size_t,
		    int, int, int *, cJSON *, const char *);
static long	supervision_count(const cJSON *, const char *, long, long,
		    int, cJSON *, const char *);
static const char *supervision_date(const cJSON *, const char *, int,
		    int *, cJSON *, const char *);
static int	supervision_in(const char *const *, const char *);
static int	supervision_multiline_ok(const char *);
static void	supervision_meeting_scalars(const cJSON *, int,
		    struct supervision_meeting *, cJSON *);
static void	supervision_meeting_topics(const cJSON *,
		    struct supervision_meeting *, cJSON *);
static void	supervision_meeting_attendance(const cJSON *, int,
		    struct supervision_meeting *, cJSON *);

/*
 * A new group from `body`: {"name","kind","facilitator",
 * "facilitator_person_id"}. Returns 0, or -1 with every problem in
 * `fields`.
 */
int
supervision_group_parse(const cJSON *body, struct supervision_group *g,
    cJSON *fields)
{
	const cJSON	*v;

	memset(g, 0, sizeof(*g));
	g->name = supervision_text(body, "name", 200, 1, 0, NULL, fields,
	    "Enter the group's name.");
	g->kind = supervision_text(body, "kind", 20, 1, 0, NULL, fields,
	    "Choose whether the group is for primary, secondary or mixed "
	    "schools.");
	if (g->kind != NULL && !supervision_in(supervision_kinds, g->kind)) {
		cJSON_AddStringToObject(fields, "kind", "Choose whether the "
		    "group is for primary, secondary or mixed schools.");
		g->kind = NULL;
	}
	g->facilitator = supervision_text(body, "facilitator", 200, 1, 0,
	    NULL, fields, "Enter who facilitates the group, for example "
	    "the Educational Psychology Service.");
	v = cJSON_GetObjectItemCaseSensitive(body, "facilitator_person_id");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > 9007199254740991.0 ||
		    floor(v->valuedouble) != v->valuedouble)
			cJSON_AddStringToObject(fields,
			    "facilitator_person_id", "Choose the facilitator's "
			    "account, or none.");
		else
			g->facilitator_person_id = (long long)v->valuedouble;
	}
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/*
 * The members of a group from `body`: {"person_ids":[...],
 * "effective_on":"YYYY-MM-DD"} (the date they join or leave; optional).
 * `*ids` (caller frees) gets the ids without repeats, `*n` their number,
 * `*effective_on` the date or NULL. Returns 0, or -1 with `fields`.
 */
int
supervision_members_parse(const cJSON *body, long long **ids, size_t *n,
    const char **effective_on, cJSON *fields)
{
	const cJSON	*list, *v;
	size_t		 i;
	long long	 id;
	int		 bad;

	*ids = NULL;
	*n = 0;
	*effective_on = supervision_date(body, "effective_on", 0, NULL,
	    fields, NULL);
	list = cJSON_GetObjectItemCaseSensitive(body, "person_ids");
	if (!cJSON_IsArray(list) ||
	    cJSON_GetArraySize(list) > SUPERVISION_MEMBERS_MAX) {
		cJSON_AddStringToObject(fields, "person_ids", "Send the "
		    "members as a list of people, at most 200.");
		return (-1);
	}
	if ((*ids = calloc((size_t)cJSON_GetArraySize(list) + 1,
	    sizeof(**ids))) == NULL)
		return (-1);
	bad = 0;
	cJSON_ArrayForEach(v, list) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > 9007199254740991.0 ||
		    floor(v->valuedouble) != v->valuedouble) {
			bad = 1;
			continue;
		}
		id = (long long)v->valuedouble;
		for (i = 0; i < *n && (*ids)[i] != id; i++)
			;
		if (i == *n)
			(*ids)[(*n)++] = id;
	}
	if (bad)
		cJSON_AddStringToObject(fields, "person_ids", "Each member "
		    "is a person's id.");
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/*
 * A meeting from `body` (`create`: a new record, where held_on,
 * duration_minutes and attendance are required; else a correction, where
 * every field is optional). Returns 0, or -1 with every problem in
 * `fields`; in both cases free `m` with supervision_meeting_free().
 */
int
supervision_meeting_parse(const cJSON *body, int create,
    struct supervision_meeting *m, cJSON *fields)
{
	memset(m, 0, sizeof(*m));
	if (!cJSON_IsObject(body)) {
		cJSON_AddStringToObject(fields, "body", "Send the meeting as "
		    "a JSON object.");
		return (-1);
	}

	/* The single fields: dates, numbers and text. */
	supervision_meeting_scalars(body, create, m, fields);

	/* Topics, and the specific topic when that one is chosen. */
	supervision_meeting_topics(body, m, fields);
	if (m->has_specific_topic_topic && (m->specific_topic == NULL ||
	    *m->specific_topic == '\0') &&
	    cJSON_GetObjectItemCaseSensitive(fields, "specific_topic") == NULL)
		cJSON_AddStringToObject(fields, "specific_topic", "Say what "
		    "the specific topic was.");

	/* Attendance, required of a new record. */
	supervision_meeting_attendance(body, create, m, fields);
	return (cJSON_GetArraySize(fields) > 0 ? -1 : 0);
}

/*
 * The meeting's single fields from `body` into `m`, each wrong one named
 * in `fields`: a next date must be after the meeting.
 */
static void
supervision_meeting_scalars(const cJSON *body, int create,
    struct supervision_meeting *m, cJSON *fields)
{
	m->held_on = supervision_date(body, "held_on", create, NULL, fields,
	    "Enter the date of the meeting.");
	m->duration_minutes = supervision_count(body, "duration_minutes", 15,
	    480, create, fields, "Enter how long the meeting lasted, 15 to "
	    "480 minutes.");
	m->facilitator = supervision_text(body, "facilitator", 200, 0, 0,
	    NULL, fields, "Enter who facilitated the meeting.");
	m->specific_topic = supervision_text(body, "specific_topic", 200, 0,
	    0, &m->set_specific_topic, fields, "Say what the specific topic "
	    "was, in up to 200 characters.");
	m->cases_discussed = supervision_count(body, "cases_discussed", 0,
	    100, 0, fields, "Enter the number of cases discussed, 0 to 100.");
	m->actions = supervision_text(body, "actions", 4000, 0, 1,
	    &m->set_actions, fields, "Keep the actions to 4,000 characters.");
	m->next_date = supervision_date(body, "next_date", 0,
	    &m->set_next_date, fields, "Enter the date of the next meeting.");
	if (m->held_on != NULL && m->next_date != NULL &&
	    strcmp(m->next_date, m->held_on) <= 0)
		cJSON_AddStringToObject(fields, "next_date", "The next meeting "
		    "must be after this one.");
	m->case_notes = supervision_text(body, "case_notes", NOTES_MAX, 0, 1,
	    &m->set_case_notes, fields, "Keep the case notes to 20,000 "
	    "characters.");
}

/*
 * The meeting's "topics" (optional): known codes, each once, into
 * m->topics as a text[] literal in the order of supervision_topics.
 */
static void
supervision_meeting_topics(const cJSON *body, struct supervision_meeting *m,
    cJSON *fields)
{
	const cJSON	*v, *item;
	size_t		 len, k;
	unsigned int	 chosen;

	v = cJSON_GetObjectItemCaseSensitive(body, "topics");
	if (v == NULL || cJSON_IsNull(v))
		return;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > 5) {
		cJSON_AddStringToObject(fields, "topics", "Choose what the "
		    "meeting covered.");
		return;
	}
	if ((m->topics = calloc(1, 256)) == NULL)
		return;

	/* Which topics were chosen: each a known code, once. */
	chosen = 0;
	cJSON_ArrayForEach(item, v) {
		for (k = 0; supervision_topics[k][0] != NULL; k++) {
			if (cJSON_IsString(item) && strcmp(item->valuestring,
			    supervision_topics[k][0]) == 0)
				break;
		}
		if (supervision_topics[k][0] == NULL ||
		    (chosen & (1u << k))) {
			cJSON_AddStringToObject(fields, "topics", "Choose "
			    "what the meeting covered, each once.");
			break;
		}
		chosen |= 1u << k;
	}

	/* In the order of the list, as a text[] literal. */
	len = 0;
	m->topics[len++] = '{';
	for (k = 0; supervision_topics[k][0] != NULL; k++) {
		if (!(chosen & (1u << k)))
			continue;
		len += (size_t)snprintf(m->topics + len, 256 - len, "%s%s",
		    len > 1 ? "," : "", supervision_topics[k][0]);
	}
	m->topics[len++] = '}';
	m->has_specific_topic_topic = (chosen & 2u) != 0;
}

/*
 * The meeting's "attendance" (required when `create`): one entry a
 * person, each with a known status, into m->attendance as a JSON array
 * of {person_id, status}. Each wrong entry is named in `fields`.
 */
static void
supervision_meeting_attendance(const cJSON *body, int create,
    struct supervision_meeting *m, cJSON *fields)
{
	const cJSON	*v, *item, *pid, *status;
	cJSON		*out, *e;
	char		 key[48];
	size_t		 i, k, count;
	long long	*seen;
	int		 set;

	v = cJSON_GetObjectItemCaseSensitive(body, "attendance");
	set = v != NULL && !cJSON_IsNull(v);
	if (!set && create)
		cJSON_AddStringToObject(fields, "attendance", "Record the "
		    "attendance of every member.");
	if (set && (!cJSON_IsArray(v) ||
	    cJSON_GetArraySize(v) > SUPERVISION_MEMBERS_MAX)) {
		cJSON_AddStringToObject(fields, "attendance", "Send the "
		    "attendance as a list of {person_id, status}, at most 200.");
		set = 0;
	}
	if (!set)
		return;

	count = (size_t)cJSON_GetArraySize(v);
	seen = calloc(count + 1, sizeof(*seen));
	out = cJSON_CreateArray();
	i = 0;
	cJSON_ArrayForEach(item, v) {
		pid = cJSON_GetObjectItemCaseSensitive(item, "person_id");
		status = cJSON_GetObjectItemCaseSensitive(item, "status");

		/* A person's id, a whole number JSON can carry exactly. */
		if (!cJSON_IsNumber(pid) || pid->valuedouble < 1 ||
		    pid->valuedouble > 9007199254740991.0 ||
		    floor(pid->valuedouble) != pid->valuedouble) {
			snprintf(key, sizeof(key), "attendance[%zu]", i);
			cJSON_AddStringToObject(fields, key, "Each entry "
			    "needs the member's person_id.");
			i++;
			continue;
		}

		/* A known status. */
		snprintf(key, sizeof(key), "attendance.%lld",
		    (long long)pid->valuedouble);
		if (!cJSON_IsString(status) ||
		    !supervision_in(supervision_statuses,
		    status->valuestring)) {
			cJSON_AddStringToObject(fields, key, "Say whether "
			    "they were present, sent apologies or were "
			    "absent.");
			i++;
			continue;
		}

		/* Each person once. */
		for (k = 0; k < i && seen != NULL &&
		    seen[k] != (long long)pid->valuedouble; k++)
			;
		if (seen != NULL && k < i) {
			cJSON_AddStringToObject(fields, key, "Each member's "
			    "attendance once.");
			i++;
			continue;
		}
		if (seen != NULL)
			seen[i] = (long long)pid->valuedouble;
		e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "person_id", pid->valuedouble);
		cJSON_AddStringToObject(e, "status", status->valuestring);
		cJSON_AddItemToArray(out, e);
		i++;
	}
	free(seen);
	m->attendance = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
}

/* Free what supervision_meeting_parse() allocated. */
void
supervision_meeting_free(struct supervision_meeting *m)
{
	free(m->topics);
	cJSON_free(m->attendance);
	m->topics = NULL;
	m->attendance = NULL;
}

/*
 * The dates of school year `year` (Y of Y/Y+1) as of `today` into `*p`:
 * as_of is today, or the year's last day when it is over; the term of
 * as_of into `*current`. Returns 0, -1 for a year out of range or not
 * begun by `today`.
 */
int
supervision_period_of(int year, const struct term_date *today,
    struct supervision_period *p, struct term *current)
{
	struct term		 t[TERM__MAX];
	struct term_date	 as_of;
	int			 k;

	for (k = 0; k < TERM__MAX; k++) {
		if (term_of_year(year, (enum term_kind)k, &t[k]) == -1)
			return (-1);
	}
	if (term_date_cmp(today, &t[TERM_AUTUMN].start) < 0)
		return (-1);
	as_of = term_date_cmp(today, &t[TERM_SUMMER].end) > 0 ?
	    t[TERM_SUMMER].end : *today;
	if (term_containing(&as_of, current) == -1)
		return (-1);
	term_date_format(&t[TERM_AUTUMN].start, p->start, sizeof(p->start));
	term_date_format(&t[TERM_SUMMER].end, p->end, sizeof(p->end));
	term_date_format(&t[TERM_AUTUMN].end, p->autumn_end,
	    sizeof(p->autumn_end));
	term_date_format(&t[TERM_SPRING].end, p->spring_end,
	    sizeof(p->spring_end));
	term_date_format(&current->start, p->term_start,
	    sizeof(p->term_start));
	term_date_format(&current->end, p->term_end, sizeof(p->term_end));
	term_date_format(&as_of, p->as_of, sizeof(p->as_of));
	return (0);
}

/*
 * k of n as {"k","n","rate","lower","upper"} with the Wilson interval at
 * 95 % (rate and interval null when n is 0): figure_proportion(), never
 * suppressed (attendance at meetings, not anyone's answers). Counts
 * below 0 count as 0.
 */
cJSON *
supervision_proportion(long long k, long long n)
{
	return (figure_proportion(k > 0 ? (size_t)k : 0, n > 0 ? (size_t)n : 0,
	    0.95, 1));
}

/*
 * Add to a DSL's row (from db_supervision_report_dsls) whether their
 * training is in date ("training_in_date": in date or lapsing, by the
 * coverage rules) and its "flags": "no_supervision_this_term" when they
 * attended no meeting in the current term, "training_lapsed" when their
 * training has expired or they never had it.
 */
void
supervision_dsl_flags(cJSON *row)
{
	const cJSON	*status, *term;
	cJSON		*flags;
	int		 in_date;

	status = cJSON_GetObjectItemCaseSensitive(row, "training_status");
	term = cJSON_GetObjectItemCaseSensitive(row, "attended_this_term");
	in_date = cJSON_IsString(status) &&
	    (strcmp(status->valuestring, "in_date") == 0 ||
	    strcmp(status->valuestring, "lapsing") == 0);
	cJSON_AddBoolToObject(row, "training_in_date", in_date);
	flags = cJSON_AddArrayToObject(row, "flags");
	if (!cJSON_IsNumber(term) || term->valuedouble < 1)
		cJSON_AddItemToArray(flags,
		    cJSON_CreateString("no_supervision_this_term"));
	if (!in_date)
		cJSON_AddItemToArray(flags,
		    cJSON_CreateString("training_lapsed"));
}

/*
 * Turn a group's row (from db_supervision_report_groups: "autumn",
 * "spring", "summer", "present", "expected") into the report's figures:
 * "meetings" per term and in all, "terms_without_meeting" among the terms
 * begun by `as_of` (`terms`: the year's three), and "attendance", the
 * proportion present with its Wilson interval.
 */
void
supervision_group_figures(cJSON *row, const struct term *terms,
    const struct term_date *as_of)
{
	cJSON		*meetings, *missing, *v;
	long long	 present, expected, total;
	int		 k;

	meetings = cJSON_CreateObject();
	missing = cJSON_CreateArray();
	total = 0;
	for (k = 0; k < TERM__MAX; k++) {
		v = cJSON_DetachItemFromObjectCaseSensitive(row,
		    term_code((enum term_kind)k));
		total += cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
		if ((!cJSON_IsNumber(v) || v->valuedouble < 1) &&
		    term_date_cmp(&terms[k].start, as_of) <= 0)
			cJSON_AddItemToArray(missing, cJSON_CreateString(
			    term_code((enum term_kind)k)));
		cJSON_AddItemToObject(meetings, term_code((enum term_kind)k),
		    v != NULL ? v : cJSON_CreateNumber(0));
	}
	cJSON_AddItemToObject(row, "meetings", meetings);
	cJSON_AddNumberToObject(row, "meetings_total", (double)total);
	cJSON_AddItemToObject(row, "terms_without_meeting", missing);
	v = cJSON_DetachItemFromObjectCaseSensitive(row, "present");
	present = cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
	cJSON_Delete(v);
	v = cJSON_DetachItemFromObjectCaseSensitive(row, "expected");
	expected = cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
	cJSON_Delete(v);
	cJSON_AddItemToObject(row, "attendance",
	    supervision_proportion(present, expected));
}

/* A topic's name as people read it ("" for an unknown code). */
const char *
supervision_topic_name(const char *code)
{
	size_t	k;

	for (k = 0; supervision_topics[k][0] != NULL; k++) {
		if (strcmp(code, supervision_topics[k][0]) == 0)
			return (supervision_topics[k][1]);
	}
	return ("");
}

/*
 * A string field of at most `max` characters: NULL when absent, null or
 * wrong (then named in `fields` with `message`; absent and `required`
 * too). `multiline` allows line breaks and tabs. `*set` (may be NULL)
 * says whether the body carried the field at all, null included.
 */
static const char *
supervision_text(const cJSON *body, const char *name, size_t max,
    int required, int multiline, int *set, cJSON *fields, const char *message)
{
	const cJSON	*v;
	const char	*s;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (set != NULL)
		*set = v != NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			cJSON_AddStringToObject(fields, name, message);
		return (NULL);
	}
	if (!cJSON_IsString(v)) {
		cJSON_AddStringToObject(fields, name, message);
		return (NULL);
	}
	s = v->valuestring;
	if ((required && *s == '\0') || text_utf8_length(s) == (size_t)-1 ||
	    text_utf8_length(s) > max ||
	    (multiline ? !supervision_multiline_ok(s) : !text_is_clean(s))) {
		cJSON_AddStringToObject(fields, name, message);
		return (NULL);
	}
	return (s);
}

/* A whole number field in [min, max]; -1 when absent or wrong. */
static long
supervision_count(const cJSON *body, const char *name, long min, long max,
    int required, cJSON *fields, const char *message)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			cJSON_AddStringToObject(fields, name, message);
		return (-1);
	}
	if (!cJSON_IsNumber(v) || v->valuedouble < (double)min ||
	    v->valuedouble > (double)max ||
	    floor(v->valuedouble) != v->valuedouble) {
		cJSON_AddStringToObject(fields, name, message);
		return (-1);
	}
	return ((long)v->valuedouble);
}

/* A YYYY-MM-DD field; NULL when absent, null or wrong. */
static const char *
supervision_date(const cJSON *body, const char *name, int required, int *set,
    cJSON *fields, const char *message)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(body, name);
	if (set != NULL)
		*set = v != NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			cJSON_AddStringToObject(fields, name, message);
		return (NULL);
	}
	if (!cJSON_IsString(v) || !text_is_date(v->valuestring)) {
		cJSON_AddStringToObject(fields, name, message != NULL ?
		    message : "Enter a real date.");
		return (NULL);
	}
	return (v->valuestring);
}

static int
supervision_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return (1);
	}
	return (0);
}

/* UTF-8 text whose only control characters are line breaks and tabs. */
static int
supervision_multiline_ok(const char *s)
{
	const unsigned char	*p;

	if (text_utf8_length(s) == (size_t)-1)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') ||
		    *p == 0x7f)
			return (0);
	}
	return (1);
}

/*
 * Name `key` in `fields` with the words for `problem`; `name` is the
 * member's name for SUPERVISION_ATTENDANCE_MISSING (NULL otherwise).
 */
void
supervision_problem(cJSON *fields, const char *key,
    enum supervision_problem problem, const char *name)
{
	char		 msg[300];
	const char	*words;

	words = NULL;
	switch (problem) {
	case SUPERVISION_CLOSED_MEMBERS:
		words = "The group is closed: its members can no longer "
		    "change.";
		break;
	case SUPERVISION_CLOSED_MEETINGS:
		words = "The group is closed: it records no more meetings.";
		break;
	case SUPERVISION_NO_PERSON:
		words = "There is no such person.";
		break;
	case SUPERVISION_NOT_DSL:
		words = "Only Designated Safeguarding Leads on a staff list "
		    "can be members.";
		break;
	case SUPERVISION_LEAVE_BEFORE_JOIN:
		words = "A member cannot leave before the day they joined.";
		break;
	case SUPERVISION_HELD_IN_FUTURE:
		words = "A meeting can be recorded once it has taken place: "
		    "the date is in the future.";
		break;
	case SUPERVISION_NEXT_NOT_AFTER:
		words = "The next meeting must be after this one.";
		break;
	case SUPERVISION_ATTENDANCE_MISSING:
		snprintf(msg, sizeof(msg), "Say whether %s was present, sent "
		    "apologies or was absent.",
		    name != NULL ? name : "this member");
		words = msg;
		break;
	case SUPERVISION_ATTENDANCE_EXTRA:
		words = "Not a member of the group on the day of the meeting.";
		break;
	case SUPERVISION_NO_MEMBERS:
		words = "The group had no members on the day of the meeting.";
		break;
	}
	if (words != NULL)
		cJSON_AddStringToObject(fields, key, words);
}
