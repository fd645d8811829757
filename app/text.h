/*
 * text: checks on the strings people type, shared by the validators.
 * Kore-free.
 */
#ifndef PORTAL_TEXT_H
#define PORTAL_TEXT_H

#include <stddef.h>

char	*text_trim(char *);
size_t	text_utf8_length(const char *);
int	text_is_clean(const char *);
int	text_is_email(const char *);
int	text_is_date(const char *);
int	text_is_datetime(const char *);
char	*text_html_escape(const char *);

#endif /* !PORTAL_TEXT_H */
