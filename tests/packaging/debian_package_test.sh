#!/usr/bin/env bash
# The Debian package, as an administrator meets it: builds it from a copy of
# the source tree (dpkg-buildpackage -us -uc -b), runs lintian (no errors),
# installs it with dpkg -i on this machine, checks its files, user and modes,
# checks the shipped config with the installed herald, configures it as the
# README tells an operator, runs the installed herald as its user against a
# private ejabberd and sees notifications delivered (published with the
# installed herald-send), then removes it (the database stays) and purges it
# (configuration, secret, database and logs go; the herald user stays).
#
# It changes this machine (a package, a system user): root only; without
# root it exits 77, which ctest reports as skipped.
# Usage: debian_package_test.sh SOURCE_DIR WORK_DIR DEMO_CLIENT
set -euo pipefail
source_dir=$(cd "$1" && pwd)
work=$2
demo_client=$3
launcher=$source_dir/ejabberd-config/herald-ejabberd

if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: installing a package and adding a system user needs root"
    exit 77
fi
for tool in dpkg-buildpackage dh lintian; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (scripts/setup installs it)"; exit 1; }
done

failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "FAIL: $*"; exit 1; }
# expect_mode PATH "MODE OWNER:GROUP"
expect_mode() {
    local actual
    actual=$(stat -c '%a %U:%G' "$1" 2>/dev/null || echo missing)
    if [[ $actual == "$2" ]]; then ok "$1 is $2"; else fail "$1 is $actual, expected $2"; fi
}
package_status() { dpkg-query -W -f='${Status}' herald 2>/dev/null || echo "not known"; }

herald_pid=
user_made_here=no
cleanup() {
    if [[ -n $herald_pid ]]; then kill -TERM "$herald_pid" 2>/dev/null && wait "$herald_pid" 2>/dev/null || true; fi
    "$launcher" stop "$work/ejabberd" >/dev/null 2>&1 || true
    [[ $(package_status) == "not known" ]] || dpkg -P herald >/dev/null 2>&1 || true
    if [[ $user_made_here == yes ]] && getent passwd herald >/dev/null; then
        deluser --system --quiet herald >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# A package or user left by an earlier run that died would hide what this
# one installs: start from none.
if [[ $(package_status) != "not known" ]]; then
    echo "note: purging the herald package an earlier run left"
    dpkg -P herald >/dev/null
fi
if getent passwd herald >/dev/null; then
    echo "note: removing the herald user an earlier run left"
    deluser --system --quiet herald >/dev/null
fi
getent group herald >/dev/null && delgroup --system --quiet herald >/dev/null
for path in /etc/herald /var/lib/herald /var/log/herald; do
    if [[ -e $path ]]; then
        echo "note: removing $path, which an earlier run left"
        rm -rf "$path"
    fi
done

# ---------------------------------------------------------------- build
started=$SECONDS
rm -rf "$work"
mkdir -p "$work/herald"
# The tree as git sees it (committed or not, never ignored build trees).
if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$source_dir" && git ls-files -z --cached --others --exclude-standard) |
        (cd "$source_dir" && xargs -0 cp --parents -P -t "$work/herald" 2>/dev/null) || true
else
    tar -C "$source_dir" --exclude=./build --exclude='./build-*' --exclude=./.demo -cf - . | tar -C "$work/herald" -xf -
fi
[[ -f $work/herald/debian/rules ]] || die "debian/rules missing from the copied tree"
if ! (cd "$work/herald" && DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -us -uc -b) \
        >"$work/build.log" 2>&1; then
    tail -n 60 "$work/build.log"
    die "dpkg-buildpackage failed (log: $work/build.log)"
fi
deb=$(ls "$work"/herald_*.deb 2>/dev/null | grep -v dbgsym | head -n 1 || true)
[[ -n $deb ]] || die "no herald_*.deb in $work"
ok "built $(basename "$deb") in $((SECONDS - started)) s"

lintian_started=$SECONDS
lintian --tag-display-limit 0 "$work"/herald_*.changes >"$work/lintian.log" 2>&1 || true
sed 's/^/  lintian: /' "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
    fail "lintian reports errors"
else
    ok "lintian: no errors ($(grep -c '^W: ' "$work/lintian.log" || true) warnings, $((SECONDS - lintian_started)) s)"
fi

# ---------------------------------------------------------------- install
user_made_here=yes
if ! dpkg -i "$deb" >"$work/install.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -f -y -q --no-install-recommends >>"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; die "dpkg -i failed and apt-get install -f could not fix it"; }
fi
[[ $(package_status) == "install ok installed" ]] || { cat "$work/install.log"; die "herald is $(package_status)"; }
ok "dpkg -i: herald installed"
grep -q "made a component secret" "$work/install.log" && ok "postinst told where the secret is"

