#!/bin/sh
# The dev server with its settings from the environment (see the Dockerfile); extra arguments
# are passed on to `temporal server start-dev`.
set -eu
set -- --ip "$TEMPORAL_IP" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
  --db-filename "$TEMPORAL_DB" "$@"
for name in $(echo "${TEMPORAL_SEARCH_ATTRIBUTES:-}" | tr ',' ' '); do
  set -- "$@" --search-attribute "$name=Keyword"
done
exec temporal server start-dev "$@"
