# bench/: benchmarks against named reference programs (not run by make check)
EXTRA_DIST += bench/README.md
EXTRA_DIST += bench/faxsim/run.sh
EXTRA_DIST += bench/timeit.c
EXTRA_DIST += bench/queued/run.sh bench/queued/stamp.py bench/queued/submit.py
EXTRA_DIST += bench/notifyd/run.sh
