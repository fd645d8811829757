/*
 * site: the portal's public address and its mail sender, read from the
 * environment with the defaults the README states.
 */
#include <stdlib.h>

#include "site.h"

/* The portal's address as links in mail show it, without a final '/'. */
const char *
site_public_url(void)
{
	const char	*url;

	if ((url = getenv("PORTAL_PUBLIC_URL")) == NULL || *url == '\0')
		url = "http://127.0.0.1:8888";
	return (url);
}

/* The sender of the portal's mail, and the organiser of its events. */
const char *
site_mail_from(void)
{
	const char	*from;

	if ((from = getenv("PORTAL_MAIL_FROM")) == NULL || *from == '\0')
		from = "training@portal.example";
	return (from);
}

/*
 * The partnership's name, as the header of every page gives it
 * (assets/src/layout.html): the printed annual report's running head.
 */
const char *
site_partnership(void)
{
	return ("Safeguarding Children Partnership");
}
