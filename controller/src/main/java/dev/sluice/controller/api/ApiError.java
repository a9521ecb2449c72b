package dev.sluice.controller.api;

/**
 * The body of every answer that is not 200 ({@code {"error": "..."}}); the HTTP status says which
 * kind of failure it is (400 bad request, 404 no such object or endpoint, 405 wrong method, 500 a
 * failure inside the controller).
 *
 * @param error what went wrong, for people
 */
public record ApiError(String error) {}
