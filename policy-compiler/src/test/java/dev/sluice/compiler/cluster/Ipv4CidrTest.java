package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4CidrTest {

  @Test
  void parsesAndPrintsAddressesAndPrefixes() {
    assertThat(Ipv4.parse("10.222.1.48").bits()).isEqualTo(0x0ade0130);
    assertThat(Ipv4.parse("255.255.255.255").toLong()).isEqualTo(0xffffffffL);
    assertThat(Ipv4.parse("10.79.1.202")).hasToString("10.79.1.202");
    assertThat(Ipv4.parse("10.79.1.202").toLong()).isEqualTo(0xa4f01caL); // seed's tun_dst load
    assertThat(Ipv4Cidr.parse("10.96.0.0/12").last()).isEqualTo(Ipv4.parse("10.111.255.255"));
    assertThat(Ipv4Cidr.parse("0.0.0.0/0").size()).isEqualTo(1L << 32);
    assertThat(Ipv4Cidr.parse("10.222.1.77/24")).hasToString("10.222.1.0/24"); // like net.ParseCIDR
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0",
        "10.0.0.0.0",
        "10.0.0.256",
        "010.0.0.1",
        "10.0.0.-1",
        "a.b.c.d",
        "10..0.1",
        " 10.0.0.1"
      })
  void rejectsMalformedAddresses(String text) {
    assertThatThrownBy(() -> Ipv4.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/08",
        "10.0.0/8",
        "10.0.0.0/-1",
        "10.0.0.0/8/8",
        "fd00::/64"
      })
  void rejectsMalformedCidrs(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructorRefusesHostBits() {
    assertThatThrownBy(() -> new Ipv4Cidr(Ipv4.parse("10.0.0.1"), 24))
        .hasMessageContaining("host bits set in 10.0.0.1/24");
  }

  @Test
  void containment() {
    Ipv4Cidr net = Ipv4Cidr.parse("10.222.1.0/24");
    assertThat(net.contains(Ipv4.parse("10.222.1.255"))).isTrue();
    assertThat(net.contains(Ipv4.parse("10.222.2.0"))).isFalse();
    assertThat(net.contains(Ipv4Cidr.parse("10.222.1.128/25"))).isTrue();
    assertThat(net.contains(net)).isTrue();
    assertThat(net.contains(Ipv4Cidr.parse("10.222.0.0/16"))).isFalse();
    assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("255.1.2.3"))).isTrue();
  }

  @Test
  void subtractsExceptsIntoTheMinimalSortedCover() {
    assertThat(Ipv4Cidr.parse("172.17.0.0/16").subtract(Ipv4Cidr.parse("172.17.1.0/24")))
        .extracting(Object::toString)
        .containsExactly(
            "172.17.0.0/24",
            "172.17.2.0/23",
            "172.17.4.0/22",
            "172.17.8.0/21",
            "172.17.16.0/20",
            "172.17.32.0/19",
            "172.17.64.0/18",
            "172.17.128.0/17");
    assertThat(Ipv4Cidr.parse("10.0.0.0/8").subtract(Ipv4Cidr.parse("10.0.0.0/8"))).isEmpty();
    assertThat(Ipv4Cidr.parse("10.0.0.0/8").subtract(Ipv4Cidr.parse("0.0.0.0/0"))).isEmpty();
    assertThat(Ipv4Cidr.parse("10.0.0.0/8").subtract(Ipv4Cidr.parse("11.0.0.0/8")))
        .containsExactly(Ipv4Cidr.parse("10.0.0.0/8"));
    assertThat(Ipv4Cidr.parse("0.0.0.0/0").subtract(Ipv4Cidr.parse("128.0.0.0/1")))
        .containsExactly(Ipv4Cidr.parse("0.0.0.0/1"));
    assertThat(Ipv4Cidr.parse("10.0.0.0/8").subtract())
        .containsExactly(Ipv4Cidr.parse("10.0.0.0/8"));
  }

  static Stream<Long> seeds() {
    return LongStream.rangeClosed(1, 200).boxed();
  }

  /**
   * Property: over a /20 universe (4096 addresses), subtract() covers exactly cidr \ excepts, and
   * equals the greedy decomposition into maximal aligned blocks, which is the unique minimal one.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void subtractMatchesBruteForce(long seed) {
    Random rnd = new Random(seed);
    int base = 0x0a000000 | (rnd.nextInt(16) << 12); // 10.0.x.0/20 somewhere
    Ipv4Cidr cidr = randomBlock(rnd, base, 20);
    List<Ipv4Cidr> excepts = new ArrayList<>();
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      excepts.add(randomBlock(rnd, base, 20));
    }

    List<Ipv4Cidr> actual = cidr.subtract(excepts);

    BitSet expectedSet = new BitSet(4096);
    for (int a = 0; a < 4096; a++) {
      Ipv4 ip = new Ipv4(base + a);
      if (cidr.contains(ip) && excepts.stream().noneMatch(e -> e.contains(ip))) {
        expectedSet.set(a);
      }
    }
    assertThat(actual).isSorted();
    assertThat(actual).isEqualTo(greedyCover(expectedSet, base));
    BitSet actualSet = new BitSet(4096);
    for (Ipv4Cidr c : actual) {
      long start = c.network().toLong() - Integer.toUnsignedLong(base);
      actualSet.set((int) start, (int) (start + c.size()));
    }
    assertThat(actualSet).isEqualTo(expectedSet);
  }

  private static Ipv4Cidr randomBlock(Random rnd, int base, int universePrefix) {
    int prefix = universePrefix + rnd.nextInt(33 - universePrefix);
    int offset = rnd.nextInt(1 << (32 - universePrefix));
    return new Ipv4Cidr(new Ipv4((base + offset) & Ipv4Cidr.mask(prefix)), prefix);
  }

  /** From the lowest member up, take the largest aligned block entirely in the set. */
  private static List<Ipv4Cidr> greedyCover(BitSet set, int base) {
    List<Ipv4Cidr> out = new ArrayList<>();
    int a = set.nextSetBit(0);
    while (a >= 0) {
      int size = 1;
      while (true) {
        int next = size * 2;
        int from = a;
        if (a % next != 0
            || a + next > 4096
            || IntStream.range(from, a + next).anyMatch(i -> !set.get(i))) {
          break;
        }
        size = next;
      }
      out.add(new Ipv4Cidr(new Ipv4(base + a), 32 - Integer.numberOfTrailingZeros(size)));
      a = set.nextSetBit(a + size);
    }
    return out;
  }

  @Test
  void macAddressesParsePrintAndDerive() {
    MacAddress gw = MacAddress.parse("4E:99:08:C1:53:BE");
    assertThat(gw).hasToString("4e:99:08:c1:53:be");
    assertThat(gw.bits()).isEqualTo(0x4e9908c153beL); // the seed's load:0x4e9908c153be
    assertThat(MacAddress.parse("02:d8:4e:3f:92:1d").bits()).isEqualTo(0x2d84e3f921dL);
    MacAddress derived = MacAddress.derivedFrom(Ipv4.parse("10.222.1.48"));
    assertThat(derived).hasToString("0a:58:0a:de:01:30");
    assertThat(derived.isLocallyAdministered()).isTrue();
    assertThat(derived.isMulticast()).isFalse();
    assertThatThrownBy(() -> MacAddress.parse("4e:99:08:c1:53"))
        .hasMessageContaining("'4e:99:08:c1:53'");
    assertThatThrownBy(() -> MacAddress.parse("4e:99:08:c1:53:bg"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
