#!/usr/bin/python3
"""A Sluice cluster in Mininet, built from the same manifests as deploy/lab.

  sudo deploy/mininet/sluice_topo.py -f deploy/examples/packet-walk/manifests [--cli] [--probe]

One Mininet switch per Kubernetes Node: a SluiceNode runs its *own* ovsdb-server/ovs-vswitchd
(userspace datapath) inside its own network namespace — one netdev ovs-vswitchd per namespace, as
docs/design.md §7 says — with br-int (antrea-gw0, antrea-tun0 Geneve) and br-phy (underlay, the Node's
InternalIP). Pods are Mininet hosts (eth0 with the pod's IP and MAC, default route via the gateway),
linked to the switch with the pod's OVS interface name. The node switches are linked to one underlay
switch (a Linux bridge in its own namespace). Flows: `sluice compile` -> `sluice push` on a unix socket
in each node's OVS run directory (the remote controller). Nothing is added to the root namespace
except veth pairs that Mininet moves into the namespaces at once.

Never run `mn -c` (it kills by name and deletes /tmp/*.log): this script stops exactly what it started.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "deploy", "lab.d"))
import plan as labplan  # noqa: E402  (formats the plan `sluice lab-plan` derives; kube-proxy rules)

from mininet.net import Mininet
from mininet.node import Host, Node
from mininet.link import Link
from mininet.log import setLogLevel, info
from mininet.cli import CLI

JAR = os.path.join(REPO, "controller", "target", "sluice.jar")
SERVERS = []  # pids of the pod servers this script started
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-jar", JAR]


class SluiceNode(Node):
    """A Kubernetes Node: private OVS daemons in this node's network namespace."""

    def __init__(self, name, spec=None, rundir=None, **kw):
        kw["inNamespace"] = True
        super().__init__(name, **kw)
        self.spec, self.rundir = spec, rundir

    def vsctl(self, *a):
        return subprocess.run(["ovs-vsctl", "--timeout=10", f"--db=unix:{self.rundir}/db.sock", *a],
                              check=True, capture_output=True, text=True).stdout

    def start_ovs(self):
        d = self.rundir
        os.makedirs(d, exist_ok=True)
        subprocess.run(["ovsdb-tool", "create", f"{d}/conf.db", "/usr/share/openvswitch/vswitch.ovsschema"], check=True)
        env = f"OVS_RUNDIR={d} OVS_DBDIR={d} OVS_LOGDIR={d}"
        self.cmd(f"env {env} ovsdb-server {d}/conf.db --remote=punix:{d}/db.sock --pidfile={d}/ovsdb-server.pid "
                 f"--detach --log-file={d}/ovsdb-server.log -vconsole:off")
        self.vsctl("--no-wait", "init")
        self.cmd(f"env {env} ovs-vswitchd unix:{d}/db.sock --pidfile={d}/ovs-vswitchd.pid --detach "
                 f"--log-file={d}/ovs-vswitchd.log -vconsole:off")
        s = self.spec
        self.cmd("sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.all.send_redirects=0")
        self.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev",
                   f'other-config:hwaddr="{s["underlayMAC"]}"', "--", "add-port", "br-phy", f"{self.name}-ul0")
        self.cmd(f"ethtool -K {self.name}-ul0 tx off; ip link set br-phy up; ip addr add {s['ip']}/{s['underlayPrefix']} dev br-phy")
        self.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev", "protocols=OpenFlow13",
                   "fail_mode=secure")
        # the controller before any flow: OVS wipes flows when the controller list changes
        self.vsctl("--", "--id=@c", "create", "Controller", f'target="unix:{d}/sluice.sock"', "max_backoff=1000",
                   "--", "set", "bridge", "br-int", "controller=@c")
        self.vsctl("add-port", "br-int", "antrea-tun0", "--", "set", "interface", "antrea-tun0", "type=geneve",
                   "options:remote_ip=flow", "ofport_request=1")
        self.vsctl("add-port", "br-int", "antrea-gw0", "--", "set", "interface", "antrea-gw0", "type=internal",
                   "ofport_request=2", f'mac="{s["gatewayMAC"]}"', "mtu_request=1450")
        time.sleep(0.5)
        self.cmd(f"ip link set antrea-gw0 address {s['gatewayMAC']} mtu 1450 up; "
                 f"ip addr add {s['gatewayIP']}/{s['prefix']} dev antrea-gw0; ethtool -K antrea-gw0 tx off")
        subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "add-tlv-map", "br-int", "{class=0xffff,type=0,len=4}->tun_metadata0"],
                       env=dict(os.environ, OVS_RUNDIR=d), capture_output=True)

    def stop_ovs(self):
        for p in ("ovs-vswitchd", "ovsdb-server"):
            f = f"{self.rundir}/{p}.pid"
            if os.path.exists(f):
                pid = open(f).read().strip()
                cmdline = open(f"/proc/{pid}/cmdline").read() if os.path.exists(f"/proc/{pid}/cmdline") else ""
                if p in cmdline:
                    subprocess.run(["kill", pid])


