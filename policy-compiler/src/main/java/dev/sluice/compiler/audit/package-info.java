/**
 * Flow auditing: what a switch holds compared with what it should hold, each difference classified
 * (missing, extraneous, modified) and explained by the object and rule that produced the flow.
 * Pure: the controller reads the switch and decides whether to repair.
 */
@NullMarked
package dev.sluice.compiler.audit;

import org.jspecify.annotations.NullMarked;
