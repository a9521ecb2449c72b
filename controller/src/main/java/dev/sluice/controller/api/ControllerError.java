package dev.sluice.controller.api;

/**
 * One recent error of the controller ({@code GET /api/v1/errors}).
 *
 * @param time when, ISO-8601
 * @param kind {@code rejected} (an event the compiler refused), {@code switch} (a switch rejected a
 *     message or failed a round), ...
 * @param message what happened
 */
public record ControllerError(String time, String kind, String message) {}