def build(paths, workdir):
    state = os.path.join(workdir, "state")
    # the plan from the compiler's own cluster model (interface names, MACs, gateways), as deploy/lab
    plan = json.loads(subprocess.run(JAVA + ["lab-plan", "--store", os.path.join(state, "objects"), "--apply",
                                             *[a for p in paths for a in ("-f", p)], "--json"],
                                     check=True, capture_output=True, text=True).stdout)
    net = Mininet(build=False, controller=None, autoSetMacs=False, autoStaticArp=False)
    underlay = net.addHost("ul", cls=Node, inNamespace=True)
    nodes, ports = {}, {}
    for i, s in enumerate(plan["nodes"]):
        n = net.addHost(s["name"], cls=SluiceNode, spec=s, rundir=os.path.join(workdir, s["name"]))
        Link(n, underlay, intfName1=f"{s['name']}-ul0", intfName2=f"ul-{i}")
        nodes[s["name"]] = n
        ports[s["name"]] = {"antrea-tun0": 1, "antrea-gw0": 2}
    pods = {}
    for p in plan["pods"]:
        h = net.addHost(f"p{p['id'][:6]}", cls=Host, ip=None)
        Link(h, nodes[p["node"]], intfName1="eth0", intfName2=p["interfaceName"])
        pods[p["key"]] = (h, p)
    net.build()
    underlay.cmd("ip link add ul-br type bridge; ip link set ul-br up")
    for i in range(len(plan["nodes"])):
        underlay.cmd(f"ip link set ul-{i} master ul-br up; ethtool -K ul-{i} tx off")
    for s in plan["nodes"]:
        nodes[s["name"]].start_ovs()
    for s in plan["nodes"]:  # routes to the other nodes' pod CIDRs, as Antrea does; static underlay neighbours
        for o in plan["nodes"]:
            if o is not s:
                nodes[s["name"]].cmd(f"ip route add {o['podCIDR']} via {o['gatewayIP']} dev antrea-gw0 onlink mtu 1450; "
                                     f"ip neigh replace {o['gatewayIP']} lladdr aa:bb:cc:dd:ee:ff dev antrea-gw0 nud permanent")
                d = nodes[s["name"]].rundir
                pid = open(f"{d}/ovs-vswitchd.pid").read().strip()
                subprocess.run(["ovs-appctl", "-t", f"{d}/ovs-vswitchd.{pid}.ctl", "tnl/neigh/set", "br-phy", o["ip"],
                                o["underlayMAC"]], capture_output=True)
    for key, (h, p) in pods.items():
        n = nodes[p["node"]]
        num = len(ports[p["node"]]) + 1
        ports[p["node"]][p["interfaceName"]] = num
        n.cmd(f"ethtool -K {p['interface']} tx off; ip link set {p['interface']} mtu 1450 up")
        n.vsctl("add-port", "br-int", p["interfaceName"], "--", "set", "interface", p["interfaceName"], f"ofport_request={num}")
        h.cmd(f"ip link set eth0 address {p['mac']} mtu 1450 up; ip addr add {p['ip']}/{p['prefix']} dev eth0; "
              f"ip route add default via {p['gatewayIP']}; ethtool -K eth0 tx off")
        specs = ",".join(f"{x['port']}/{x['protocol']}" for x in p["ports"])
        if specs:
            pid = h.cmd(f"/usr/bin/python3 {REPO}/deploy/lab.d/podserver.py {key} {specs} >/dev/null 2>&1 & echo $!")
            SERVERS.append(int(pid.strip().split()[-1]))
    # iptables DNAT (kube-proxy emulation) in every node namespace
    rules = os.path.join(workdir, "iptables.nat")
    with open(rules, "w") as f:
        f.write(labplan.iptables(plan) + "\n")
    for n in nodes.values():
        n.cmd(f"iptables-restore < {rules}")
    return net, plan, state, nodes, pods, ports


