package dev.sluice.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConjIdAllocatorTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void incrementalIdsEqualColdIdsUnderHeavyCollisions(long seed) {
    Random rnd = new Random(seed);
    // 23 cells, 5 home values: long probing runs that wrap around.
    ConjIdAllocator inc = new ConjIdAllocator(23, k -> k.hashCode() % 5 + 20);
    Set<String> keys = new TreeSet<>();
    for (int step = 0; step < 400; step++) {
      String k = "k" + rnd.nextInt(30);
      if (keys.contains(k)) {
        Set<String> moved = inc.remove(k);
        keys.remove(k);
        assertThat(moved).doesNotContain(k);
      } else if (keys.size() < 23) {
        Set<String> before = new TreeSet<>(keys);
        var old = inc.ids();
        Set<String> moved = inc.add(k);
        keys.add(k);
        assertThat(moved).contains(k);
        for (String o : before) {
          if (!moved.contains(o)) {
            assertThat(inc.id(o)).isEqualTo(old.get(o));
          }
        }
      }
      ConjIdAllocator cold = new ConjIdAllocator(23, x -> x.hashCode() % 5 + 20);
      cold.addAll(keys);
      assertThat(inc.ids()).as("step %d", step).isEqualTo(cold.ids());
      assertThat(new TreeSet<>(inc.ids().values())).hasSize(keys.size());
    }
  }

  @Test
  void idsAreStableHashesWithoutCollisions() {
    ConjIdAllocator a = new ConjIdAllocator();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("ns/pol" + i + "/ingress/0/");
    }
    a.addAll(keys);
    ConjIdAllocator b = new ConjIdAllocator();
    b.add("ns/pol7/ingress/0/");
    assertThat(b.id("ns/pol7/ingress/0/")).isEqualTo(a.id("ns/pol7/ingress/0/"));
    assertThat(a.ids().values()).allMatch(id -> id >= 1 && id <= ConjIdAllocator.DEFAULT_SPACE);
  }
}
