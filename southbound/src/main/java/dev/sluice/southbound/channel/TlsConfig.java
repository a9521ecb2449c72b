package dev.sluice.southbound.channel;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS for the OpenFlow listener, from PEM files (as {@code ovs-pki} makes them).
 *
 * @param certificateChain the controller's certificate chain (PEM)
 * @param privateKey the controller's PKCS#8 private key (PEM)
 * @param trustedSwitchCa if present, switches must present a certificate signed by this CA (PEM);
 *     OVS always sends one in {@code ssl:} mode
 */
public record TlsConfig(Path certificateChain, Path privateKey, Optional<Path> trustedSwitchCa) {
  public TlsConfig {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedSwitchCa, "trustedSwitchCa");
  }

  /** Builds the server-side Netty context; fails with a clear message on unreadable files. */
  public SslContext toSslContext() {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile());
      if (trustedSwitchCa.isPresent()) {
        b.trustManager(trustedSwitchCa.get().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot load TLS certificate "
              + certificateChain
              + " / key "
              + privateKey
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
