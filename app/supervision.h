/*
 * supervision: the rules of DSL group supervision input: a group, its
 * members, a meeting with its attendance. Reads a JSON body, names every
 * wrong field, and leaves what is valid ready for the database layer
 * (which checks what needs the database: members are DSLs, attendance
 * for every member on the meeting's day, one meeting a group a day).
 * Kore-free.
 */
#ifndef PORTAL_SUPERVISION_H
#define PORTAL_SUPERVISION_H

#include <cjson/cJSON.h>

#include "term.h"

/* Most members a group takes at once, and attendance entries. */
#define SUPERVISION_MEMBERS_MAX	200

struct supervision_group {
	const char	*name;
	const char	*kind;			/* primary, secondary, mixed */
	const char	*facilitator;
	long long	 facilitator_person_id;	/* 0: none */
};

/*
 * A meeting. Strings point into the parsed body; `topics` (a PostgreSQL
 * text[] literal) and `attendance` (a JSON array of {person_id, status})
 * are allocated: supervision_meeting_free(). For a correction (PATCH),
 * the set_* flags say which fields the body carried.
 */
struct supervision_meeting {
	const char	*held_on;
	long		 duration_minutes;	/* -1: not given */
	const char	*facilitator;
	char		*topics;		/* NULL: not given */
	int		 has_specific_topic_topic;
	const char	*specific_topic;
	long		 cases_discussed;	/* -1: not given */
	const char	*actions;
	const char	*next_date;
	const char	*case_notes;		/* NULL or "": none */
	char		*attendance;		/* NULL: not given */
	int		 set_specific_topic, set_actions, set_next_date;
	int		 set_case_notes;
};

/* A school year's dates, YYYY-MM-DD, as the queries take them. */
struct supervision_period {
	char	start[11];		/* 1 September */
	char	end[11];		/* 31 August */
	char	autumn_end[11];		/* 31 December */
	char	spring_end[11];		/* Easter Sunday */
	char	term_start[11];		/* the term of as_of */
	char	term_end[11];
	char	as_of[11];		/* min(today, end) */
};

/*
 * What the database layer finds wrong with a group's members or a
 * meeting (db_supervision.c): it names the field, supervision_problem()
 * writes the words.
 */
enum supervision_problem {
	SUPERVISION_CLOSED_MEMBERS,	/* a closed group's members */
	SUPERVISION_CLOSED_MEETINGS,	/* a closed group's meeting */
	SUPERVISION_NO_PERSON,		/* a member who does not exist */
	SUPERVISION_NOT_DSL,		/* a member who is not a DSL */
	SUPERVISION_LEAVE_BEFORE_JOIN,	/* leaving before joining */
	SUPERVISION_HELD_IN_FUTURE,	/* a meeting not yet held */
	SUPERVISION_NEXT_NOT_AFTER,	/* a next date not after the meeting */
	SUPERVISION_ATTENDANCE_MISSING,	/* a member without attendance */
	SUPERVISION_ATTENDANCE_EXTRA,	/* attendance of a non-member */
	SUPERVISION_NO_MEMBERS		/* a meeting of a group of nobody */
};

int	supervision_period_of(int, const struct term_date *,
	    struct supervision_period *, struct term *);
int	supervision_group_parse(const cJSON *, struct supervision_group *,
	    cJSON *);
int	supervision_members_parse(const cJSON *, long long **, size_t *,
	    const char **, cJSON *);
int	supervision_meeting_parse(const cJSON *, int,
	    struct supervision_meeting *, cJSON *);
void	supervision_meeting_free(struct supervision_meeting *);
cJSON	*supervision_proportion(long long, long long);
void	supervision_dsl_flags(cJSON *);
void	supervision_group_figures(cJSON *, const struct term *,
	    const struct term_date *);
const char *supervision_topic_name(const char *);
void	supervision_problem(cJSON *, const char *, enum supervision_problem,
	    const char *);

#endif /* !PORTAL_SUPERVISION_H */
