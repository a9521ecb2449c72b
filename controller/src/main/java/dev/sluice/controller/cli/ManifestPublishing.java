package dev.sluice.controller.cli;

import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.controller.events.Publisher;
import dev.sluice.controller.events.TopicNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;

/** What {@code apply} and {@code delete} do: read manifests, publish, print one line per object. */
final class ManifestPublishing {
  /** Exit code when some documents could not be read (the others were published). */
  static final int EXIT_BAD_MANIFEST = 1;

  /** Exit code when publishing failed. */
  static final int EXIT_PUBLISH_FAILED = 2;

  private ManifestPublishing() {}

  static int run(PublishOptions o, boolean delete, PrintWriter out, PrintWriter err) {
    return run(o, delete, out, err, p -> {});
  }

  /**
   * Like {@link #run(PublishOptions, boolean, PrintWriter, PrintWriter)}, handing over what was
   * published.
   */
  static int run(
      PublishOptions o,
      boolean delete,
      PrintWriter out,
      PrintWriter err,
      java.util.function.Consumer<List<Publisher.Published>> onPublished) {
    ManifestReader reader = new ManifestReader();
    List<HasMetadata> objects = new ArrayList<>();
    List<ManifestError> errors = new ArrayList<>();
    for (Path p : o.files) {
      ManifestReader.Manifests m = reader.read(p);
      objects.addAll(m.items());
      errors.addAll(m.errors());
    }
    for (ManifestError e : errors) {
      err.println("error: " + e);
    }
    if (objects.isEmpty()) {
      err.println("error: no objects to " + (delete ? "delete" : "publish"));
      err.flush();
      return EXIT_BAD_MANIFEST;
    }
    try (Publisher publisher =
        new Publisher(o.bootstrap, TopicNames.withPrefix(o.topicPrefix), o.timeout, Map.of())) {
      List<Publisher.Published> published =
          delete
              ? publisher.deleteAll(objects.stream().map(ObjectKey::of).toList())
              : publisher.applyAll(objects);
      for (Publisher.Published p : published) {
        out.println(p.describe());
      }
      onPublished.accept(published);
    } catch (KafkaException e) {
      out.flush();
      err.println("error: publishing to " + o.bootstrap + " failed: " + Errors.describe(e));
      err.flush();
      return EXIT_PUBLISH_FAILED;
    }
    out.flush();
    err.flush();
    return errors.isEmpty() ? 0 : EXIT_BAD_MANIFEST;
  }
}
