/*
 * site: where the portal is and who it writes as, from the environment
 * (PORTAL_PUBLIC_URL, PORTAL_MAIL_FROM), for links and invitations that
 * leave the portal. Kore-free.
 */
#ifndef PORTAL_SITE_H
#define PORTAL_SITE_H

const char	*site_public_url(void);
const char	*site_mail_from(void);
const char	*site_partnership(void);

#endif /* !PORTAL_SITE_H */
