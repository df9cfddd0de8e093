#!/usr/bin/env python3
"""stamp: copies standard input to standard output, each line prefixed
with the wall-clock time it arrived (seconds, microseconds)."""
import sys, time
for line in sys.stdin:
    sys.stdout.write("%.6f %s" % (time.time(), line))
    sys.stdout.flush()
