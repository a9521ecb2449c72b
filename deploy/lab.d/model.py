#!/usr/bin/env python3
"""Cluster model helper for deploy/lab: a file store of Kubernetes objects and the plan derived from it.

  model.py store-apply  STATE FILE_OR_DIR...   add/replace objects in STATE/objects (prints one line per object)
  model.py store-delete STATE FILE_OR_DIR...   remove them
  model.py plan STATE                          the lab's plan as JSON (nodes, pods, services)
  model.py get STATE WHAT                      shell-friendly lines from the plan (nodes, dpids, pods, iptables)

Derivations follow docs/cluster-model.md (the contract Sluice's compiler implements):
  gateway IP = first host of spec.podCIDR; gateway MAC = annotation sluice.dev/gateway-mac or 0a:58:<gw IP>;
  pod MAC = sluice.dev/mac or 0a:58:<pod IP>; OVS interface = sluice.dev/interface or
  <first 8 chars of name, leading '-' removed>-<first 6 hex of sha1("ns/name")>.
"""
import hashlib, ipaddress, json, os, re, sys
import yaml

KINDS = {"Namespace": False, "Node": False, "Pod": True, "Service": True, "Endpoints": True,
         "EndpointSlice": True, "NetworkPolicy": True}


def read_docs(path):
    files = []
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for n in names:
                if n.endswith((".yaml", ".yml", ".json")):
                    files.append(os.path.join(root, n))
        files.sort()
    else:
        files = [path]
    for f in files:
        with open(f) as fh:
            text = fh.read()
        if text.lstrip().startswith(("{", "[")):
            data = json.loads(text)
            docs = data if isinstance(data, list) else [data]
        else:
            docs = list(yaml.safe_load_all(text))
        for d in docs:
            if not d:
                continue
            if d.get("kind") == "List" or (d.get("kind", "").endswith("List") and "items" in d):
                for it in d.get("items") or []:
                    yield f, it
            else:
                yield f, d


def key_of(obj):
    kind = obj.get("kind")
    md = obj.get("metadata") or {}
    name = md.get("name")
    if kind not in KINDS or not name:
        return None
    ns = (md.get("namespace") or "default") if KINDS[kind] else ""
    return kind, ns, name


ORDER = {"Namespace": 0, "Node": 1, "Pod": 2, "Service": 3, "Endpoints": 4, "EndpointSlice": 5, "NetworkPolicy": 6}


def fname(k):
    # the kind's rank first, so that a directory read in path order sees a Service before its Endpoints
    kind, ns, name = k
    return f"{ORDER[kind]}-{kind}_{ns or '-'}_{name}.json"


def store_apply(state, paths, delete=False):
    d = os.path.join(state, "objects")
    os.makedirs(d, exist_ok=True)
    n = 0
    for p in paths:
        for src, obj in read_docs(p):
            k = key_of(obj)
            if k is None:
                print(f"skip  {src}: kind {obj.get('kind')!r} is not read by Sluice", file=sys.stderr)
                continue
            if KINDS[k[0]]:
                obj.setdefault("metadata", {})["namespace"] = k[1]
            target = os.path.join(d, fname(k))
            label = f"{k[0]} {k[1] + '/' if k[1] else ''}{k[2]}"
            if delete:
                if os.path.exists(target):
                    os.remove(target)
                    print(f"deleted {label}")
                else:
                    print(f"absent  {label}")
            else:
                old = None
                if os.path.exists(target):
                    with open(target) as fh:
                        old = json.load(fh)
                with open(target, "w") as fh:
                    json.dump(obj, fh, indent=1, sort_keys=True)
                print(("unchanged " if old == obj else "configured " if old else "created ") + label)
            n += 1
    return n


def load_store(state):
    d = os.path.join(state, "objects")
    objs = {}
    if os.path.isdir(d):
        for n in sorted(os.listdir(d)):
            if n.endswith(".json"):
                with open(os.path.join(d, n)) as fh:
                    o = json.load(fh)
                objs[key_of(o)] = o
    return objs


def mac_of_ip(ip):
    return "0a:58:" + ":".join(f"{int(x):02x}" for x in str(ip).split("."))


def ifname(ns, name):
    short = name.lstrip("-")[:8] if len(name) > 8 else name
    if len(name) <= 8:
        return name
    return short + "-" + hashlib.sha1(f"{ns}/{name}".encode()).hexdigest()[:6]


