# Shell helpers shared by herald-ejabberd and herald-postgresql (sourced).
# shellcheck shell=bash

# pick_ports N: N distinct free loopback TCP ports, bind-tested.  They are
# drawn below the kernel's ephemeral range so an outgoing connection (a
# benchmark opens thousands) cannot grab one while ejabberd is stopped.
pick_ports() {
    python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
try:
    lo, hi = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
except OSError:
    lo, hi = 32768, 60999
pool = [p for p in range(10000, 65535) if not lo <= p <= hi and p not in (5222, 5269, 5280, 5347, 5443)]
random.shuffle(pool)
held, ports = [], []
for p in pool:
    if len(ports) == n:
        break
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        s.close()
        continue
    held.append(s)
    ports.append(p)
while len(ports) < n:  # no luck outside the ephemeral range
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    held.append(s)
    ports.append(s.getsockname()[1])
print(" ".join(map(str, ports)))
EOF
}

# ports_free PORT...: succeed if every port can be bound on 127.0.0.1 now.
ports_free() {
    python3 - "$@" <<'EOF'
import socket, sys
bad = []
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as ejabberd does
    try:
        s.bind(("127.0.0.1", int(p)))
    except OSError:
        bad.append(p)
    finally:
        s.close()
if bad:
    print(" ".join(bad))
    sys.exit(1)
EOF
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

rand_hex() {  # rand_hex NBYTES
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

alive() {  # alive PID...
    local p
    for p in "$@"; do
        [[ -d /proc/$p ]] && [[ $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) != Z ]] && return 0
    done
    return 1
}

