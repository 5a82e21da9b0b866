package dev.perennial.starter.ops;

import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client proves itself to Temporal and checks the server: TLS, mutual TLS with a client
 * certificate, and an API key (Temporal Cloud, or a server with an authorizer). Read from the
 * environment:
 *
 * <ul>
 *   <li>{@code PERENNIAL_TEMPORAL_TLS=true}: TLS, the server checked against the JVM's trusted
 *       certificates, or against {@code PERENNIAL_TEMPORAL_TLS_CA} (a PEM file) when set;
 *   <li>{@code PERENNIAL_TEMPORAL_TLS_CERT} and {@code PERENNIAL_TEMPORAL_TLS_KEY}: PEM client
 *       certificate and its PKCS#8 key, for mutual TLS (both or neither; they imply TLS);
 *   <li>{@code PERENNIAL_TEMPORAL_API_KEY}: sent as a bearer token on every call (implies TLS).
 * </ul>
 *
 * With none of them set the connection is plain, as the local dev server expects.
 *
 * @param tls whether to use TLS
 * @param clientCert client certificate (PEM), null without mutual TLS
 * @param clientKey its key (PKCS#8 PEM), null without mutual TLS
 * @param ca trusted server certificate(s) (PEM), null for the JVM's
 * @param apiKey the API key, null for none (never printed)
 */
public record TemporalAccess(boolean tls, Path clientCert, Path clientKey, Path ca, String apiKey) {
  public static final String TLS = "PERENNIAL_TEMPORAL_TLS";
  public static final String TLS_CERT = "PERENNIAL_TEMPORAL_TLS_CERT";
  public static final String TLS_KEY = "PERENNIAL_TEMPORAL_TLS_KEY";
  public static final String TLS_CA = "PERENNIAL_TEMPORAL_TLS_CA";
  public static final String API_KEY = "PERENNIAL_TEMPORAL_API_KEY";

  /** No TLS, no key: the local dev server. */
  public static final TemporalAccess PLAIN = new TemporalAccess(false, null, null, null, null);

  @Override
  public String toString() {
    return "TemporalAccess[tls="
        + tls
        + ", clientCert="
        + clientCert
        + ", ca="
        + ca
        + ", apiKey="
        + (apiKey == null ? "none" : "set")
        + "]";
  }

  /**
   * The access these variables ask for.
   *
   * @throws IllegalArgumentException naming the variable when a value is not usable
   */
  public static TemporalAccess from(Map<String, String> env) {
    String cert = value(env, TLS_CERT);
    String key = value(env, TLS_KEY);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "mutual TLS needs both "
              + TLS_CERT
              + " and "
              + TLS_KEY
              + "; only "
              + (cert == null ? TLS_KEY : TLS_CERT)
              + " is set");
    }
    String tlsFlag = value(env, TLS);
    if (tlsFlag != null
        && !tlsFlag.equalsIgnoreCase("true")
        && !tlsFlag.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(TLS + " must be true or false, not '" + tlsFlag + "'");
    }
    String ca = value(env, TLS_CA);
    String apiKey = value(env, API_KEY);
    boolean tls = "true".equalsIgnoreCase(tlsFlag) || cert != null || ca != null || apiKey != null;
    return new TemporalAccess(tls, path(cert), path(key), path(ca), apiKey);
  }

  /** Sets TLS and the API key on {@code options}; leaves them alone for {@link #PLAIN}. */
  public WorkflowServiceStubsOptions.Builder applyTo(WorkflowServiceStubsOptions.Builder options) {
    if (tls) {
      options.setSslContext(sslContext());
    }
    if (apiKey != null) {
      options.addApiKey(() -> apiKey);
    }
    return options;
  }

  private io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext() {
    try {
      SimpleSslContextBuilder builder;
      if (clientCert != null) {
        try (InputStream c = open(clientCert, TLS_CERT);
            InputStream k = open(clientKey, TLS_KEY)) {
          builder = SimpleSslContextBuilder.forPKCS8(c, k);
        }
      } else {
        builder = SimpleSslContextBuilder.noKeyOrCertChain();
      }
      if (ca != null) {
        builder.setTrustManager(trustManagers(ca).getTrustManagers()[0]);
      }
      return builder.build();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS to Temporal from "
              + (clientCert != null ? TLS_CERT + "/" + TLS_KEY : TLS)
              + (ca != null ? " and " + TLS_CA : "")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static TrustManagerFactory trustManagers(Path pem)
      throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = open(pem, TLS_CA)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(TLS_CA + " " + pem + " holds no PEM certificate");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate c : certs) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /**
   * The file's bytes as a stream. Read at once: the SSL context builder reads its streams only when
   * it builds, after a try-with-resources here would have closed a file stream.
   */
  private static InputStream open(Path file, String variable) throws IOException {
    try {
      return new ByteArrayInputStream(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(variable + " names " + file + ", which does not exist");
    }
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }
}
