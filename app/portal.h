/*
 * portal: what the Kore module's parts share: its version and the loaded
 * web assets.
 */
#ifndef PORTAL_PORTAL_H
#define PORTAL_PORTAL_H

#include "assets.h"
#include "password_policy.h"

#ifndef PORTAL_VERSION
#define PORTAL_VERSION		"dev"
#endif

/* Set up once per worker by portal_init(). */
extern struct assets	portal_pages;		/* assets/dist/pages */
extern struct assets	portal_static;		/* assets/dist  */
extern struct password_policy portal_password_policy;
/* A hash of no one's password, checked when an e-mail has no account. */
extern char		portal_dummy_hash[];

/* Registrations and reset requests per client address an hour
 * (PORTAL_REQUESTS_PER_CLIENT). */
extern int		portal_requests_per_client;
/* Days from a session's end to its evaluation follow-up
 * (PORTAL_FOLLOWUP_DAYS, evaluation_followup_days()). */
extern int		portal_followup_days;
/* DSL supervision case notes' key (notes.h), read by portal_init() from
 * PORTAL_NOTES_KEY_FILE; portal_notes_key_set is 0 when none is set. */
extern unsigned char	portal_notes_key[];
extern int		portal_notes_key_set;

int	portal_init(int);
/* The portal's address for links in mail (PORTAL_PUBLIC_URL). */

#endif /* !PORTAL_PORTAL_H */
