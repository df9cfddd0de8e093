# bench/: benchmarks against named reference programs (not run by make check)
EXTRA_DIST += bench/README.md
EXTRA_DIST += bench/faxsim/run.sh
EXTRA_DIST += bench/timeit.c
EXTRA_DIST += bench/interop/run.sh