def plan(state):
    objs = load_store(state)
    nodes = []
    for (kind, _, name), o in objs.items():
        if kind != "Node":
            continue
        spec, st = o.get("spec") or {}, o.get("status") or {}
        cidr = spec.get("podCIDR") or next(iter(spec.get("podCIDRs") or []), None)
        ip = next((a["address"] for a in st.get("addresses") or [] if a.get("type") == "InternalIP"), None)
        if not cidr or not ip:
            print(f"warning: Node {name} has no podCIDR or InternalIP; skipped", file=sys.stderr)
            continue
        net = ipaddress.ip_network(cidr, strict=False)
        gw = str(net.network_address + 1)
        ann = (o.get("metadata") or {}).get("annotations") or {}
        dpid = str(ann.get("sluice.dev/datapath-id") or "").strip().lower()
        dpid = dpid[2:] if dpid.startswith("0x") else dpid
        if dpid and not re.fullmatch(r"[0-9a-f]{1,16}", dpid.replace(":", "")):
            print(f"warning: Node {name}: sluice.dev/datapath-id {dpid!r} is not hex; ignored", file=sys.stderr)
            dpid = ""
        nodes.append({"name": name, "ip": ip, "podCIDR": str(net), "prefix": net.prefixlen, "gatewayIP": gw,
                      "gatewayMAC": ann.get("sluice.dev/gateway-mac", mac_of_ip(gw)),
                      # the bridge's datapath id: the annotation, else the InternalIP as hex
                      "datapathId": (dpid.replace(":", "").rjust(16, "0") if dpid
                                     else f"{int(ipaddress.ip_address(ip)):016x}"),
                      "datapathIdAnnotated": bool(dpid)})
    nodes.sort(key=lambda n: n["name"])
    # underlay prefix: the common prefix of all InternalIPs, at most /24
    ips = [int(ipaddress.ip_address(n["ip"])) for n in nodes]
    plen = 24
    while plen > 8 and len({i >> (32 - plen) for i in ips}) > 1:
        plen -= 1
    for n in nodes:
        n["underlayPrefix"] = plen
        n["underlayMAC"] = "0e:58:" + ":".join(f"{int(x):02x}" for x in n["ip"].split("."))
        n["netns"] = "sl-n-" + n["name"]
    bynode = {n["name"]: n for n in nodes}
    pods = []
    for (kind, ns, name), o in objs.items():
        if kind != "Pod":
            continue
        spec, st = o.get("spec") or {}, o.get("status") or {}
        md = o.get("metadata") or {}
        ann = md.get("annotations") or {}
        ip = st.get("podIP") or next((p.get("ip") for p in st.get("podIPs") or []), None)
        node = spec.get("nodeName")
        if spec.get("hostNetwork") or st.get("phase") in ("Succeeded", "Failed"):
            continue
        if not ip or node not in bynode:
            print(f"warning: Pod {ns}/{name}: no podIP or unknown node {node!r}; no namespace created", file=sys.stderr)
            continue
        ports = []
        for c in spec.get("containers") or []:
            for p in c.get("ports") or []:
                ports.append({"port": int(p["containerPort"]), "protocol": p.get("protocol", "TCP"),
                              "name": p.get("name", "")})
        h = hashlib.sha1(f"{ns}/{name}".encode()).hexdigest()[:8]
        pods.append({"namespace": ns, "name": name, "key": f"{ns}/{name}", "node": node, "ip": ip,
                     "prefix": bynode[node]["prefix"], "gatewayIP": bynode[node]["gatewayIP"],
                     "mac": ann.get("sluice.dev/mac", mac_of_ip(ip)),
                     "interface": ann.get("sluice.dev/interface", ifname(ns, name)),
                     "labels": md.get("labels") or {}, "ports": ports,
                     "netns": f"sl-p-{ns[:20]}-{name[:30]}-{h}"[:60], "id": h})
    pods.sort(key=lambda p: p["key"])
    services = []
    for (kind, ns, name), o in objs.items():
        if kind != "Service":
            continue
        spec = o.get("spec") or {}
        cip = spec.get("clusterIP")
        if not cip or cip == "None" or spec.get("type") == "ExternalName":
            continue
        eps = endpoints_of(objs, ns, name, spec, pods)
        for sp in spec.get("ports") or []:
            proto = sp.get("protocol", "TCP")
            backends = eps.get(sp.get("name", "")) or eps.get(None) or []
            services.append({"key": f"{ns}/{name}", "clusterIP": cip, "port": int(sp["port"]), "protocol": proto,
                             "name": sp.get("name", ""),
                             "endpoints": [b for b in backends if b[2] == proto]})
    return {"nodes": nodes, "pods": pods, "services": services}


