#!/usr/bin/env bash
# Runs a command in a clean clone of this repository's HEAD inside a bare Debian 12 root, as root: the machine the
# README's two commands promise to work on. Run as root on a Debian host (it uses debootstrap, mount and chroot).
#
#   scripts/bare-debian.sh DIR 'scripts/setup-machine.sh && npm ci && npm test'
#
# DIR is made with `debootstrap --variant=minbase bookworm` when it does not exist yet (or unpacked from the tarball
# named by BARE_DEBIAN_TEMPLATE, a tar of such a root, which saves the few minutes debootstrap takes). An existing DIR
# is reused as it is, so a second command sees what the first installed. The clone goes to DIR/root/rhcos-layering,
# replaced on every run (BARE_DEBIAN_REUSE_CLONE=1 moves an existing one to HEAD instead, keeping node_modules).
# /proc, /sys, /dev, /dev/pts and /dev/shm are mounted for the command and unmounted after it, also on failure or
# Ctrl-C. The command gets a login's environment (HOME, PATH, TERM), plus CI when it is set.
#
# The network's settings carry over from the host, as they would to any machine on the same network: the local CA
# certificates (/usr/local/share/ca-certificates, e.g. a proxy's, which the ca-certificates package adds to the
# system bundle when it installs) and the proxy and CA-bundle variables (http_proxy, NODE_EXTRA_CA_CERTS, ...).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 DIR COMMAND" >&2
  exit 2
fi
root=$(realpath -m "$1")
command=$2
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)

if [[ $(id -u) -ne 0 ]]; then
  echo "bare-debian: needs root (debootstrap, mount, chroot)." >&2
  exit 1
fi

if [[ ! -d $root ]]; then
  if [[ -n ${BARE_DEBIAN_TEMPLATE:-} ]]; then
    mkdir -p "$root"
    tar -C "$root" -xf "$BARE_DEBIAN_TEMPLATE"
  else
    command -v debootstrap >/dev/null || { echo "bare-debian: debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
  fi
fi

clone=$root/root/rhcos-layering
if [[ -n ${BARE_DEBIAN_REUSE_CLONE:-} && -d $clone/.git ]]; then
  # Only to re-check a change quickly: the clone moves to HEAD but keeps node_modules and .cache.
  git -C "$clone" fetch --quiet "$repo" HEAD
  git -C "$clone" reset --quiet --hard FETCH_HEAD
else
  rm -rf "$clone"
  git clone --quiet --no-local "$repo" "$clone"
fi
echo "bare-debian: $clone at $(git -C "$clone" log -1 --format='%h %s' | cut -c1-100)"
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
  if [[ -x $root/usr/sbin/update-ca-certificates ]]; then chroot "$root" /usr/sbin/update-ca-certificates >/dev/null; fi
fi
network_env=()
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE GIT_SSL_CAINFO; do
  if [[ -n ${!name:-} ]]; then network_env+=("$name=${!name}"); fi
done

mounted=()
unmount_all() {
  local index
  for ((index = ${#mounted[@]} - 1; index >= 0; index--)); do
    umount "${mounted[index]}" 2>/dev/null || umount -l "${mounted[index]}" || echo "bare-debian: could not unmount ${mounted[index]}" >&2
  done
  mounted=()
}
trap unmount_all EXIT
mount_at() { # mount_at TARGET ARGS...
  local target=$root$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}
mount_at /proc -t proc proc
mount_at /sys -t sysfs sysfs
mount_at /dev --bind /dev
mount_at /dev/pts --bind /dev/pts
mount_at /dev/shm -t tmpfs -o mode=1777 shm

started=$(date +%s)
status=0
chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  ${CI:+CI="$CI"} "${network_env[@]}" /bin/bash -c "cd /root/rhcos-layering && $command" || status=$?
echo "bare-debian: '$command' exited with $status after $(($(date +%s) - started)) s"
exit "$status"