for file in /usr/sbin/herald /usr/bin/herald-send; do
    expect_mode "$file" "755 root:root"
done
for file in /lib/systemd/system/herald.service /usr/share/man/man8/herald.8.gz \
            /usr/share/man/man1/herald-send.1.gz /usr/share/doc/herald/examples/herald-listener.yml \
            /usr/share/doc/herald/monitoring/herald_rules.yml /usr/share/doc/herald/copyright \
            /usr/share/doc/herald/README.Debian; do
    [[ -f $file ]] && ok "$file installed" || fail "$file missing"
done
dpkg-query -W -f='${Conffiles}\n' herald | grep -q '^ /etc/herald/herald.yaml ' &&
    ok "/etc/herald/herald.yaml is a conffile" || fail "/etc/herald/herald.yaml is not a conffile"
/usr/sbin/herald --version | grep -q '^herald ' && ok "herald --version" || fail "herald --version"
/usr/bin/herald-send --help >/dev/null && ok "herald-send --help" || fail "herald-send --help"
for page in herald herald-send; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings "$page" 2>&1 >/dev/null || echo "man $page failed")
    [[ -z $warnings ]] && ok "man $page renders cleanly" || fail "man $page: $warnings"
done

IFS=: read -r _ _ uid _ _ home shell < <(getent passwd herald) || die "no herald user"
((uid < 1000)) && ok "herald is a system user (uid $uid)" || fail "herald's uid $uid is not a system uid"
[[ $home == /var/lib/herald && $shell == /usr/sbin/nologin ]] && ok "herald: home $home, shell $shell" ||
    fail "herald: home $home, shell $shell"
