#!/usr/bin/env python3
"""End-to-end lab test: real packets between pod namespaces through userspace OVS nodes whose flows
Sluice compiled, compared with hand-written expected truth tables (upstream netpol e2e style).

Expects the lab to be up with the packet-walk example plus cluster.yaml (deploy/lab-test does that).
Every check prints PASS/FAIL; the last line is "N passed, M failed".
"""
import fnmatch, json, os, subprocess, sys, tempfile, textwrap, time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "lab")
PODS = [f"{n}/{p}" for n in "xyz" for p in "abc"]
WORKER1 = {"x/a", "x/c", "y/b", "z/a", "z/c"}   # cluster.yaml: odd indexes on worker1
passed, failed = [], []


def lab(*args, check=True):
    t = time.time()
    r = subprocess.run([LAB, *args], capture_output=True, text=True)
    if check and r.returncode:
        print(r.stdout[-3000:], r.stderr[-3000:])
        raise SystemExit(f"deploy/lab {' '.join(args)} failed ({r.returncode})")
    return r, time.time() - t


def result(name, ok, detail=""):
    (passed if ok else failed).append(name)
    print(f"{'PASS' if ok else 'FAIL'}  {name}{(': ' + detail) if detail else ''}", flush=True)


class Reach:
    """Expected reachability among PODS, like upstream's Reachability: start from a default, then override."""

    def __init__(self, default=True):
        self.v = {(f, t): default for f in PODS for t in PODS if f != t}

    def set(self, frm, to, val):
        for (f, t) in self.v:
            if fnmatch.fnmatch(f, frm) and fnmatch.fnmatch(t, to):
                self.v[(f, t)] = val
        return self


def table(v, mark=None):
    lines = ["\t".join(["-"] + PODS)]
    for f in PODS:
        row = [f]
        for t in PODS:
            c = "-" if f == t else ("." if v.get((f, t)) else "X") if (f, t) in v else "?"
            if mark and (f, t) in mark:
                c += "*"
            row.append(c)
        lines.append("\t".join(row))
    return "\n".join(lines)


def probe_check(name, expected, port=80, proto="TCP", extra_pods=()):
    r, dt = lab("probe", "--port", str(port), "--protocol", proto, "--json")
    data = json.loads(r.stdout)
    got = {(x["from"], x["to"]): x["connected"] for x in data["results"]}
    ok_shape = data["port"] == port and data["protocol"] == proto
    want = dict(expected.v)
    for p in extra_pods:
        for q in PODS + list(extra_pods):
            if q != p:
                want.setdefault((p, q), True)
                want.setdefault((q, p), True)
    obs = {k: got.get(k) for k in want}
    diff = {k for k in want if obs[k] != want[k]}
    # the packet-walk pods keep their seed behaviour in every case
    seed = {("default/frontend", "default/backend1"): True, ("default/frontend", "default/backend2"): True,
            ("default/backend1", "default/backend2"): False} if (port, proto) == (80, "TCP") else {}
    seed_bad = [f"{f}->{t}" for (f, t), v in seed.items() if got.get((f, t)) != v]
    label = f"{name} [{proto}/{port}, {len(want)} pairs, probe {dt:.1f} s]"
    if diff or seed_bad or not ok_shape:
        result(label, False, f"{len(diff)} pair(s) differ{'; seed pairs wrong: ' + ', '.join(seed_bad) if seed_bad else ''}")
        print(textwrap.indent("expected:\n" + table(want) + "\nobserved (* = differs):\n" + table(obs, diff), "    "))
    else:
        result(label, True)


def policies(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, dir="/tmp", prefix="sluice-lab-test-")
    f.write(textwrap.dedent(text))
    f.close()
    return f.name


def case(name, yaml_text, checks):
    path = policies(yaml_text)
    try:
        _, dt = lab("apply", "-f", path)
        print(f"      applied {name} in {dt:.1f} s", flush=True)
        for c in checks:
            c(name)
    finally:
        _, dt = lab("delete", "-f", path)
        os.unlink(path)


def np(ns, name, spec):
    return f"""
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {{name: {name}, namespace: {ns}}}
    spec:
{textwrap.indent(textwrap.dedent(spec), '      ')}
    ---"""


