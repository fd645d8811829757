/*
 * db_supervision: DSL supervision groups, their members and meetings, in
 * one transaction each, audited. Case notes arrive and leave sealed
 * (base64, see notes.h): this layer never sees them in clear.
 */
#ifndef PORTAL_DB_SUPERVISION_H
#define PORTAL_DB_SUPERVISION_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db_status.h"
#include "supervision.h"

/* What a person is to a group, for the handlers' access checks. */
struct supervision_role {
	int	exists;
	int	active;
	int	facilitator;		/* the group's facilitator */
	int	member;			/* a member, now or once */
};

/* A meeting's sealed case notes and what they were sealed for. */
struct supervision_sealed {
	char		*sealed;	/* base64; NULL: none */
	long long	 meeting;
	long long	 group;
	int		 seal;		/* NOTES_SEAL_*; 0 without notes */
};

enum db_status	db_supervision_role(long long, long long,
	    struct supervision_role *);
enum db_status	db_supervision_group_create(const struct supervision_group *,
	    long long, long long *);
enum db_status	db_supervision_groups(long long, int, cJSON **);
enum db_status	db_supervision_group(long long, cJSON **);
enum db_status	db_supervision_members_set(long long, const long long *, size_t,
	    const char *, long long, cJSON *);
enum db_status	db_supervision_group_close(long long, long long);
enum db_status	db_supervision_meeting_id(long long *);
enum db_status	db_supervision_meeting_create(long long,
	    const struct supervision_meeting *, const char *, long long,
	    cJSON *, long long);
enum db_status	db_supervision_meeting_update(long long,
	    const struct supervision_meeting *, const char *, long long,
	    cJSON *);
enum db_status	db_supervision_meeting(long long, long long, cJSON **,
	    struct supervision_sealed *, struct supervision_role *);
enum db_status	db_supervision_notes_read(long long, long long, const char *);

#endif /* !PORTAL_DB_SUPERVISION_H */
