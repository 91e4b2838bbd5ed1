#!/usr/bin/env bash
# A signed flat apt repository laid out like NVIDIA's CUDA repository for Debian 12 (ROOT/debian12/x86_64/ with
# Packages, Release, InRelease and the signing key beside them), holding STAND-IN driver packages: empty packages
# named and versioned like NVIDIA's (nvidia-driver, nvidia-kernel-dkms, libcuda1), each with exact-version
# dependencies as the real ones have, in two branches. They install no driver. What a test against it proves is
# the repository handling (key, fingerprint, source, branch pin, hold), never the driver.
#
#   cuda_repo.sh ROOT GNUPG_HOME KEY_FILE BRANCH_VERSION...
set -euo pipefail

root=$1 key_file=$3
export GNUPGHOME=$2
shift 3
arch=$(dpkg --print-architecture)
# NVIDIA's directory names: x86_64 for amd64, sbsa for arm64.
case $arch in amd64) dir_arch=x86_64 ;; arm64) dir_arch=sbsa ;; *) dir_arch=$arch ;; esac
out=$root/debian12/$dir_arch
work=$(mktemp -d)
trap 'rm -rf "$work"; gpgconf --kill all 2>/dev/null || true' EXIT

stand_in() {
  # stand_in NAME VERSION DEPENDS
  local name=$1 version=$2 depends=$3 dir=$work/$1-$2
  mkdir -p "$dir/DEBIAN" "$dir/usr/share/doc/$name"
  printf 'Stand-in for NVIDIA'"'"'s %s %s, built by the selfhosted.genai lab: no driver inside.\n' "$name" "$version" \
    >"$dir/usr/share/doc/$name/STAND-IN"
  {
    printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$name" "$version" "$arch"
    printf 'Maintainer: selfhosted.genai lab <lab@localhost>\nSection: non-free/libs\nPriority: optional\n'
    [ -z "$depends" ] || printf 'Depends: %s\n' "$depends"
    printf 'Description: stand-in for NVIDIA'"'"'s %s (selfhosted.genai lab)\n no driver inside\n' "$name"
  } >"$dir/DEBIAN/control"
  dpkg-deb --root-owner-group -Zxz --build "$dir" "$out/${name}_${version}_${arch}.deb" >/dev/null
}

rm -rf "$out" && mkdir -p "$out"
for version in "$@"; do
  stand_in libcuda1 "$version" ""
  stand_in nvidia-kernel-dkms "$version" ""
  stand_in nvidia-driver "$version" "nvidia-kernel-dkms (= $version), libcuda1 (= $version)"
done

mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
if ! gpg --batch --list-secret-keys 2>/dev/null | grep -q .; then
  gpg --batch --passphrase '' --quick-gen-key 'selfhosted.genai lab repository <lab@localhost>' ed25519 sign never 2>/dev/null
fi
gpg --batch --armor --export >"$out/$key_file"
gpg --batch --with-colons --list-keys | awk -F: '/^fpr/ {print $10; exit}' >"$root/fingerprint"

cd "$out"
dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages
gzip -9nk Packages
apt-ftparchive -o APT::FTPArchive::Release::Origin="selfhosted.genai lab" \
  -o APT::FTPArchive::Release::Label="stand-in for NVIDIA CUDA" release . >Release
gpg --batch --yes --clearsign -o InRelease Release
gpg --batch --yes --armor --detach-sign -o Release.gpg Release
ls -1 "$out"/*.deb
