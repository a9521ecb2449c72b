package dev.sluice.controller.api;

/**
 * A position the server could not read.
 *
 * @param position the position as asked
 * @param error what is wrong with it
 */
public record PositionError(String position, String error) implements PositionStatus {
  @Override
  public boolean realized() {
    return false;
  }

  @Override
  public boolean consumed() {
    return false;
  }
}
