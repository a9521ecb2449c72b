#!/usr/bin/env python3
"""deploy/lab probe: real connection attempts from every pod to every other pod, in parallel.

  probe.py STATE PORT PROTOCOL TIMEOUT json|table|detail   (STATE/plan.json: the plan `sluice lab-plan` printed)

Prints the upstream Kubernetes netpol truth table (rows = from, columns = to; '.' connected,
'X' blocked, '-' the pod itself, which is not probed) or JSON.
"""
import json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))


def main():
    state, port, proto, timeout, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3].upper(), float(sys.argv[4]), sys.argv[5]
    with open(os.path.join(state, "plan.json")) as fh:
        pods = json.load(fh)["pods"]
    procs = []
    for src in pods:
        targets = [f"{d['ip']}={d['key']}" for d in pods if d["key"] != src["key"]]
        cmd = ["ip", "netns", "exec", src["netns"], sys.executable, os.path.join(here, "probe-client.py"),
               proto, str(port), str(timeout)] + targets
        procs.append((src, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results, errors = [], []
    for src, p in procs:
        out, err = p.communicate()
        for line in out.splitlines():
            r = json.loads(line)
            if "error" in r:
                errors.append(r["error"])
                continue
            results.append({"from": src["key"], "to": r["to"], "connected": r["connected"], "detail": r["detail"]})
        if p.returncode:
            errors.append(f"probe from {src['key']} failed: {err.strip()}")
    if errors:
        print(f"probe: {sorted(set(errors))[0]}", file=sys.stderr)
        sys.exit(2)
    if fmt == "json":
        print(json.dumps({"port": port, "protocol": proto,
                          "results": [{k: r[k] for k in ("from", "to", "connected")} for r in results]}, indent=1))
        return
    keys = [p["key"] for p in pods]
    val = {(r["from"], r["to"]): r for r in results}
    print(f"{proto}/{port}  ('.' connected, 'X' blocked; rows = from, columns = to)")
    print("\t".join(["-"] + keys))
    for f in keys:
        row = [f]
        for t in keys:
            r = val.get((f, t))
            row.append("-" if f == t else "?" if r is None else "." if r["connected"] else "X")
        print("\t".join(row))
    if fmt == "detail":
        for r in results:
            print(f"  {r['from']} -> {r['to']}: {r['detail']}")
    ok = sum(r["connected"] for r in results)
    print(f"{ok} of {len(results)} connections succeeded")


if __name__ == "__main__":
    main()
