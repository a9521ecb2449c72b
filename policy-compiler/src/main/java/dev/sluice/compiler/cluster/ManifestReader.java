package dev.sluice.compiler.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.compiler.cluster.ManifestError.Severity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads Kubernetes objects as {@code kubectl get -o yaml|json} prints them, into fabric8 model
 * objects: files or directory trees ({@code *.yaml}, {@code *.yml}, {@code *.json}, visited in
 * sorted path order), multi-document YAML ({@code ---}), JSON objects or arrays, and {@code kind:
 * List} (or {@code PodList} …) wrappers, whose items are read one by one.
 *
 * <p>Nothing here throws for bad input: every document that cannot be read — malformed YAML, a kind
 * the model does not read, a field of the wrong type, a missing name — becomes a {@link
 * ManifestError} naming the source ({@code file#index}, documents counted from 0, blank ones not
 * counted), the object and, where known, the field; the other documents are still returned.
 * Namespaced objects without {@code metadata.namespace} get {@code default}, as {@code kubectl
 * apply} would. Thread-safe; share one instance.
 */
public final class ManifestReader {

  private final ObjectMapper json;
  private final ObjectMapper yaml;

  /** A reader with Jackson mappers configured for the fabric8 model. */
  public ManifestReader() {
    this.json = configure(new ObjectMapper());
    this.yaml = configure(new ObjectMapper(new YAMLFactory()));
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    // fabric8 classes keep unknown fields in additionalProperties; status noise never fails.
    return mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /**
   * Objects read from a source, with their errors.
   *
   * @param objects readable objects of a kind the model reads, in source order
   * @param errors one entry per unreadable document or item
   */
  public record Manifests(List<SourcedObject> objects, List<ManifestError> errors) {
    /** Copies the lists. */
    public Manifests {
      objects = List.copyOf(objects);
      errors = List.copyOf(errors);
    }

    /** Just the objects. */
    public List<HasMetadata> items() {
      return objects.stream().map(SourcedObject::object).toList();
    }
  }

  /**
   * One parsed object and where it came from.
   *
   * @param source {@code file#index} (plus {@code /items[i]})
   * @param object the fabric8 object; its class is {@link ObjectKind#modelClass()}
   */
  public record SourcedObject(String source, HasMetadata object) {}

  /**
   * Reads a file, or every {@code *.yaml}/{@code *.yml}/{@code *.json} under a directory
   * (recursively, sorted by path). A file that cannot be read is reported, not thrown.
   *
   * @throws UncheckedIOException only when the directory tree itself cannot be walked
   */
  public Manifests read(Path path) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile)
            .filter(ManifestReader::isManifest)
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + path, e);
      }
    } else {
      files.add(path);
    }
    List<SourcedObject> objects = new ArrayList<>();
    List<ManifestError> errors = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        errors.add(error(file.toString(), "", "", "", "", "cannot read file: " + e.getMessage()));
        continue;
      }
      Manifests m = readString(text, file.toString());
      objects.addAll(m.objects());
      errors.addAll(m.errors());
    }
    return new Manifests(objects, errors);
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  /**
   * Reads manifest text: JSON (one object or an array) when it starts with {@code {} or {@code [},
   * else multi-document YAML.
   *
   * @param sourceName the name used in {@link SourcedObject#source()} and errors
   */
  public Manifests readString(String text, String sourceName) {
    List<SourcedObject> objects = new ArrayList<>();
    List<ManifestError> errors = new ArrayList<>();
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode node = json.readTree(text);
        if (node != null && node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            readNode(node.get(i), sourceName + "#" + i, objects, errors);
          }
        } else {
          readNode(node, sourceName + "#0", objects, errors);
        }
      } catch (JsonProcessingException e) {
        errors.add(error(sourceName + "#0", "", "", "", "", "malformed JSON: " + brief(e)));
      }
      return new Manifests(objects, errors);
    }
    int index = 0;
    for (String doc : splitYamlDocuments(text)) {
      if (isBlank(doc)) {
        continue;
      }
      String source = sourceName + "#" + index++;
      try {
        readNode(yaml.readTree(doc), source, objects, errors);
      } catch (JsonProcessingException e) {
        errors.add(error(source, "", "", "", "", "malformed YAML: " + brief(e)));
      }
    }
    return new Manifests(objects, errors);
  }

  /**
   * Parses one object from JSON text, as carried in a Kafka record value. The result holds one
   * object, or no object and one error.
   */
  public Manifests parseJson(String jsonText, String sourceName) {
    List<SourcedObject> objects = new ArrayList<>();
    List<ManifestError> errors = new ArrayList<>();
    try {
      JsonNode node = json.readTree(jsonText);
      if (node == null || !node.isObject()) {
        errors.add(error(sourceName, "", "", "", "", "expected one JSON object"));
      } else {
        readNode(node, sourceName, objects, errors);
      }
    } catch (JsonProcessingException e) {
      errors.add(error(sourceName, "", "", "", "", "malformed JSON: " + brief(e)));
    }
    return new Manifests(objects, errors);
  }

  /** Writes an object as compact JSON (the form {@link #parseJson} reads back). */
  public String toJson(HasMetadata object) {
    try {
      return json.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + object.getKind(), e);
    }
  }

  /** Writes an object as YAML, as {@code kubectl get -o yaml} would. */
  public String toYaml(HasMetadata object) {
    try {
      return yaml.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + object.getKind(), e);
    }
  }

  private void readNode(
      JsonNode node, String source, List<SourcedObject> objects, List<ManifestError> errors) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      errors.add(error(source, "", "", "", "", "expected an object, found " + node.getNodeType()));
      return;
    }
    String kind = node.path("kind").asText("");
    String namespace = node.path("metadata").path("namespace").asText("");
    String name = node.path("metadata").path("name").asText("");
    if (kind.isEmpty()) {
      errors.add(error(source, "", namespace, name, "kind", "missing"));
      return;
    }
    if (kind.endsWith("List") && node.has("items")) {
      JsonNode items = node.get("items");
      if (!items.isArray()) {
        errors.add(error(source, kind, namespace, name, "items", "expected a list"));
        return;
      }
      for (int i = 0; i < items.size(); i++) {
        readNode(items.get(i), source + "/items[" + i + "]", objects, errors);
      }
      return;
    }
    var objectKind = ObjectKind.fromApiKind(kind);
    if (objectKind.isEmpty()) {
      errors.add(
          error(
              source,
              kind,
              namespace,
              name,
              "kind",
              "kind "
                  + kind
                  + " is not part of the cluster model (Node, Namespace, Pod, Service,"
                  + " Endpoints, EndpointSlice, NetworkPolicy); ignored"));
      return;
    }
    if (name.isEmpty()) {
      errors.add(error(source, kind, namespace, "", "metadata.name", "missing"));
      return;
    }
    if (objectKind.get().namespaced() && namespace.isEmpty()) {
      namespace = "default";
      ((ObjectNode) node.get("metadata")).put("namespace", namespace);
    }
    try {
      HasMetadata object = json.treeToValue(node, objectKind.get().modelClass());
      objects.add(new SourcedObject(source, object));
    } catch (JsonMappingException e) {
      errors.add(error(source, kind, namespace, name, fieldPath(e), brief(e)));
    } catch (JsonProcessingException e) {
      errors.add(error(source, kind, namespace, name, "", brief(e)));
    }
  }

  /** Jackson's path ({@code spec.ports[0].port}) of a mapping error. */
  private static String fieldPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String brief(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int nl = m == null ? -1 : m.indexOf('\n');
    return nl < 0 ? String.valueOf(m) : m.substring(0, nl);
  }

  /**
   * Splits YAML text at document separators: a line that is {@code ---} alone or followed by
   * whitespace (the rest of that line starts the next document). A {@code ...} end marker line is
   * dropped. Splitting here, rather than streaming, keeps one malformed document from hiding the
   * documents after it.
   */
  static List<String> splitYamlDocuments(String text) {
    List<String> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      if (line.equals("---") || line.startsWith("--- ") || line.startsWith("---\t")) {
        docs.add(current.toString());
        current.setLength(0);
        String rest = line.substring(3).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          current.append(rest).append('\n');
        }
      } else if (line.equals("...")) {
        continue;
      } else {
        current.append(line).append('\n');
      }
    }
    docs.add(current.toString());
    return docs;
  }

  private static boolean isBlank(String doc) {
    for (String line : doc.split("\n")) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        return false;
      }
    }
    return true;
  }

  private static ManifestError error(
      String source, String kind, String namespace, String name, String field, String message) {
    return new ManifestError(source, kind, namespace, name, field, message, Severity.ERROR);
  }
}
