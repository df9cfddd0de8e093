# tests/interop/: rampart's T.30 against stacks we did not write, on faxsim
TESTS += tests/interop/hylafax-t.sh
EXTRA_DIST += tests/interop/hylafax-t.sh tests/interop/hylafax.sh
