#!/usr/bin/env bash
# A self-signed certificate for the compose stack on your own machine (https://localhost).
# Writes deploy/certs/local.crt and local.key (git-ignored; never commit keys). Browsers will warn:
# it is signed by nobody. In production mount a real certificate and set TLS_CERTIFICATE(_KEY).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p certs
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "${DAYS:-30}" \
  -subj "/CN=${CERT_HOST:-localhost}" \
  -addext "subjectAltName=DNS:${CERT_HOST:-localhost},IP:127.0.0.1" \
  -keyout certs/local.key -out certs/local.crt 2>/dev/null
chmod 644 certs/local.crt
echo "wrote deploy/certs/local.crt and deploy/certs/local.key (valid ${DAYS:-30} days, CN=${CERT_HOST:-localhost})"
