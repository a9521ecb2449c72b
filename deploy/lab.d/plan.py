#!/usr/bin/env python3
"""Shell-friendly views of the lab's plan, the JSON `sluice lab-plan` printed into $LAB/plan.json.

  plan.py PLAN_JSON nodes      name ip podCIDR prefix gwIP gwMAC underlayPrefix underlayMAC netns
  plan.py PLAN_JSON dpids      name datapathId(16 hex) annotated|flag (flag: the lab passes --switch DPID=NODE)
  plan.py PLAN_JSON pods       key node ip prefix gwIP mac interface netns ports(csv port/PROTO or -)
  plan.py PLAN_JSON iptables   iptables-restore input for the nat table of every node (kube-proxy emulation)

Every address, MAC and interface name comes from the plan, which the compiler's cluster model
derived (controller/.../cli/LabPlanCommand.java); this file only formats it.
"""
import hashlib, json, sys


def load(path):
    with open(path) as fh:
        return json.load(fh)


def iptables(p):
    """kube-proxy's iptables mode in miniature: one chain per Service port, one per endpoint."""
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
        for i, e in enumerate(eps):
            ip, port = e["ip"], e["port"]
            sep = "SLUICE-SEP-" + hashlib.sha1(f"{svc}{ip}:{port}".encode()).hexdigest()[:12].upper()
            lines.append(f":{sep} - [0:0]")
            left = len(eps) - i
            stat = f"-m statistic --mode random --probability {1.0 / left:.11f} " if left > 1 else ""
            rules.append(f"-A {svc} -m comment --comment \"{cmt}\" {stat}-j {sep}")
            rules.append(f"-A {sep} -p {proto} -m comment --comment \"{cmt}\" -m {proto} -j DNAT --to-destination {ip}:{port}")
    return "\n".join(lines + rules + ["COMMIT"])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    p, what = load(sys.argv[1]), sys.argv[2]
    if what == "nodes":
        for n in p["nodes"]:
            print(n["name"], n["ip"], n["podCIDR"], n["prefix"], n["gatewayIP"], n["gatewayMAC"],
                  n["underlayPrefix"], n["underlayMAC"], n["netns"])
    elif what == "dpids":
        for n in p["nodes"]:
            print(n["name"], n["datapathId"], "annotated" if n["datapathIdAnnotated"] else "flag")
    elif what == "pods":
        for q in p["pods"]:
            ports = ",".join(f"{x['port']}/{x['protocol']}" for x in q["ports"]) or "-"
            print(q["key"], q["node"], q["ip"], q["prefix"], q["gatewayIP"], q["mac"], q["interfaceName"],
                  q["netns"], ports)
    elif what == "iptables":
        print(iptables(p))
    else:
        sys.exit(f"unknown: {what}")


if __name__ == "__main__":
    main()
