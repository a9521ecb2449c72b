/**
 * The HTTP API's wire types: one record per answer of {@code /api/v1/...}, shared by the server
 * ({@code dev.sluice.controller.runtime.ApiServer} writes them) and the CLI's client ({@code sluice
 * status}, {@code flows}, {@code audit}, {@code trace}, {@code policy why}, {@code apply --wait}
 * read them), both through {@link dev.sluice.controller.api.ApiJson}.
 *
 * <p>The contract is strict in both directions: a field the reader does not know, or a field it
 * needs that is missing, is an error, so a renamed field fails loudly instead of reading as 0 or
 * false. A component annotated {@code @JsonInclude(NON_NULL)} is the only kind that may be absent:
 * the server leaves it out when it is null, and the reader accepts it missing.
 *
 * <p>The field names are the API: the lab scripts under {@code deploy/} and the integration tests
 * read them, so renaming a component is a breaking change of {@code /api/v1}.
 */
@NullMarked
package dev.sluice.controller.api;

import org.jspecify.annotations.NullMarked;
