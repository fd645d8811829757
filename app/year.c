/*
 * year: "2016/17" or "2016" -> 2016, and back to "2016/17".
 */
#include <stdio.h>
#include <string.h>

#include "year.h"

static int	year_digits(const char *, size_t);

/*
 * The year `s` names, by the year it starts in: the label form "2016/17"
 * (the second part is the next year's last two digits: "1999/00") or the
 * starting year alone, "2016". Returns the year, or -1 for anything else
 * ("2016/18", "2016/7", "2016/2017", " 2016", "abc", NULL) or a year
 * outside YEAR_MIN..YEAR_MAX.
 */
int
year_parse(const char *s)
{
	size_t	len;
	int	y;

	if (s == NULL)
		return (-1);
	len = strlen(s);
	if ((len != 4 && len != 7) || !year_digits(s, 4))
		return (-1);
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	if (y < YEAR_MIN || y > YEAR_MAX)
		return (-1);
	if (len == 7 && (s[4] != '/' || !year_digits(s + 5, 2) ||
	    (s[5] - '0') * 10 + (s[6] - '0') != (y + 1) % 100))
		return (-1);
	return (y);
}

/* Year `y`'s label, "2016/17", into `buf` (YEAR_LABEL_LEN will do). */
void
year_label(int y, char *buf, size_t len)
{
	snprintf(buf, len, "%04d/%02d", y, (y + 1) % 100);
}

/* Whether the first `n` characters of `s` are all ASCII digits. */
static int
year_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}
