#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo use. Run as root on Debian 12 (CI runs it from .ci/run).
# Everything else (Node 24, code-server, npm packages) comes from the npm registry.
set -euo pipefail

packages=(
  chromium            # the browser Playwright drives for the end-to-end tests and screenshots
  libkrb5-dev         # needed by code-server's native kerberos module at install time
  docker-registry     # a real OCI registry on 127.0.0.1 for digest resolution and push tests
  apache2-utils       # htpasswd, for the registry's basic auth
  buildah             # builds and pushes layered images in the build-and-push tests
  skopeo              # inspects what buildah pushed, as an independent check
  busybox-static      # a tiny base image for real builds
  openssl             # certificates for the simulator and the registry
  git ca-certificates
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# kubectl: a real client to check the OpenShift API simulator against. Some images already ship one
# (Google Cloud SDK's package owns /usr/bin/kubectl and conflicts with Debian's kubernetes-client).
command -v kubectl >/dev/null || missing+=(kubernetes-client)

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]}. Run this script as root (sudo $0)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || apt-get install -y -qq -f
fi
echo "Debian packages present: ${packages[*]}"