def endpoints_of(objs, ns, name, spec, pods):
    """port name -> [(ip, port, protocol)] from EndpointSlices, else Endpoints, else the selector."""
    res = {}
    slices = [o for (k, n, _), o in objs.items() if k == "EndpointSlice" and n == ns and
              ((o.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/service-name") == name]
    if slices:
        for s in slices:
            if s.get("addressType", "IPv4") != "IPv4":
                continue
            for p in s.get("ports") or []:
                for e in s.get("endpoints") or []:
                    if (e.get("conditions") or {}).get("ready", True) is False:
                        continue
                    for a in e.get("addresses") or []:
                        res.setdefault(p.get("name", ""), []).append((a, int(p["port"]), p.get("protocol", "TCP")))
        return res
    ep = objs.get(("Endpoints", ns, name))
    if ep:
        for sub in ep.get("subsets") or []:
            for p in sub.get("ports") or []:
                for a in sub.get("addresses") or []:
                    res.setdefault(p.get("name", ""), []).append((a["ip"], int(p["port"]), p.get("protocol", "TCP")))
        return res
    sel = spec.get("selector")
    if not sel:
        return res
    for sp in spec.get("ports") or []:
        tp = sp.get("targetPort", sp["port"])
        proto = sp.get("protocol", "TCP")
        for pod in pods:
            if pod["namespace"] != ns or any(pod["labels"].get(k) != v for k, v in sel.items()):
                continue
            port = tp
            if isinstance(tp, str) and not tp.isdigit():
                port = next((p["port"] for p in pod["ports"] if p["name"] == tp and p["protocol"] == proto), None)
                if port is None:
                    continue
            res.setdefault(sp.get("name", ""), []).append((pod["ip"], int(port), proto))
    return res


def main():
    cmd, state, *rest = sys.argv[1:]
    if cmd == "store-apply":
        store_apply(state, rest)
    elif cmd == "store-delete":
        store_apply(state, rest, delete=True)
    elif cmd == "plan":
        json.dump(plan(state), sys.stdout, indent=1)
        print()
    elif cmd == "get":
        p = plan(state)
        what = rest[0]
        if what == "nodes":          # name ip podCIDR prefix gwIP gwMAC underlayPrefix underlayMAC netns
            for n in p["nodes"]:
                print(n["name"], n["ip"], n["podCIDR"], n["prefix"], n["gatewayIP"], n["gatewayMAC"],
                      n["underlayPrefix"], n["underlayMAC"], n["netns"])
        elif what == "dpids":        # name datapathId(16 hex) annotated|flag (flag: the lab passes --switch DPID=NODE)
            for n in p["nodes"]:
                print(n["name"], n["datapathId"], "annotated" if n["datapathIdAnnotated"] else "flag")
        elif what == "pods":         # key node ip prefix gwIP mac interface netns ports(csv port/PROTO or -)
            for q in p["pods"]:
                ports = ",".join(f"{x['port']}/{x['protocol']}" for x in q["ports"]) or "-"
                print(q["key"], q["node"], q["ip"], q["prefix"], q["gatewayIP"], q["mac"], q["interface"],
                      q["netns"], ports)
        elif what == "iptables":     # iptables-restore input for the nat table of every node (kube-proxy emulation)
            print(iptables(p))
        else:
            sys.exit(f"unknown: {what}")
    else:
        sys.exit(__doc__)


def iptables(p):
    lines = ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
             ":POSTROUTING ACCEPT [0:0]", ":SLUICE-SERVICES - [0:0]"]
    rules = ["-A PREROUTING -m comment --comment \"sluice-lab service portals\" -j SLUICE-SERVICES",
             "-A OUTPUT -m comment --comment \"sluice-lab service portals\" -j SLUICE-SERVICES"]
    for s in p["services"]:
        h = hashlib.sha1(f"{s['key']}:{s['port']}/{s['protocol']}".encode()).hexdigest()[:12].upper()
        svc = f"SLUICE-SVC-{h}"
        lines.append(f":{svc} - [0:0]")
        proto = s["protocol"].lower()
        cmt = f"{s['key']}:{s['name']}"
        rules.append(f"-A SLUICE-SERVICES -d {s['clusterIP']}/32 -p {proto} -m {proto} --dport {s['port']} "
                     f"-m comment --comment \"{cmt} cluster IP\" -j {svc}")
        eps = s["endpoints"]
        for i, (ip, port, _) in enumerate(eps):
            sep = "SLUICE-SEP-" + hashlib.sha1(f"{svc}{ip}:{port}".encode()).hexdigest()[:12].upper()
            lines.append(f":{sep} - [0:0]")
            left = len(eps) - i
            stat = f"-m statistic --mode random --probability {1.0 / left:.11f} " if left > 1 else ""
            rules.append(f"-A {svc} -m comment --comment \"{cmt}\" {stat}-j {sep}")
            rules.append(f"-A {sep} -p {proto} -m comment --comment \"{cmt}\" -m {proto} -j DNAT --to-destination {ip}:{port}")
    return "\n".join(lines + rules + ["COMMIT"])


if __name__ == "__main__":
    main()
