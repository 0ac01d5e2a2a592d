#!/usr/bin/env bash
# Installs the Debian packages that `npm ci`, `npm test` and `npm run demo` need, when they are missing. Run as root on
# Debian 12 (CI runs it from .ci/run); a bare `debootstrap --variant=minbase bookworm` root is enough to start from.
# Everything else comes from the npm registry: `npm ci` installs Node 24 (the `node` devDependency, which then runs
# every npm script), and the e2e tests install code-server on first use.
set -euo pipefail

packages=(
  chromium            # the browser Playwright drives for the end-to-end tests and screenshots
  libkrb5-dev         # code-server's native kerberos module compiles against it at install time
  ripgrep             # the oldest code-server the tests run (4.108) downloads ripgrep from GitHub; it gets this one
  docker-registry     # a real OCI registry on 127.0.0.1 for digest resolution and push tests
  apache2-utils       # htpasswd, for the registry's basic auth
  buildah             # builds and pushes layered images in the build-and-push tests
  skopeo              # inspects what buildah pushed, as an independent check
  busybox-static      # a tiny base image for real builds
  openssl             # certificates for the simulator and the registry
  procps              # ps and pkill, which the tests use to check that nothing outlives a run
  git ca-certificates
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# Commands that may come from elsewhere (nvm, a preinstalled SDK): Debian's package only when the command is missing.
declare -A command_package=(
  # npm ci needs a Node and npm to start with; Debian 12's (Node 18, npm 9) is enough for it to install the project's
  # Node 24, which then runs every npm script.
  [npm]=npm
  [node]=nodejs
  # node-gyp compiles code-server's native modules (argon2, kerberos) when the tests or the demo install it.
  [python3]=python3
  [make]=make
  [g++]=g++
  # A real client to check the OpenShift API simulator against. Some images already ship a newer one (Google Cloud
  # SDK's package owns /usr/bin/kubectl and conflicts with Debian's kubernetes-client, which is v1.20).
  [kubectl]=kubernetes-client
)
for command in "${!command_package[@]}"; do
  command -v "$command" >/dev/null || missing+=("${command_package[$command]}")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-machine: missing Debian packages: ${missing[*]}. Run this script as root (sudo $0)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "setup-machine: installing ${missing[*]}"
  if ! apt-get update -qq; then
    echo "setup-machine: apt-get update failed (see above); cannot install ${missing[*]}. Check /etc/apt/sources.list and the network, then run $0 again." >&2
    exit 1
  fi
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "setup-machine: apt-get install failed for: ${missing[*]} (apt's reason is above). Fix that, then run $0 again." >&2
    exit 1
  fi
fi

# Check the result rather than trusting exit codes: name whatever is still not there.
still_missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || still_missing+=("package $package")
done
for command in "${!command_package[@]}"; do
  command -v "$command" >/dev/null || still_missing+=("command $command (package ${command_package[$command]})")
done
if ((${#still_missing[@]})); then
  printf 'setup-machine: still missing after the install:\n' >&2
  printf '  - %s\n' "${still_missing[@]}" >&2
  exit 1
fi
kubectl_version=$(kubectl version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)
echo "setup-machine: present: ${packages[*]} ${!command_package[*]} (node $(node --version), npm $(npm --version), kubectl ${kubectl_version:-of unknown version})"
