/*
 * printer: HTML to PDF by headless Chromium, in a process Kore's parent
 * starts before its workers (see printer.c).
 */
#ifndef PORTAL_PRINTER_H
#define PORTAL_PRINTER_H

#include <stddef.h>

void	printer_start(void);
int	printer_print(const char *, size_t, char **, size_t *);

#endif /* !PORTAL_PRINTER_H */
