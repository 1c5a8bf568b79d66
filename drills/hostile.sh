#!/usr/bin/env bash
# Hostile client drill: gadget-like objects, nesting and size bombs, oversized strings, garbage on the port and
# a registry rebind against a server process; each must be refused and the server must keep serving.
source "$(dirname "$0")/../bench/common.sh"
bench hostile-drill "$OUT/dopq-server.jar" "$OUT/hostile"