def push_flows(state, plan, nodes, ports):
    procs = []
    for s in plan["nodes"]:
        d = nodes[s["name"]].rundir
        with open(f"{d}/ports.csv", "w") as f:
            f.writelines(f"{k},{v}\n" for k, v in ports[s["name"]].items())
        flows = subprocess.run(JAVA + ["compile", "-f", os.path.join(state, "objects"), "--node", s["name"],
                                       "--ports", f"{d}/ports.csv"], check=True, capture_output=True, text=True).stdout
        open(f"{d}/flows", "w").write(flows)
        procs.append((s["name"], subprocess.Popen(JAVA + ["push", "--listen", f"unix:{d}/sluice.sock", "--flows", f"{d}/flows"],
                                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)))
    for name, p in procs:
        out = p.communicate()[0]
        info(f"*** {name}: {[l for l in out.splitlines() if l.startswith('br-int')]}\n")
        if p.returncode:
            raise SystemExit(f"sluice push for {name} failed")


def probe(pods, port=80, proto="TCP"):
    keys = sorted(pods)
    res = {}
    for k in keys:
        h, p = pods[k]
        targets = [f"{pods[t][1]['ip']}={t}" for t in keys if t != k]
        out = h.cmd(f"/usr/bin/python3 {REPO}/deploy/lab.d/probe-client.py {proto} {port} 2 {' '.join(targets)}")
        for line in out.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                res[(k, r["to"])] = r["connected"]
    print("\t".join(["-"] + keys))
    for f in keys:
        print("\t".join([f] + ["-" if f == t else "." if res.get((f, t)) else "X" for t in keys]))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-f", action="append", required=True, help="manifest file or directory (repeatable)")
    ap.add_argument("--cli", action="store_true", help="open the Mininet CLI")
    ap.add_argument("--probe", action="store_true", help="print the TCP/80 truth table")
    ap.add_argument("--expect", help="JSON file {\"from->to\": true|false}: exit 1 when the probe differs")
    a = ap.parse_args()
    setLogLevel("info")
    workdir = tempfile.mkdtemp(prefix="sluice-mininet-", dir="/run")
    net = None
    try:
        net, plan, state, nodes, pods, ports = build(a.f, workdir)
        push_flows(state, plan, nodes, ports)
        for s in plan["nodes"]:  # warm up the underlay neighbours
            for o in plan["nodes"]:
                if o is not s:
                    nodes[s["name"]].cmd(f"ping -c1 -W1 {o['ip']}")
        rc = 0
        if a.probe or a.expect:
            res = probe(pods)
            if a.expect:
                want = json.load(open(a.expect))
                bad = [k for k, v in want.items() if res.get(tuple(k.split("->"))) != v]
                print(f"mininet probe: {len(want) - len(bad)} passed, {len(bad)} failed {bad if bad else ''}")
                rc = 1 if bad else 0
        if a.cli:
            CLI(net)
        return rc
    finally:
        if net is not None:
            for n in net.hosts:
                if isinstance(n, SluiceNode):
                    n.stop_ovs()
            for pid in SERVERS:
                try:
                    if "podserver.py" in open(f"/proc/{pid}/cmdline").read():
                        os.kill(pid, 15)
                except OSError:
                    pass
            net.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
