/**
 * OpenFlow 1.3 wire basics shared by the channel and the codecs: the length-field frame decoder,
 * header helpers, message-type and error-code constants, and the ONF bundle extension layout. Knows
 * nothing about flows: it moves whole OpenFlow messages as bytes.
 */
package dev.sluice.southbound.wire;
