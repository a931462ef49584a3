#!/bin/sh
# GitHub Enterprise Server pre-receive hook script. GHES runs it in a chroot
# (the pre-receive hook environment, built from install/server/ghes/Dockerfile)
# and kills it after 5 seconds: server.time_budget_ms (default 4000) keeps
# twilio-guard inside that, and server.on_timeout decides what a timeout means.
# The environment's /etc/twilio-guard/config.toml is the server configuration.
exec /usr/bin/twilio-guard pre-receive "$@"
