# tests/e2e/: the whole gateway, every daemon real, both directions
TESTS += tests/e2e/gateway-t.sh
EXTRA_DIST += tests/e2e/gateway-t.sh
