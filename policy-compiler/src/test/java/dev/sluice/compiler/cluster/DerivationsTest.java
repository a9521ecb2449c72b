package dev.sluice.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DerivationsTest {

  @ParameterizedTest
  @CsvSource({
    // namespace, name, expected: prefix = first 8 chars without leading '-', hash = sha1(ns/name)
    "default, frontend, frontend-d52251",
    "default, backend1, backend1-aee986",
    "default, backend2, backend2-3f87a4",
    "kube-system, coredns, coredns-0ab325",
    "kube-system, antrea-octant, antrea-o-ab8f99",
  })
  void interfaceNameIsPrefixDashSha1OfNamespaceSlashName(String ns, String name, String expected) {
    assertThat(Derivations.interfaceName(ns, name)).isEqualTo(expected);
  }

  @Test
  void interfaceNameKeepsAntreasShapeButNotItsHash() {
    // The seed's names come from Antrea's own key (container based): same shape, other hash.
    assertThat(Derivations.interfaceName("default", "frontend")).isNotEqualTo("frontend-a3ba2f");
    String coredns = Derivations.interfaceName("kube-system", "coredns-f9fd979d6-7m2xq");
    assertThat(coredns).startsWith("coredns--").hasSize(15); // 8 + '-' + 6, like coredns--3e3abf
    assertThat(coredns.substring(9))
        .isEqualTo(Derivations.sha1Hex("kube-system/coredns-f9fd979d6-7m2xq").substring(0, 6));
  }

  @Test
  void leadingDashesOfTheTruncatedPrefixAreRemoved() {
    assertThat(Derivations.interfaceName("ns", "--abcdefghij")).matches("abcdef-[0-9a-f]{6}");
    assertThat(Derivations.interfaceName("ns", "a")).matches("a-[0-9a-f]{6}");
    assertThat(Derivations.interfaceName("ns", "exactly8")).matches("exactly8-[0-9a-f]{6}");
  }

  @Test
  void macsAndGatewayAreDerivedFromAddresses() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("10.222.0.0/24");
    assertThat(Derivations.gatewayIp(cidr)).hasToString("10.222.0.1");
    assertThat(Derivations.gatewayMac(cidr)).hasToString("0a:58:0a:de:00:01");
    assertThat(Derivations.podMac(Ipv4.parse("10.222.2.34"))).hasToString("0a:58:0a:de:02:22");
  }
}
