/*
 * ical: calendar invitations for bookings (RFC 5545). Kore-free.
 */
#ifndef PORTAL_ICAL_H
#define PORTAL_ICAL_H

#include <stddef.h>

struct ical_event {
	const char	*uid;		/* stable per booking */
	int		 sequence;	/* raised on every change */
	int		 cancelled;	/* METHOD:CANCEL, STATUS:CANCELLED */
	long long	 starts_at;	/* Unix time */
	long long	 ends_at;
	long long	 stamp;		/* DTSTAMP */
	const char	*summary;
	const char	*location;
	const char	*description;
	const char	*organizer_email;	/* may be NULL */
	const char	*attendee_email;	/* may be NULL */
	const char	*attendee_name;		/* may be NULL */
};

struct ical_out {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

int	ical_write(const struct ical_event *, struct ical_out *);
void	ical_out_free(struct ical_out *);
int	ical_london_offset(long long);

#endif /* !PORTAL_ICAL_H */
