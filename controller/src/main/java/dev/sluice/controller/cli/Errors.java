package dev.sluice.controller.cli;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Error text for people: the innermost meaningful message, never "null". */
final class Errors {
  private Errors() {}

  static String describe(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
      return "cannot connect (is `sluice controller` running, and is --api its API address?)";
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      Throwable c = t.getCause();
      return c != null && c != t ? describe(c) : t.getClass().getSimpleName();
    }
    return m;
  }
}
