package dev.sluice.controller.cli;

import picocli.CommandLine.Option;

/** The options of commands that talk to a running controller through its HTTP API. */
final class ApiOptions {
  /** The controller's default API address ({@code api.listen} of the default configuration). */
  static final String DEFAULT_API = "127.0.0.1:8181";

  @Option(
      names = "--api",
      defaultValue = DEFAULT_API,
      paramLabel = "HOST:PORT",
      description = "The controller's API address (default ${DEFAULT-VALUE}).")
  String api = DEFAULT_API;

  @Option(names = "--json", description = "Print the API's JSON answer (for machines).")
  boolean json;

  ApiClient client() {
    return new ApiClient(api);
  }
}
