# tests/e2e/: the whole gateway, every daemon real, both directions
TESTS += tests/e2e/gateway-t.sh tests/e2e/soak-t.sh
EXTRA_DIST += tests/e2e/gateway-t.sh tests/e2e/soak-t.sh
