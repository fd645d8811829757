/*
 * sqlparam: values as the text parameters of parameterised SQL ($1),
 * for the database layer and portalctl alike. Kore-free, no libpq.
 */
#ifndef PORTAL_SQLPARAM_H
#define PORTAL_SQLPARAM_H

/* Room for any long long as text: its sign, 19 digits and the NUL. */
#define SQLPARAM_ID_LEN	24

const char	*sqlparam_id(char [SQLPARAM_ID_LEN], long long);

#endif /* !PORTAL_SQLPARAM_H */
