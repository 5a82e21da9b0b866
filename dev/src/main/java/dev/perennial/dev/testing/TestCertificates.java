package dev.perennial.dev.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A private certificate authority and certificates it signed, for tests of TLS and mutual TLS: made
 * with the JDK's {@code keytool} (no other tool or library), valid for two days, EC P-256. Each
 * party's files sit in the directory given: {@code NAME.p12} (key and chain, password {@link
 * #PASSWORD}), {@code NAME.pem} (its certificate chain, PEM) and {@code NAME.key} (its PKCS#8 key,
 * PEM); the authority's certificate is {@code ca.pem}.
 */
public final class TestCertificates {
  /** The password of every PKCS#12 file made here. */
  public static final String PASSWORD = "changeit";

  private final Path dir;
  private final String keytool;

  private TestCertificates(Path dir, String keytool) {
    this.dir = dir;
    this.keytool = keytool;
  }

  /** A new authority named {@code authority} in {@code dir}. */
  public static TestCertificates authority(Path dir, String authority) {
    TestCertificates ca =
        new TestCertificates(
            dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    ca.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + authority,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        ca.p12("ca").toString(),
        "-storepass",
        PASSWORD);
    ca.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.p12("ca").toString(),
        "-storepass",
        PASSWORD,
        "-file",
        ca.caPem().toString());
    return ca;
  }

  /** The authority's certificate, PEM: what a party that trusts it is given. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by this authority. */
  public Path server(String name) {
    return issue(name, "serverAuth", "san=ip:127.0.0.1,dns:localhost");
  }

  /** A client certificate with common name {@code name}, signed by this authority. */
  public Path client(String name) {
    return issue(name, "clientAuth", null);
  }

  /** The PKCS#12 file of {@code name} (key and chain). */
  public Path p12(String name) {
    return dir.resolve(name + ".p12");
  }

  /** The certificate chain of {@code name}, PEM, its own certificate first. */
  public Path pem(String name) {
    return dir.resolve(name + ".pem");
  }

  /** The private key of {@code name}, PKCS#8 PEM. */
  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /** {@code name}'s key store, loaded. */
  public KeyStore keyStore(String name) {
    try (InputStream in = Files.newInputStream(p12(name))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key store trusting just this authority. */
  public KeyStore trustStore() {
    try (InputStream in = Files.newInputStream(caPem())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path issue(String name, String usage, String san) {
    String store = p12(name).toString();
    Path csr = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + ".cer");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store,
        "-storepass",
        PASSWORD);
    keytool(
        "-certreq",
        "-alias",
        name,
        "-keystore",
        store,
        "-storepass",
        PASSWORD,
        "-file",
        csr.toString());
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                p12("ca").toString(),
                "-storepass",
                PASSWORD,
                "-infile",
                csr.toString(),
                "-outfile",
                signed.toString(),
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "eku=" + usage,
                "-ext",
                "ku=digitalSignature"));
    if (san != null) {
      sign.addAll(List.of("-ext", san));
    }
    keytool(sign.toArray(String[]::new));
    // The reply installs only onto a store that can build its chain: trust the authority first.
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caPem().toString(),
        "-keystore",
        store,
        "-storepass",
        PASSWORD);
    keytool(
        "-importcert",
        "-alias",
        name,
        "-file",
        signed.toString(),
        "-keystore",
        store,
        "-storepass",
        PASSWORD);
    writePem(name);
    return p12(name);
  }

  private void writePem(String name) {
    try {
      KeyStore store = keyStore(name);
      PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
      Files.writeString(key(name), pem("PRIVATE KEY", key.getEncoded()));
      StringBuilder chain = new StringBuilder();
      for (Certificate c : store.getCertificateChain(name)) {
        chain.append(pem("CERTIFICATE", c.getEncoded()));
      }
      Files.writeString(pem(name), chain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>(List.of(keytool));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
