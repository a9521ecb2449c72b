package dev.sluice.southbound.channel;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Collection;
import java.util.Optional;

/** An immutable snapshot of a switch's ports, by name and by number. */
public final class SwitchPorts {
  static final SwitchPorts EMPTY = new SwitchPorts(ImmutableSortedMap.of());

  private final ImmutableSortedMap<Long, PortDescription> byNumber;
  private final ImmutableMap<String, PortDescription> byName;

  private SwitchPorts(ImmutableSortedMap<Long, PortDescription> byNumber) {
    this.byNumber = byNumber;
    ImmutableMap.Builder<String, PortDescription> names = ImmutableMap.builder();
    byNumber.values().forEach(p -> names.put(p.name(), p));
    this.byName = names.buildKeepingLast();
  }

  static SwitchPorts of(Collection<PortDescription> ports) {
    java.util.TreeMap<Long, PortDescription> m = new java.util.TreeMap<>();
    ports.forEach(p -> m.put(p.number(), p));
    return new SwitchPorts(ImmutableSortedMap.copyOfSorted(m));
  }

  SwitchPorts with(PortStatus status) {
    ImmutableSortedMap.Builder<Long, PortDescription> b = ImmutableSortedMap.naturalOrder();
    byNumber.forEach(
        (number, port) -> {
          // A renumbered or renamed port replaces its old entry.
          if (number != status.port().number() && !port.name().equals(status.port().name())) {
            b.put(number, port);
          }
        });
    if (status.reason() != PortStatus.Reason.DELETE) {
      b.put(status.port().number(), status.port());
    }
    return new SwitchPorts(b.buildOrThrow());
  }

  /** Port name → OpenFlow port number. */
  public ImmutableMap<String, Long> numbers() {
    return ImmutableMap.copyOf(
        byName.entrySet().stream()
            .collect(ImmutableMap.toImmutableMap(e -> e.getKey(), e -> e.getValue().number())));
  }

  /** Port number → description, in port-number order. */
  public ImmutableSortedMap<Long, PortDescription> byNumber() {
    return byNumber;
  }

  public Optional<PortDescription> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<PortDescription> byNumber(long number) {
    return Optional.ofNullable(byNumber.get(number));
  }

  public int size() {
    return byNumber.size();
  }

  @Override
  public String toString() {
    return numbers().toString();
  }
}
