package dev.sluice.compiler.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random cluster changes for property tests: three nodes, three namespaces, a dozen pods and a
 * handful of NetworkPolicies drawn from every feature the compiler handles (selectors with every
 * operator, namespaceSelector, both, ipBlock with except, numeric/named/range/protocol-only ports,
 * policyTypes present or implied, empty rule lists), plus Services that must change nothing.
 */
final class RandomCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ManifestReader READER = new ManifestReader();
  static final String[] NAMESPACES = {"ns-a", "ns-b", "ns-c"};
  static final String[] APPS = {"web", "db", "cache"};
  private final Random rnd;

  RandomCluster(long seed) {
    this.rnd = new Random(seed);
  }

  /** Nodes and namespaces first, so most pods attach. */
  List<Change> bootstrap() {
    List<Change> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      out.add(Change.upsert(node(i, false)));
    }
    for (String ns : NAMESPACES) {
      out.add(Change.upsert(namespace(ns)));
    }
    return out;
  }

  Change next() {
    int r = rnd.nextInt(100);
    if (r < 40) {
      return Change.upsert(pod(rnd.nextInt(12)));
    } else if (r < 52) {
      return Change.delete(ObjectKind.POD, pick(NAMESPACES), "p" + rnd.nextInt(12));
    } else if (r < 75) {
      return Change.upsert(policy(rnd.nextInt(6)));
    } else if (r < 82) {
      return Change.delete(ObjectKind.NETWORK_POLICY, pick(NAMESPACES), "pol" + rnd.nextInt(6));
    } else if (r < 88) {
      return Change.upsert(namespace(pick(NAMESPACES)));
    } else if (r < 92) {
      int n = 1 + rnd.nextInt(3);
      return rnd.nextInt(3) == 0
          ? Change.delete(ObjectKind.NODE, "", "node" + n)
          : Change.upsert(node(n, rnd.nextBoolean()));
    } else {
      return Change.upsert(service());
    }
  }

  private HasMetadata node(int i, boolean customMac) {
    Map<String, Object> meta = map("name", "node" + i);
    if (customMac) {
      meta.put(
          "annotations",
          map("sluice.dev/gateway-mac", "02:00:00:00:0" + i + ":0" + rnd.nextInt(10)));
    }
    return parse(
        map(
            "apiVersion",
            "v1",
            "kind",
            "Node",
            "metadata",
            meta,
            "spec",
            map("podCIDR", "10.1." + i + ".0/24"),
            "status",
            map("addresses", List.of(map("type", "InternalIP", "address", "192.168.0." + i)))));
  }

  private HasMetadata namespace(String name) {
    Map<String, Object> labels = new LinkedHashMap<>();
    if (rnd.nextBoolean()) {
      labels.put("env", rnd.nextBoolean() ? "prod" : "dev");
    }
    if (rnd.nextBoolean()) {
      labels.put("team", rnd.nextBoolean() ? "x" : "y");
    }
    return parse(
        map(
            "apiVersion",
            "v1",
            "kind",
            "Namespace",
            "metadata",
            map("name", name, "labels", labels)));
  }

  private HasMetadata pod(int i) {
    int node = 1 + rnd.nextInt(3);
    String ns = NAMESPACES[i % 3];
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("app", pick(APPS));
    if (rnd.nextBoolean()) {
      labels.put("tier", rnd.nextBoolean() ? "front" : "back");
    }
    List<Object> ports = new ArrayList<>();
    if (rnd.nextBoolean()) {
      ports.add(
          map("name", "http", "containerPort", rnd.nextBoolean() ? 80 : 8080, "protocol", "TCP"));
    }
    if (rnd.nextBoolean()) {
      ports.add(map("name", "dns", "containerPort", 53, "protocol", "UDP"));
    }
    if (rnd.nextBoolean()) {
      ports.add(map("name", "metrics", "containerPort", 9090, "protocol", "TCP"));
    }
    return parse(
        map(
            "apiVersion", "v1",
            "kind", "Pod",
            "metadata", map("name", "p" + i, "namespace", ns, "labels", labels),
            "spec",
                map(
                    "nodeName",
                    "node" + node,
                    "containers",
                    List.of(map("name", "c", "image", "x", "ports", ports))),
            "status", map("phase", "Running", "podIP", "10.1." + node + "." + (10 + i))));
  }

  private HasMetadata service() {
    return parse(
        map(
            "apiVersion",
            "v1",
            "kind",
            "Service",
            "metadata",
            map("name", "svc" + rnd.nextInt(2), "namespace", pick(NAMESPACES)),
            "spec",
            map(
                "clusterIP",
                "10.96.0." + (10 + rnd.nextInt(100)),
                "selector",
                map("app", pick(APPS)),
                "ports",
                List.of(map("port", 80, "protocol", "TCP", "targetPort", "http")))));
  }

  private HasMetadata policy(int i) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("podSelector", selector(true));
    List<String> types = new ArrayList<>();
    int t = rnd.nextInt(4);
    if (t == 1 || t == 3) {
      types.add("Ingress");
    }
    if (t == 2 || t == 3) {
      types.add("Egress");
    }
    if (!types.isEmpty()) {
      spec.put("policyTypes", types);
    }
    if (rnd.nextInt(3) > 0) {
      spec.put("ingress", rules());
    }
    if (rnd.nextInt(3) > 0) {
      spec.put("egress", rules());
    }
    return parse(
        map(
            "apiVersion",
            "networking.k8s.io/v1",
            "kind",
            "NetworkPolicy",
            "metadata",
            map("name", "pol" + i, "namespace", NAMESPACES[i % 3]),
            "spec",
            spec));
  }

  private List<Object> rules() {
    List<Object> rules = new ArrayList<>();
    int n = rnd.nextInt(3);
    for (int k = 0; k < n; k++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      if (rnd.nextInt(4) > 0) {
        List<Object> peers = new ArrayList<>();
        int np = 1 + rnd.nextInt(2);
        for (int j = 0; j < np; j++) {
          peers.add(peer());
        }
        rule.put(rnd.nextBoolean() ? "from" : "to", peers); // the wrong key is ignored
        rule.put("from", peers);
        rule.put("to", peers);
      }
      if (rnd.nextInt(3) > 0) {
        List<Object> ports = new ArrayList<>();
        int np = 1 + rnd.nextInt(2);
        for (int j = 0; j < np; j++) {
          ports.add(port());
        }
        rule.put("ports", ports);
      }
      rules.add(rule);
    }
    return rules;
  }

  private Object peer() {
    int k = rnd.nextInt(5);
    return switch (k) {
      case 0 -> map("podSelector", selector(false));
      case 1 -> map("namespaceSelector", nsSelector());
      case 2 -> map("podSelector", selector(false), "namespaceSelector", nsSelector());
      case 3 ->
          map(
              "ipBlock",
              rnd.nextBoolean()
                  ? map(
                      "cidr",
                      "10.1.0.0/16",
                      "except",
                      List.of("10.1." + (1 + rnd.nextInt(3)) + ".0/25"))
                  : map("cidr", "172.16.0.0/12"));
      default -> map("podSelector", map());
    };
  }

  private Object port() {
    int k = rnd.nextInt(6);
    return switch (k) {
      case 0 -> map("protocol", "TCP", "port", 80);
      case 1 -> map("protocol", "UDP", "port", 53);
      case 2 -> map("protocol", "TCP", "port", 8000, "endPort", 8100);
      case 3 -> map("protocol", "TCP", "port", "http");
      case 4 -> map("protocol", rnd.nextBoolean() ? "UDP" : "TCP", "port", "dns");
      default -> map("protocol", rnd.nextBoolean() ? "SCTP" : "TCP");
    };
  }

  private Map<String, Object> selector(boolean allowEmpty) {
    int k = rnd.nextInt(allowEmpty ? 6 : 5);
    return switch (k) {
      case 0 -> map("matchLabels", map("app", pick(APPS)));
      case 1 -> map("matchExpressions", List.of(expr("app", "In", pick(APPS), pick(APPS))));
      case 2 -> map("matchExpressions", List.of(expr("app", "NotIn", pick(APPS))));
      case 3 -> map("matchExpressions", List.of(expr("tier", "Exists")));
      case 4 -> map("matchExpressions", List.of(expr("tier", "DoesNotExist")));
      default -> map();
    };
  }

  private Map<String, Object> nsSelector() {
    int k = rnd.nextInt(4);
    return switch (k) {
      case 0 -> map("matchLabels", map("env", rnd.nextBoolean() ? "prod" : "dev"));
      case 1 -> map("matchLabels", map("kubernetes.io/metadata.name", pick(NAMESPACES)));
      case 2 -> map("matchExpressions", List.of(expr("team", "Exists")));
      default -> map();
    };
  }

  private static Map<String, Object> expr(String key, String op, String... values) {
    Map<String, Object> m = map("key", key, "operator", op);
    if (values.length > 0) {
      m.put("values", List.of(values));
    }
    return m;
  }

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static HasMetadata parse(Map<String, Object> obj) {
    try {
      ManifestReader.Manifests m = READER.parseJson(JSON.writeValueAsString(obj), "random");
      if (!m.errors().isEmpty()) {
        throw new IllegalStateException(m.errors().toString());
      }
      return m.items().get(0);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
