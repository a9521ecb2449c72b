package dev.sluice.compiler.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Kubernetes label selector ({@code metav1.LabelSelector}): {@code matchLabels} and {@code
 * matchExpressions} are ANDed. The empty selector {@code {}} matches every object; "no selector at
 * all" is represented by the absence of a {@code LabelSelector} (an {@code Optional} or a missing
 * peer field), never by a special instance.
 *
 * @param matchLabels key = value requirements, sorted by key
 * @param matchExpressions set-based requirements, in manifest order
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  private static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  /** Copies into immutable collections; {@code matchLabels} are kept sorted by key. */
  public LabelSelector {
    matchLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(matchLabels));
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** The empty selector, which matches every label set. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** A selector with only {@code matchLabels}. */
  public static LabelSelector of(Map<String, String> matchLabels) {
    return new LabelSelector(matchLabels, List.of());
  }

  /** Whether this is the empty selector {@code {}} (matches everything). */
  public boolean selectsEverything() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** Whether {@code labels} satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** {@code kubectl}-style text: {@code role=backend,tier in (a,b)}; {@code <all>} when empty. */
  @Override
  public String toString() {
    if (selectsEverything()) {
      return "<all>";
    }
    StringBuilder sb = new StringBuilder();
    matchLabels.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    for (Requirement r : matchExpressions) {
      sb.append(sb.length() == 0 ? "" : ",").append(r);
    }
    return sb.toString();
  }

  /** The set-based operators of {@code matchExpressions}, with their upstream semantics. */
  public enum Operator {
    /** The key is present and its value is one of the values. */
    IN("In") {
      @Override
      boolean test(String value, Set<String> values) {
        return value != null && values.contains(value);
      }
    },
    /** The key is absent, or its value is none of the values. */
    NOT_IN("NotIn") {
      @Override
      boolean test(String value, Set<String> values) {
        return value == null || !values.contains(value);
      }
    },
    /** The key is present (any value). */
    EXISTS("Exists") {
      @Override
      boolean test(String value, Set<String> values) {
        return value != null;
      }
    },
    /** The key is absent. */
    DOES_NOT_EXIST("DoesNotExist") {
      @Override
      boolean test(String value, Set<String> values) {
        return value == null;
      }
    };

    private final String apiName;

    Operator(String apiName) {
      this.apiName = apiName;
    }

    abstract boolean test(String value, Set<String> values);

    /**
     * Whether the operator takes a value list (In, NotIn) or forbids one (Exists, DoesNotExist).
     */
    public boolean takesValues() {
      return this == IN || this == NOT_IN;
    }

    /** The name as written in manifests ({@code NotIn}). */
    public String apiName() {
      return apiName;
    }

    /**
     * Parses the manifest name; exact case as upstream.
     *
     * @throws IllegalArgumentException for an unknown operator, listing the valid ones
     */
    public static Operator parse(String name) {
      for (Operator op : values()) {
        if (op.apiName.equals(name)) {
          return op;
        }
      }
      throw new IllegalArgumentException(
          "unknown operator '" + name + "' (expected In, NotIn, Exists or DoesNotExist)");
    }
  }

  /**
   * One {@code matchExpressions} entry. As upstream validates: In and NotIn need at least one
   * value, Exists and DoesNotExist must have none.
   *
   * @param key the label key
   * @param operator the operator
   * @param values the values, sorted and de-duplicated
   */
  public record Requirement(String key, Operator operator, Set<String> values) {

    /** Validates the key and the operator/values combination. */
    public Requirement {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("key is missing");
      }
      if (operator == null) {
        throw new IllegalArgumentException("operator is missing");
      }
      values = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
      if (operator.takesValues() && values.isEmpty()) {
        throw new IllegalArgumentException(
            "operator " + operator.apiName() + " needs at least one value");
      }
      if (!operator.takesValues() && !values.isEmpty()) {
        throw new IllegalArgumentException(
            "operator " + operator.apiName() + " must not have values");
      }
    }

    /** Whether {@code labels} satisfy this requirement. */
    public boolean matches(Map<String, String> labels) {
      return operator.test(labels.get(key), values);
    }

    @Override
    public String toString() {
      switch (operator) {
        case EXISTS:
          return key;
        case DOES_NOT_EXIST:
          return "!" + key;
        case IN:
          return key + " in (" + String.join(",", values) + ")";
        default:
          return key + " notin (" + String.join(",", values) + ")";
      }
    }
  }
}
