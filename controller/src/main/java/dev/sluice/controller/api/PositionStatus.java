package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One asked {@code topic-partition@offset}: either where it is realized, or why it could not be
 * read. The two are told apart by their fields (an error has {@code error}), as the server writes
 * no type name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
  @JsonSubTypes.Type(PositionRealization.class),
  @JsonSubTypes.Type(PositionError.class)
})
public sealed interface PositionStatus permits PositionRealization, PositionError {
  /** The position as asked. */
  String position();

  /** Whether it is consumed and realized on every affected node with a switch. */
  boolean realized();

  /** Whether the controller consumed it. */
  boolean consumed();
}
