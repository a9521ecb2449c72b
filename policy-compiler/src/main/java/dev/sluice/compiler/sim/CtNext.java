package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.CtState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The conntrack states recirculated packets get, one per recirculation in the order they happen,
 * like repeated {@code ofproto/trace --ct-next FLAGS} options. When the list is exhausted every
 * further recirculation gets {@code trk|new}, OVS's default ("resume conntrack with default
 * ct_state=trk|new").
 */
public record CtNext(List<Long> states) {
  /** OVS's default for a recirculation without a {@code --ct-next} entry. */
  public static final long DEFAULT_STATE = CtState.TRK | CtState.NEW;

  /** No entries: every recirculation is {@code trk|new}. */
  public static final CtNext DEFAULT = new CtNext(List.of());

  public CtNext {
    states = List.copyOf(states);
  }

  /**
   * One entry per argument, each as {@code --ct-next} takes it: {@code trk,new}, {@code trk|est},
   * {@code +trk+est} or a number.
   */
  public static CtNext of(String... entries) {
    List<Long> s = new ArrayList<>();
    Arrays.stream(entries).forEach(e -> s.add(Microflow.parseCtState(e)));
    return new CtNext(s);
  }

  /** The state for the {@code n}th recirculation (0-based). */
  public long state(int n) {
    return n < states.size() ? states.get(n) : DEFAULT_STATE;
  }

  /** Whether the {@code n}th recirculation falls back to the default. */
  public boolean isDefault(int n) {
    return n >= states.size();
  }
}
