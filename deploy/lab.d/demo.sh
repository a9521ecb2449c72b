#!/usr/bin/env bash
# deploy/lab demo — the seed's packet walk (frontend -> backendsvc -> backend2 across two nodes) with
# real packets in the lab, each step followed by `sluice trace` of the same packet on the node's flows.
#   deploy/lab demo [--ci]     --ci (or no terminal): no pauses; exit 1 if a step does not behave as the seed says
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lab="$repo/deploy/lab"
ex="$repo/deploy/examples/packet-walk"
PY=/usr/bin/python3; [[ -x $PY ]] || PY=python3
LAB="${SLUICE_LAB_DIR:-/run/sluice-lab}"
interactive=false
[[ -t 0 && -t 1 && ${1:-} != --ci ]] && interactive=true
failures=0
t0=$(date +%s)

say() { printf '%s\n' "$*"; }
chapter() { printf '\n\033[1m######## %s\033[0m\n' "$*"; }
narrate() { printf '%s\n' "$*" | fold -s -w 100 | sed 's/^/  /'; }
run() { printf '\n  $ %s\n' "$*"; "$@" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
pause() { $interactive && { read -r -p $'\n  [Enter] to continue ' _ || true; }; return 0; }
ok() { printf '  \033[32mOK\033[0m   %s\n' "$*"; }
bad() { printf '  \033[31mFAIL\033[0m %s\n' "$*"; failures=$((failures + 1)); }
flowcount() { # NODE TABLE MATCH: n_packets of the flow whose text contains MATCH
  OVS_RUNDIR="$LAB/nodes/$1" ovs-ofctl -O OpenFlow13 dump-flows br-int "table=$2" | grep -F -- "$3" \
    | sed -n 's/.*n_packets=\([0-9]*\).*/\1/p' | head -1
}
conn() { "$lab" exec "$1" -- "$PY" "$repo/deploy/lab.d/connect.py" "$2" "$3" "${4:-3}"; }
trace() { local n=$1; shift; say; say "  \$ deploy/lab trace $n '$1'"; "$lab" trace "$n" "$@" 2>/dev/null | sed 's/^/    /'; }

chapter "1. the cluster of the seed"
narrate "Three nodes (master, worker1, worker2) from deploy/examples/packet-walk/manifests: each is a userspace \
Open vSwitch in its own network namespace with br-int, antrea-gw0 (the gateway, 10.222.N.1) and antrea-tun0 \
(Geneve). The nodes talk over an underlay bridge with their InternalIPs 10.79.1.200-202. Every pod is a network \
namespace wired to br-int with the seed's IP, MAC and interface name, and a real server on each container port. \
kube-proxy's DNAT for backendsvc (10.104.65.133:80 -> backend1/backend2) is in each node's iptables."
if [[ -d $LAB ]]; then narrate "(a lab is already up in $LAB: tearing it down first)"; "$lab" down | sed 's/^/    /'; fi
"$lab" up -f "$ex/manifests" 2>&1 | sed 's/^/    /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || { bad "deploy/lab up failed"; exit 1; }
pause

chapter "2. frontend -> backendsvc:80 (seed phases 1 and 2)"
narrate "frontend (10.222.1.48 on worker1) connects to the Service IP. On worker1 the packet goes table 0 -> 10 \
-> 30 -> 31 -> 40, where the Service CIDR 10.96.0.0/12 sends it to antrea-gw0 (port 2). The node's kernel DNATs it \
to backend1 or backend2 (random, like kube-proxy's statistic rule) and sends it back into br-int through \
antrea-gw0 with destination MAC aa:bb:cc:dd:ee:ff when backend2 (worker2) was chosen; table 70 then loads \
worker2's InternalIP into the tunnel destination and the packet leaves through antrea-tun0 over Geneve."
tdump="$LAB/demo-geneve.txt"
ip netns exec sl-n-worker1 timeout 15 tcpdump -l -nn -e -i ul0 -c 1 'udp port 6081 and ip[8] > 0' >"$tdump" 2>/dev/null &
tpid=$!
sleep 1
seen1=0 seen2=0 fails=0
for i in $(seq 10); do
  out=$(conn default/frontend 10.104.65.133 80) || { fails=$((fails + 1)); }
  say "    frontend -> 10.104.65.133:80  $out"
  [[ $out == *backend1* ]] && seen1=$((seen1 + 1))
  [[ $out == *backend2* ]] && seen2=$((seen2 + 1))
  ((i >= 4 && seen2 > 0 && seen1 > 0)) && break
done
wait $tpid 2>/dev/null || true
((fails == 0 && seen2 > 0)) && ok "frontend -> backendsvc:80 connected every time ($seen1 x backend1 on worker1, $seen2 x backend2 on worker2 through the tunnel)" \
  || bad "frontend -> backendsvc:80: $fails failed connections, $seen2 answers from backend2"
narrate "The Geneve packet on worker1's underlay port (compare with the seed's tcpdump on ens160: outer \
10.79.1.201 -> 10.79.1.202:6081, inner gw MAC -> aa:bb:cc:dd:ee:ff, 10.222.1.48 -> 10.222.2.34):"
sed 's/^/    /' "$tdump"
grep -q '10.79.1.201.* > 10.79.1.202.6081' "$tdump" && ok "a Geneve packet 10.79.1.201 -> 10.79.1.202:6081 was on the wire" \
  || say "    (no Geneve packet captured; tcpdump output above)"
narrate "The DNAT rules in worker1's namespace, with their packet counters:"
run ip netns exec sl-n-worker1 iptables -t nat -L -n -v | grep -E 'Chain SLUICE-S[VE]|DNAT|SLUICE-SEP-' | sed 's/^/  /' || true
pause
narrate "sluice trace of the same packets on the flows Sluice compiled (table by table, with the object behind each flow):"
say; say "  worker1, phase 1: frontend -> Service IP (leaves through antrea-gw0 to the kernel)"
trace worker1 'in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,nw_src=10.222.1.48,nw_dst=10.104.65.133,tcp_dst=80,nw_ttl=64'
say; say "  worker1, phase 2: after DNAT the kernel sends it back in from antrea-gw0 towards backend2 (leaves through antrea-tun0)"
trace worker1 'in_port=antrea-gw0,tcp,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=63'
say; say "  worker2: out of the tunnel, allowed by backendpolicy's ingress rule, delivered to backend2 (port 35)"
trace worker2 'in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,tcp,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=63'
pause

chapter "3. frontend -> backend2:22 is blocked by frontendpolicy"
narrate "frontendpolicy lets frontend initiate only TCP/80 to role=backend pods and UDP/53. Port 22 matches no \
egress conjunction in table 50, so the packet falls to table 60, where frontend's isolation flow drops it."
before=$(flowcount worker1 60 'nw_src=10.222.1.48')
if out=$(conn default/frontend 10.222.2.34 22 2); then bad "frontend -> backend2:22 connected: $out"; else say "    $out"; fi
after=$(flowcount worker1 60 'nw_src=10.222.1.48')
((after > before)) && ok "blocked; worker1 table 60 drop flow nw_src=10.222.1.48 counted $((after - before)) packet(s) (n_packets $before -> $after)" \
  || bad "frontend -> backend2:22: the table 60 drop flow did not count the packets ($before -> $after)"
trace worker1 'in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,nw_src=10.222.1.48,nw_dst=10.222.2.34,tcp_dst=22,nw_ttl=64'
pause

chapter "4. backend1 -> backend2:80 is blocked by backendpolicy"
narrate "backendpolicy has policyType Egress with no egress rule: backend pods may initiate nothing (the seed's \
conjunction 5 with one clause never completes), and its ingress admits only role=frontend. backend1's packet \
never leaves worker1: table 60 drops it."
before=$(flowcount worker1 60 'nw_src=10.222.1.47')
if out=$(conn default/backend1 10.222.2.34 80 2); then bad "backend1 -> backend2:80 connected: $out"; else say "    $out"; fi
after=$(flowcount worker1 60 'nw_src=10.222.1.47')
((after > before)) && ok "blocked; worker1 table 60 drop flow nw_src=10.222.1.47 counted $((after - before)) packet(s) (n_packets $before -> $after)" \
  || bad "backend1 -> backend2:80: the table 60 drop flow did not count the packets ($before -> $after)"
trace worker1 'in_port=backend1-bab86f,tcp,dl_src=f2:32:d8:07:e2:a6,dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.47,nw_dst=10.222.2.34,tcp_dst=80,nw_ttl=64'
pause

chapter "5. the whole picture: every pod to every pod on TCP/80"
"$lab" probe --port 80 | sed 's/^/    /'
json=$("$lab" probe --port 80 --json)
exp=$("$PY" - "$json" <<'PYEOF'
import json, sys
r = {(x["from"], x["to"]): x["connected"] for x in json.loads(sys.argv[1])["results"]}
want = {("default/frontend", "default/backend1"): True, ("default/frontend", "default/backend2"): True,
        ("default/backend1", "default/backend2"): False, ("default/backend2", "default/backend1"): False}
bad = [f"{f} -> {t}: expected {'connected' if v else 'blocked'}" for (f, t), v in want.items() if r.get((f, t)) != v]
print("; ".join(bad))
PYEOF
)
[[ -z $exp ]] && ok "probe: frontend -> backend1/backend2 connected, backend1 <-> backend2 blocked" || bad "probe: $exp"

chapter "6. audit"
jar="$repo/controller/target/sluice.jar"
narrate "sluice audit asks the running controller to compare what each switch holds with what it should hold:"
run java -jar "$jar" audit --api "$(cat "$LAB/api")" && ok "sluice audit: clean" || bad "sluice audit reported drift (or failed)"

chapter "done in $(($(date +%s) - t0)) s — the lab is still up"
narrate "Explore:"
say "    deploy/lab probe [--port 22] [--protocol UDP --port 53]       who can reach whom"
say "    deploy/lab exec default/frontend -- python3 deploy/lab.d/connect.py 10.104.65.133 80"
say "    deploy/lab flows worker1 50                                    br-int table 50 on worker1"
say "    deploy/lab node worker2 -- ovs-appctl ofproto/trace br-int '...'   OVS tools inside a node"
say "    deploy/lab apply -f my-policy.yaml | deploy/lab delete -f my-policy.yaml"
say "    deploy/lab status"
narrate "Tear it down: deploy/lab down"
if ((failures)); then say "demo: $failures step(s) did not behave as the seed says"; exit 1; fi
say "demo: all steps behaved as the seed says"
