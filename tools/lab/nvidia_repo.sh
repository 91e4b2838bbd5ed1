#!/usr/bin/env bash
# A signed flat apt repository laid out like NVIDIA's (ROOT/gpgkey, ROOT/stable/deb/ARCH/), holding
# nvidia-container-toolkit-base and nvidia-container-toolkit built from binaries compiled from NVIDIA's Go
# module, with the package scripts and systemd units that ship in that module's packaging/ and deployments/.
#
#   nvidia_repo.sh VERSION BIN_DIR MODULE_DIR ROOT GNUPG_HOME
#
# What differs from NVIDIA's packages: nvidia-container-toolkit does not depend on libnvidia-container-tools,
# which is C from another repository that no reachable registry serves; dh_installsystemd's unit enabling is
# left to the role under test, which manages the units itself.
set -euo pipefail

version=$1 bin=$2 module=$3 root=$4
export GNUPGHOME=$5
revision=${version}-1
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"; gpgconf --kill all 2>/dev/null || true' EXIT

package() {
  # package NAME DEPENDS DESCRIPTION SOURCE:DEST...
  local name=$1 depends=$2 description=$3 dir=$work/$1 entry mode script
  shift 3
  mkdir -p "$dir/DEBIAN"
  for entry in "$@"; do
    case ${entry#*:} in /usr/bin/*) mode=0755 ;; *) mode=0644 ;; esac
    install -D -m "$mode" "${entry%%:*}" "$dir${entry#*:}"
  done
  for script in postinst postrm; do
    if [ -f "$module/packaging/debian/$name.$script" ]; then
      install -m 0755 "$module/packaging/debian/$name.$script" "$dir/DEBIAN/$script"
    fi
  done
  if [ -d "$dir/etc" ]; then
    (cd "$dir" && find etc -type f | sed 's|^|/|') >"$dir/DEBIAN/conffiles"
  fi
  {
    printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$name" "$revision" "$arch"
    printf 'Maintainer: selfhosted.genai lab <lab@localhost>\nSection: utils\nPriority: optional\n'
    [ -z "$depends" ] || printf 'Depends: %s\n' "$depends"
    printf 'Description: %s\n (built for the selfhosted.genai lab from NVIDIA'"'"'s Go module %s)\n' "$description" "v$version"
  } >"$dir/DEBIAN/control"
  dpkg-deb --root-owner-group -Zxz --build "$dir" "$out/${name}_${revision}_${arch}.deb" >/dev/null
}

out=$root/stable/deb/$arch
rm -rf "$out" && mkdir -p "$out"
deployments=$module/deployments
package nvidia-container-toolkit-base "" "NVIDIA Container Toolkit Base" \
  "$bin/nvidia-ctk:/usr/bin/nvidia-ctk" \
  "$bin/nvidia-container-runtime:/usr/bin/nvidia-container-runtime" \
  "$bin/nvidia-cdi-hook:/usr/bin/nvidia-cdi-hook" \
  "$deployments/systemd/nvidia-cdi-refresh.service:/lib/systemd/system/nvidia-cdi-refresh.service" \
  "$deployments/systemd/nvidia-cdi-refresh.path:/lib/systemd/system/nvidia-cdi-refresh.path" \
  "$deployments/systemd/10-container-engines.conf:/lib/systemd/system/nvidia-cdi-refresh.service.d/10-container-engines.conf" \
  "$deployments/systemd/nvidia-cdi-refresh.env:/etc/nvidia-container-toolkit/nvidia-cdi-refresh.env" \
  "$deployments/udev/99-nvidia-cdi-refresh.rules:/lib/udev/rules.d/99-nvidia-cdi-refresh.rules"
package nvidia-container-toolkit "nvidia-container-toolkit-base (= $revision)" "NVIDIA Container toolkit" \
  "$bin/nvidia-container-runtime-hook:/usr/bin/nvidia-container-runtime-hook"

mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
if ! gpg --batch --list-secret-keys 2>/dev/null | grep -q .; then
  gpg --batch --passphrase '' --quick-gen-key 'selfhosted.genai lab repository <lab@localhost>' ed25519 sign never 2>/dev/null
fi
gpg --batch --armor --export >"$root/gpgkey"

cd "$out"
dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages
gzip -9nk Packages
apt-ftparchive -o APT::FTPArchive::Release::Origin="selfhosted.genai lab" release . >Release
gpg --batch --yes --clearsign -o InRelease Release
gpg --batch --yes --armor --detach-sign -o Release.gpg Release
ls -1 "$out"/*.deb
