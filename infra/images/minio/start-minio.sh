#!/bin/sh
# MinIO with its settings from the environment (see the Dockerfile); extra arguments are passed on
# to `minio server`.
set -eu
password="${MINIO_ROOT_PASSWORD:-}"
if [ -z "${MINIO_ROOT_USER:-}" ] || [ "${#password}" -lt 8 ]; then
  echo "MINIO_ROOT_USER and MINIO_ROOT_PASSWORD (8+ characters) are required; the image has no default credentials" >&2
  exit 2
fi
exec minio server --address "$MINIO_ADDRESS" --console-address "$MINIO_CONSOLE_ADDRESS" --quiet \
  "$@" "$MINIO_DATA_DIR"
