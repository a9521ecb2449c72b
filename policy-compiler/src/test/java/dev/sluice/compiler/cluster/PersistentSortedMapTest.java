package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PersistentSortedMapTest {

  @Test
  void randomOperationsMatchTreeMapAndOldVersionsStayUnchanged() {
    Random rnd = new Random(42);
    PersistentSortedMap<Integer, String> m = PersistentSortedMap.empty();
    TreeMap<Integer, String> ref = new TreeMap<>();
    List<PersistentSortedMap<Integer, String>> versions = new ArrayList<>();
    List<TreeMap<Integer, String>> refs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int k = rnd.nextInt(2_000);
      if (rnd.nextInt(3) == 0) {
        m = m.minus(k);
        ref.remove(k);
      } else {
        String v = "v" + rnd.nextInt(5);
        m = m.plus(k, v);
        ref.put(k, v);
      }
      if (i % 997 == 0) {
        versions.add(m);
        refs.add(new TreeMap<>(ref));
      }
      if (i % 101 == 0) {
        assertThat(m.size()).isEqualTo(ref.size());
        assertThat(m.get(k)).isEqualTo(ref.get(k));
        assertThat(m.containsKey(k)).isEqualTo(ref.containsKey(k));
      }
    }
    assertThat(new ArrayList<>(m.entrySet())).isEqualTo(new ArrayList<>(ref.entrySet()));
    assertThat(m).isEqualTo(ref);
    assertThat(m.hashCode()).isEqualTo(ref.hashCode());
    for (int i = 0; i < versions.size(); i++) {
      assertThat(new ArrayList<>(versions.get(i).keySet()))
          .isEqualTo(new ArrayList<>(refs.get(i).keySet()));
      assertThat(versions.get(i)).isEqualTo(refs.get(i));
    }
  }

  @Test
  void unchangedReturnsSameInstanceAndViewsAreReadOnly() {
    PersistentSortedMap<String, String> m =
        PersistentSortedMap.<String, String>empty().plus("a", "1");
    assertThat(m.minus("b")).isSameAs(m);
    assertThat(m.plus("a", m.get("a"))).isSameAs(m);
    assertThat(m.get(42)).isNull();
    assertThatThrownBy(() -> m.put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.values().clear()).isInstanceOf(UnsupportedOperationException.class);
    Map.Entry<String, String> e = m.entrySet().iterator().next();
    assertThatThrownBy(() -> e.setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
