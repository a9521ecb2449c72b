package dev.sluice.compiler.flow;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Port name ⇄ number translation for flow text, as {@code ovs-ofctl} does with the switch's port
 * description. {@link #NONE} prints numbers and refuses names.
 */
public interface PortNames {
  PortNames NONE =
      new PortNames() {
        @Override
        public OptionalLong number(String name) {
          return OptionalLong.empty();
        }

        @Override
        public @Nullable String name(long number) {
          return null;
        }
      };

  OptionalLong number(String name);

  @Nullable String name(long number);

  /** A fixed map, e.g. from {@code ovs-vsctl -f csv --columns=name,ofport list Interface}. */
  static PortNames of(Map<String, Long> byName) {
    Map<String, Long> names = Map.copyOf(byName);
    Map<Long, String> numbers = new HashMap<>();
    names.forEach((n, p) -> numbers.put(p, n));
    return new PortNames() {
      @Override
      public OptionalLong number(String name) {
        Long p = names.get(name);
        return p == null ? OptionalLong.empty() : OptionalLong.of(p);
      }

      @Override
      public @Nullable String name(long number) {
        return numbers.get(number);
      }
    };
  }
}
