/*
 * db_report_param: a report's filters as SQL's positional parameters.
 */
#include <stddef.h>

#include "db_report_param.h"

/* The SQL parameters of `f`, RP__MAX of them (NULL: no filter). */
void
db_report_params(const struct report_filter *f, const char **p)
{
	p[RP_FROM] = f->from[0] ? f->from : NULL;
	p[RP_TO] = f->to[0] ? f->to : NULL;
	p[RP_COURSE] = f->course[0] ? f->course : NULL;
	p[RP_TOPIC] = f->topic;
	p[RP_AGENCY] = f->agency[0] ? f->agency : NULL;
	p[RP_SECTOR] = f->sector;
	p[RP_AREA] = f->area;
	p[RP_LEVEL] = f->level;
	p[RP_EXCLUDE] = f->exclude[0] ? f->exclude : NULL;
}
