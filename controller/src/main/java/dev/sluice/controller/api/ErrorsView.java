package dev.sluice.controller.api;

import java.util.List;

/**
 * The recent errors, oldest first ({@code GET /api/v1/errors}).
 *
 * @param errors the errors kept
 */
public record ErrorsView(List<ControllerError> errors) {
  /** Copies the list. */
  public ErrorsView {
    errors = List.copyOf(errors);
  }
}
