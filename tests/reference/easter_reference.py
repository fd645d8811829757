#!/usr/bin/env python3
"""Easter Sundays from python3-dateutil (an implementation independent of
app/term.c), printed as the C table of tests/unit/test_term.c:
    python3 tests/reference/easter_reference.py
or, with years as arguments, one YYYY-MM-DD a line for the integration
tests."""
import sys
from dateutil.easter import easter

if len(sys.argv) > 1:
    for y in sys.argv[1:]:
        print(easter(int(y)).isoformat())
    sys.exit(0)
years = list(range(1583, 1600)) + list(range(1900, 2101)) + \
    [2285, 2400, 2800, 3000, 4099, 9998]
for y in years:
    d = easter(y)
    print(f"\t{{ {y}, {d.month}, {d.day} }},")
