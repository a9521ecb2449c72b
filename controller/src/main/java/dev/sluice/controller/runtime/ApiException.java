package dev.sluice.controller.runtime;

/**
 * Every failure of an API request, with the HTTP status it is answered with; {@link ApiServer}
 * writes it as {@code {"error": message}} and logs it.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
  }

  /** 400: the request is wrong (a bad parameter or body). */
  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** 404: no such endpoint, node or switch. */
  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  /** The HTTP status. */
  int status() {
    return status;
  }
}
