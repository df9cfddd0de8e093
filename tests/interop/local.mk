# tests/interop/: rampart's T.30 against stacks we did not write, on faxsim
TESTS += tests/interop/hylafax-t.sh tests/interop/matrix-t.sh
EXTRA_DIST += tests/interop/hylafax-t.sh tests/interop/hylafax.sh
EXTRA_DIST += tests/interop/matrix-t.sh tests/interop/cell.sh