getent group herald >/dev/null && ok "group herald exists" || fail "no group herald"
expect_mode /var/lib/herald "700 herald:herald"
expect_mode /etc/herald "750 root:herald"
expect_mode /etc/herald/component.secret "640 root:herald"
expect_mode /etc/herald/herald.yaml "644 root:root"
secret=$(head -n 1 /etc/herald/component.secret)
((${#secret} >= 32)) && ok "the generated secret has ${#secret} characters" || fail "the secret is '${secret}'"
setpriv --reuid=nobody --regid=nogroup --clear-groups cat /etc/herald/component.secret >/dev/null 2>&1 &&
    fail "another user can read the secret" || ok "another user cannot read the secret"

config=/etc/herald/herald.yaml
sed -n '/^http:/,/^[a-z]/p' "$config" | grep -qE '^  enabled: false' && ok "shipped config: HTTP API off" ||
    fail "shipped config: HTTP API not off"
grep -qE '^  secret_file: /etc/herald/component.secret$' "$config" && ok "shipped config: secret_file" ||
    fail "shipped config: no secret_file /etc/herald/component.secret"
unit=/lib/systemd/system/herald.service
for line in User=herald Restart=on-failure ProtectSystem=strict NoNewPrivileges=true \
            "ExecStart=/usr/sbin/herald --config /etc/herald/herald.yaml"; do
    grep -qx "$line" "$unit" && ok "unit: $line" || fail "unit: no $line"
done
[[ ! -e /etc/systemd/system/multi-user.target.wants/herald.service ]] &&
    ok "the unit is not enabled before the operator configures herald" || fail "the unit was enabled on installation"
# systemd's own check: syntax, ExecStart= executable, Documentation= man page.
if verify=$(systemd-analyze verify "$unit" 2>&1) && [[ -z $verify ]]; then
    ok "systemd-analyze verify accepts the unit"
else
    fail "systemd-analyze verify: $verify"
fi
if bash "$source_dir/tests/packaging/systemd_unit_check.sh" "$unit" "$config" >"$work/unit-check.log"; then
    ok "the installed unit lets herald write where the shipped config writes"
else
    sed 's/^/  unit check: /' "$work/unit-check.log"
    fail "the installed unit and the shipped config disagree"
fi

# herald --check-config as the daemon's user (the unit's ExecStartPre).
as_herald() { setpriv --reuid=herald --regid=herald --init-groups "$@"; }
as_herald /usr/sbin/herald --config "$config" --check-config ||
    die "the installed herald rejects the shipped config"
ok "herald --check-config accepts the shipped config, run as herald"
((failures == 0)) || die "$failures check(s) failed after installing"

# ---------------------------------------------------------------- run
# The operator's steps (README): ejabberd's listener gets the generated
# secret; herald.yaml names the component and the users' domain.
HERALD_COMPONENT_SECRET=$secret "$launcher" start "$work/ejabberd" >/dev/null
# shellcheck disable=SC1091
. "$work/ejabberd/ports.env"
sed -i -e "s/^  jid: notify\.example\.org$/  jid: $COMPONENT_HOST/" \
       -e "s/^  port: 5347$/  port: $COMPONENT_PORT/" \
       -e "s/^  allowed_domains: \[example\.org\]$/  allowed_domains: [$XMPP_DOMAIN]/" \
       -e "s/^  - admin@example\.org$/  - admin@$XMPP_DOMAIN/" "$config"
grep -q "^  jid: $COMPONENT_HOST$" "$config" && grep -q "^  port: $COMPONENT_PORT$" "$config" ||
    die "could not set the component's jid and port in $config"
as_herald /usr/sbin/herald --config "$config" --check-config >/dev/null || die "the edited config is rejected"

# What LogsDirectory= makes under systemd (purge must remove it).
install -d -o herald -g herald -m 0750 /var/log/herald
: >"$work/herald.log"
(cd / && exec setpriv --reuid=herald --regid=herald --init-groups /usr/sbin/herald --config "$config") \
    2>>"$work/herald.log" &
herald_pid=$!
for _ in $(seq 200); do
    grep -q "handshake accepted" "$work/herald.log" && break
    kill -0 "$herald_pid" 2>/dev/null || { cat "$work/herald.log"; die "the installed herald exited"; }
    sleep 0.1
done
grep -q "handshake accepted" "$work/herald.log" || { cat "$work/herald.log"; die "no handshake with ejabberd"; }
ok "the installed herald, as user herald, is attached to ejabberd"

"$launcher" register "$work/ejabberd" demo demo-password ops ops-password >/dev/null
(umask 077; echo ops-password >"$work/ops.password")
if ! "$demo_client" 127.0.0.1 "$C2S_PORT" "demo@$XMPP_DOMAIN" demo-password "$COMPONENT_HOST" \
        "$work/herald.log" /usr/bin/herald-send "ops@$XMPP_DOMAIN" "$work/ops.password" >"$work/demo.log" 2>&1; then
    cat "$work/demo.log" "$work/herald.log"
    die "notifications published with /usr/bin/herald-send were not delivered"
fi
tail -n 4 "$work/demo.log" | sed 's/^/  /'
ok "a client received what the installed herald-send published, online and after being offline"

kill -TERM "$herald_pid"
wait "$herald_pid" && ok "herald stopped on SIGTERM with status 0" || fail "herald's exit status on SIGTERM: $?"
herald_pid=
database=/var/lib/herald/herald.db
expect_mode "$database" "600 herald:herald"
users=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select group_concat(jid) from users").fetchone()[0])' "$database")
[[ $users == *"demo@$XMPP_DOMAIN"* ]] && ok "the database holds the registered user" || fail "users in the database: $users"
database_sum=$(sha256sum "$database")

# ---------------------------------------------------------------- remove, purge
dpkg -r herald >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; die "dpkg -r failed"; }
[[ $(package_status) == "deinstall ok config-files" ]] && ok "dpkg -r: configuration files kept" ||
    fail "after dpkg -r herald is $(package_status)"
[[ ! -e /usr/sbin/herald && ! -e /usr/bin/herald-send && ! -e $unit ]] && ok "dpkg -r removed the programs and the unit" ||
    fail "dpkg -r left programs or the unit"
[[ $(sha256sum "$database" 2>/dev/null) == "$database_sum" ]] && ok "dpkg -r kept the database unchanged" ||
    fail "dpkg -r lost or changed $database"
[[ -f $config && -f /etc/herald/component.secret ]] && ok "dpkg -r kept herald.yaml and the secret" ||
    fail "dpkg -r removed the configuration or the secret"

dpkg -P herald >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; die "dpkg -P failed"; }
[[ $(package_status) == "not known" || $(package_status) == "unknown ok not-installed" ]] &&
    ok "dpkg -P: herald is gone" || fail "after dpkg -P herald is $(package_status)"
for path in /etc/herald /var/lib/herald /var/log/herald; do
    [[ ! -e $path ]] && ok "dpkg -P removed $path" || fail "dpkg -P left $path"
done
getent passwd herald >/dev/null && ok "dpkg -P kept the herald user (as documented)" ||
    fail "dpkg -P removed the herald user, which the package documents it keeps"

echo "package build, install, run, remove and purge: $((SECONDS - started)) s"
((failures == 0)) || die "$failures check(s) failed"
echo "PASS"