def main():
    t0 = time.time()
    probe_check("no policy in x/y/z: everything connects", Reach(True))
    probe_check("no policy: UDP", Reach(True), proto="UDP")

    case("default deny ingress in x", np("x", "deny-all", """
        podSelector: {}
        policyTypes: [Ingress]"""),
         [lambda n: probe_check(n, Reach(True).set("*", "x/*", False))])

    case("namespaceSelector AND podSelector, OR podSelector", np("x", "allow-yb-and-xc", """
        podSelector: {matchLabels: {pod: a}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {ns: y}}
            podSelector: {matchLabels: {pod: b}}
          - podSelector: {matchLabels: {pod: c}}
          ports: [{protocol: TCP, port: 80}]"""),
         [lambda n: probe_check(n, Reach(True).set("*", "x/a", False).set("y/b", "x/a", True).set("x/c", "x/a", True)),
          lambda n: probe_check(n + " (port 81 not allowed)", Reach(True).set("*", "x/a", False), port=81)])

    case("named port", np("x", "allow-named-81", """
        podSelector: {matchLabels: {pod: a}}
        ingress:
        - ports: [{port: serve-81-tcp}]"""),
         [lambda n: probe_check(n + ": 80 closed", Reach(True).set("*", "x/a", False)),
          lambda n: probe_check(n + ": 81 open", Reach(True), port=81)])

    case("ipBlock with except", np("x", "allow-worker1-cidr", """
        podSelector: {matchLabels: {pod: a}}
        ingress:
        - from:
          - ipBlock: {cidr: 10.222.0.0/16, except: [10.222.2.0/24]}"""),
         [lambda n: probe_check(n, Reach(True).set("*", "x/a", False)
                                .set("x/c", "x/a", True).set("y/b", "x/a", True).set("z/a", "x/a", True).set("z/c", "x/a", True))])

    case("egress rule to a namespace", np("y", "egress-to-z", """
        podSelector: {}
        policyTypes: [Egress]
        egress:
        - to:
          - namespaceSelector: {matchLabels: {ns: z}}
          ports: [{protocol: TCP, port: 80}]"""),
         [lambda n: probe_check(n, Reach(True).set("y/*", "*", False).set("y/*", "z/*", True)),
          lambda n: probe_check(n + " (UDP not allowed)", Reach(True).set("y/*", "*", False), proto="UDP")])

    case("egress deny-all plus ingress allow in one policy", np("z", "z-isolated", """
        podSelector: {matchLabels: {pod: b}}
        policyTypes: [Ingress, Egress]
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {ns: x}}"""),
         [lambda n: probe_check(n, Reach(True).set("z/b", "*", False).set("*", "z/b", False).set("x/*", "z/b", True))])

    case("UDP-only ingress", np("x", "udp-only", """
        podSelector: {matchLabels: {pod: a}}
        ingress:
        - ports: [{protocol: UDP, port: 80}]"""),
         [lambda n: probe_check(n + ": UDP open", Reach(True), proto="UDP"),
          lambda n: probe_check(n + ": TCP closed", Reach(True).set("*", "x/a", False))])

    # a label change on an existing pod (no new namespace), then back
    pod_zc = open(os.path.join(HERE, "cluster.yaml")).read().split("---")[-1]
    relabeled = policies(pod_zc.replace("    pod: c\n", "    pod: c\n    role: client\n", 1))
    restored = policies(pod_zc)

    def relabel(n):
        lab("apply", "-f", relabeled)
        probe_check(n + ": z/c labelled role=client", Reach(True).set("*", "x/a", False).set("z/c", "x/a", True))
        lab("apply", "-f", restored)
        probe_check(n + ": label removed again", Reach(True).set("*", "x/a", False))
    case("label change", np("x", "from-clients", """
        podSelector: {matchLabels: {pod: a}}
        ingress:
        - from:
          - namespaceSelector: {}
            podSelector: {matchLabels: {role: client}}"""),
         [lambda n: probe_check(n + ": no client yet", Reach(True).set("*", "x/a", False)), relabel])
    os.unlink(relabeled)
    os.unlink(restored)

    # a new pod gets a namespace and servers; deleting it removes them
    newpod = policies("""
        apiVersion: v1
        kind: Pod
        metadata: {name: d, namespace: x, labels: {pod: d}, annotations: {sluice.dev/interface: x-d}}
        spec:
          nodeName: worker2
          containers:
          - name: c
            ports: [{containerPort: 80, protocol: TCP}]
        status: {phase: Running, podIP: 10.222.2.120}
        ---
        # a short name and no sluice.dev/interface: the lab names its interface by the compiler's
        # rule (sluice lab-plan), web-<6 hex>, so the flows find the port (issue 11 item 10)
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: x, labels: {pod: web}}
        spec:
          nodeName: worker1
          containers:
          - name: c
            ports: [{containerPort: 80, protocol: TCP}]
        status: {phase: Running, podIP: 10.222.1.121}
        """)
    lab("apply", "-f", newpod)
    ns = [l for l in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n") if "-x-d-" in l]
    result("new pod x/d: network namespace created", bool(ns))
    probe_check("new pods x/d and x/web (short name, derived interface): reachable and reaching", Reach(True),
                extra_pods=("x/d", "x/web"))
    lab("delete", "-f", newpod)
    ns = [l for l in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n")
          if "-x-d-" in l or "-x-web-" in l]
    result("deleted pods x/d, x/web: network namespaces removed", not ns)
    os.unlink(newpod)

    r, _ = lab("probe", "--protocol", "SCTP", check=False)
    result("SCTP probe: works or says the kernel has no SCTP",
           r.returncode == 0 or "SCTP is not supported" in r.stderr, r.stderr.strip())

    print(f"\nlab e2e: {len(passed)} passed, {len(failed)} failed ({time.time() - t0:.0f} s)")
    for f in failed:
        print(f"  failed: {f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
