#!/bin/sh
# The health check: MinIO's unauthenticated liveness endpoint on MINIO_ADDRESS ("host:port" or
# ":port"; an unspecified host is asked on loopback).
host="${MINIO_ADDRESS%:*}"
port="${MINIO_ADDRESS##*:}"
case "$host" in "" | 0.0.0.0 | "[::]") host=127.0.0.1 ;; esac
exec curl -fsS -o /dev/null "http://$host:$port/minio/health/live"
