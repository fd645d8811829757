/*
 * agency: an agency or setting as a coordinator sends it (POST and PATCH
 * of /api/v1/agencies), checked field by field. Kore-free.
 */
#ifndef PORTAL_AGENCY_H
#define PORTAL_AGENCY_H

#include <cjson/cJSON.h>

struct agency_input {
	const char	*name;		/* NULL: not given (PATCH) */
	const char	*sector;
	const char	*area;
	const char	*phase;		/* NULL with phase_given: none */
	int		 phase_given;
	int		 active;	/* -1 not given, 0, 1 */
};

int	agency_read(const cJSON *, int, struct agency_input *, cJSON *);
int	agency_sector_has_phase(const char *);

#endif /* !PORTAL_AGENCY_H */
